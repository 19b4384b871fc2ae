/** Deep equality of JSON values. `-0` equals `0`: JSON has no negative zero. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  const bRecord = b as Record<string, unknown>;
  return aKeys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && jsonEqual((a as Record<string, unknown>)[key], bRecord[key]));
}

/**
 * Characters a reader cannot see or cannot tell from others: controls (C0, C1, NUL), format marks
 * (zero-width, bidi overrides, soft hyphen, tags), line and paragraph separators, spaces other than
 * U+0020, lone surrogates and unassigned code points. A value differing only in one of these must
 * still look different, and a bidi override must not reorder the rest of the message. (Emoji
 * sequences print their joiners and variation selectors too: unambiguous beats pretty here.)
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/gu;

/** JSON's own escape for the BMP, so a preview of a string still reads as JSON; the braced form beyond it. */
function escapeCodePoint(char: string): string {
  const code = char.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** An escape sequence stays whole when a preview is cut; anything else is one code point. */
const TOKEN = /\\u\{[0-9a-f]+\}|\\u[0-9a-fA-F]{4}|\\[\s\S]|[\s\S]/gu;

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A short, single-line rendering of a value for failure messages, the same in a terminal and (once
 * Markdown-escaped) in a report: invisible characters escaped, anything past `max` code points cut
 * with a count of what was left out. `render` replaces JSON (fast-check's `fc.stringify`, say).
 */
export function preview(value: unknown, max = 200, render: (value: unknown) => string = json): string {
  const text = value === undefined ? 'undefined' : render(value).replace(INVISIBLE, escapeCodePoint);
  let kept = 0;
  let end = 0;
  for (const [token] of text.matchAll(TOKEN)) {
    kept += codePoints(token);
    if (kept > max) break;
    end += token.length;
  }
  if (end === text.length) return text;
  const rest = codePoints(text.slice(end));
  return `${text.slice(0, end)}… ${rest} more character${rest === 1 ? '' : 's'}`;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
