import { preview } from './json-equal.js';

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

const quoted = (text: string, max: number) => {
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text).slice(1, -1).replace(/'/g, "\\'");
  return `'${shown}'${text.length > max ? `… ${text.length - max} more character${text.length - max === 1 ? '' : 's'}` : ''}`;
};

/**
 * What a store threw or rejected with, in words that still say something when the value itself
 * says nothing: "a string 'x'", "an Error with no message", "null".
 */
export function describeThrown(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (value instanceof Error) {
    const kind = value.name || 'Error';
    return value.message ? `${article(kind)} ${kind}: ${value.message}` : `${article(kind)} ${kind} with no message`;
  }
  if (typeof value === 'string') return value === '' ? 'an empty string' : `a string ${quoted(value, 200)}`;
  if (typeof value === 'object') return `an object ${preview(value, 200)}`;
  return `${article(typeof value)} ${typeof value} ${String(value)}`;
}

/**
 * What went wrong, never empty: an Error's message, else what was thrown in words ("a string 'x'",
 * "an Error with no message"), after `lead` when one is given ("the check failed with").
 */
export function messageOf(error: unknown, lead?: string): string {
  if (error instanceof Error && error.message !== '') return error.message;
  return lead === undefined ? describeThrown(error) : `${lead} ${describeThrown(error)}`;
}

/** One argument of a store call, short: ids, data and TTLs as JSON, cut at `max` characters. */
function describeArgument(value: unknown, max = 60): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  // JSON would print NaN and ±Infinity as null.
  if (typeof value === 'number') return String(value);
  if (typeof value === 'symbol') return String(value);
  return preview(value, max);
}

/** A store call as code: `store.set("a", {"n":1}, 1000)`. */
export function describeCall(method: string, args: readonly unknown[]): string {
  return `store.${method}(${args.map((a) => describeArgument(a)).join(', ')})`;
}
