/**
 * How failure messages show values: short whatever the value's size, every invisible character
 * made visible, and the same text whether read in a terminal or in the Markdown report.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectSame } from '../suite/clause.js';
import { preview } from '../suite/json-equal.js';
import { escapeMarkdownCell } from '../suite/report.js';

const codePoints = (text: string) => [...text].length;
/** What a Markdown renderer shows for a cell escaped by escapeMarkdownCell. */
const renderedCell = (markdown: string) =>
  markdown.replace(/\\([\\*_[\]#~])|&(amp|lt|gt|#124|#96);/g, (_, escaped: string | undefined, entity: string | undefined) => escaped ?? { amp: '&', lt: '<', gt: '>', '#124': '|', '#96': '`' }[entity!]!);
/** Anything a reader could not see, or that could reorder or hide the text around it. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/u;
const MARKER = /… (\d+) more characters?$/;

const INVISIBLES: [string, string][] = [
  ['NUL', '\u0000'], ['bell', '\u0007'], ['DEL', '\u007f'], ['next line (C1)', '\u0085'], ['C1 APC', '\u009f'],
  ['zero-width space', '\u200b'], ['zero-width non-joiner', '\u200c'], ['zero-width joiner', '\u200d'], ['word joiner', '\u2060'], ['byte order mark', '\ufeff'],
  ['soft hyphen', '\u00ad'], ['left-to-right mark', '\u200e'], ['right-to-left mark', '\u200f'], ['Arabic letter mark', '\u061c'],
  ['right-to-left override', '\u202e'], ['left-to-right embedding', '\u202a'], ['pop directional formatting', '\u202c'], ['right-to-left isolate', '\u2067'], ['pop directional isolate', '\u2069'],
  ['line separator', '\u2028'], ['paragraph separator', '\u2029'], ['no-break space', '\u00a0'], ['ideographic space', '\u3000'], ['Hangul filler', '\u3164'],
  ['lone high surrogate', '\ud800'], ['lone low surrogate', '\udfff'], ['tag letter A', '\u{e0041}'], ['unassigned', '\u0378'],
];

describe('preview', () => {
  it('prints a 10 kB value in at most 200 code points and a marker, counting what it left out', () => {
    const value = { user: 'ada', blob: 'x'.repeat(10_000) };
    const full = JSON.stringify(value);
    const text = preview(value);
    expect(codePoints(text)).toBeLessThanOrEqual(230);
    expect(text.startsWith('{"user":"ada","blob":"xxx')).toBe(true);
    expect(Number(MARKER.exec(text)![1])).toBe(full.length - 200);
    // Astral characters take two UTF-16 units: the bound holds in what a reader counts.
    expect(codePoints(preview('😀'.repeat(5_000)))).toBeLessThanOrEqual(230);
    expect(preview('x'.repeat(10_000), 60)).toBe(`"${'x'.repeat(59)}… 9942 more characters`);
  });

  it('leaves short values, plain Unicode and plain spaces as JSON shows them', () => {
    expect(preview({ name: 'Zoë 日本 😀', n: -1.5, list: [null, true] })).toBe('{"name":"Zoë 日本 😀","n":-1.5,"list":[null,true]}');
    expect(preview(undefined)).toBe('undefined');
    expect(preview('x'.repeat(198))).toBe(`"${'x'.repeat(198)}"`);
  });

  it.each(INVISIBLES)('shows a %s as an escape', (_, char) => {
    const text = preview({ [`k${char}`]: `a${char}b` });
    expect(text).not.toMatch(INVISIBLE);
    expect(text).toMatch(/^\{"k\\u(\{[0-9a-f]+\}|[0-9a-f]{4})":"a\\u(\{[0-9a-f]+\}|[0-9a-f]{4})b"\}$/);
    expect(text).not.toBe(preview({ k: 'ab' }));
  });

  it('keeps an escape distinguishable from the same text typed by a user', () => {
    expect(preview('a\u200bb')).toBe('"a\\u200bb"');
    expect(preview('a\\u200bb')).toBe('"a\\\\u200bb"');
  });

  it('cuts between whole characters and whole escapes, and the count adds up', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom(...INVISIBLES.map(([, c]) => c), '"', '\\', '😀'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 80 });
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 60 }), (value, max) => {
        const full = preview(value, Infinity);
        const cut = preview(value, max);
        expect(cut).not.toMatch(INVISIBLE);
        const marker = MARKER.exec(cut);
        if (!marker) {
          expect(cut).toBe(full);
          return;
        }
        const kept = cut.slice(0, marker.index);
        expect(full.startsWith(kept)).toBe(true);
        expect(codePoints(kept)).toBeLessThanOrEqual(max);
        expect(codePoints(kept) + Number(marker[1])).toBe(codePoints(full));
        // An odd run of backslashes at the end, or a \u with too few digits, is an escape cut in two.
        expect(kept).not.toMatch(/(^|[^\\])(\\\\)*\\(u\{?[0-9a-f]{0,3})?$/);
      }),
      { seed: Number(process.env.SESSION_CONFORMANCE_SEED) },
    );
  });

  it('reads the same in the Markdown report as in the terminal', () => {
    const value = { 'a|b': 'x\u202e*_[x](y)#~`<script>&amp;\\\n\u200b', more: 'y'.repeat(500) };
    const terminal = preview(value);
    const markdown = escapeMarkdownCell(terminal);
    expect(markdown).not.toMatch(INVISIBLE);
    expect(markdown).not.toMatch(/[|<>\n]/);
    expect(renderedCell(markdown)).toBe(terminal);
    expect(terminal).toMatch(/… \d+ more characters$/);
  });

  it('keeps failure messages short: expected and got of 10 kB each', () => {
    const big = (c: string) => ({ data: c.repeat(10_000) });
    expect(() => expectSame(big('a'), big('b'), 'get after set')).toThrow(/^get after set: expected \{"data":"b+… \d+ more characters, got \{"data":"a+… \d+ more characters$/);
    try {
      expectSame(big('a'), big('b'), 'get after set');
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(500);
    }
  });

  it('takes another renderer, for values JSON cannot show', () => {
    expect(preview([undefined, -0], 200, (v) => fc.stringify(v))).toBe('[undefined,-0]');
    expect(preview(['\u200b'.repeat(100)], 20, (v) => fc.stringify(v))).toBe('["\\u200b\\u200b\\u200b… 584 more characters');
  });
});
