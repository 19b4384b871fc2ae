/**
 * Generators named after the trap each one sets, so a failing counterexample reads as a story.
 */
import fc from 'fast-check';
import type { Json, SessionData } from './contract.js';

// ---- JSON payloads -------------------------------------------------------------------------

/** Every finite double, integers at the edges of exactness, and the classic float traps. */
export const jsonNumbers: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53 + 2, 0.1, 1e21, -1e-7),
);

/** Characters beyond the Basic Multilingual Plane: emoji, historic scripts; surrogate pairs in UTF-16. */
export const astralStrings: fc.Arbitrary<string> = fc.string({
  unit: fc.integer({ min: 0x10000, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
  minLength: 1,
});

/** Text that breaks naive encoders: control characters, NUL, quotes, backslashes, any code point. */
export const unicodeStrings: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  astralStrings,
  fc.constantFrom('', ' ', '\u0000', '"', '\\', '\u2028\u2029', '\r\n', '{"a":1}'),
);

/** Object keys that collide with JavaScript's own: prototype pollution and lookup bugs. */
export const prototypeKeys: fc.Arbitrary<string> = fc.constantFrom(
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'toJSON', '', ' ', '0', '-1', '$where', 'a.b',
);

const objectKeys = fc.oneof({ weight: 2, arbitrary: prototypeKeys }, { weight: 3, arbitrary: unicodeStrings });

/** Builds objects with defineProperty so that a generated "__proto__" key is an own data property. */
function objectFrom<T>(entries: [string, T][]): { [key: string]: T } {
  const object: { [key: string]: T } = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

const { jsonValue } = fc.letrec<{ jsonValue: Json }>((tie) => ({
  jsonValue: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    jsonNumbers,
    unicodeStrings,
    fc.array(tie('jsonValue'), { maxLength: 5 }),
    fc.array(fc.tuple(objectKeys, tie('jsonValue')), { maxLength: 5 }).map(objectFrom),
  ),
}));

export const jsonValues: fc.Arbitrary<Json> = jsonValue;

/** A session payload: a JSON object, from `{}` to nested trees of every JSON kind. */
export const sessionData: fc.Arbitrary<SessionData> = fc
  .array(fc.tuple(objectKeys, jsonValues), { maxLength: 8 })
  .map(objectFrom);

/**
 * Payloads from half of `maxBytes` up to exactly `maxBytes` bytes of JSON, filled with 1- to
 * 4-byte UTF-8 characters so that byte and character counts disagree.
 */
export function largePayloads(maxBytes: number): fc.Arbitrary<SessionData> {
  return fc
    .record({ fill: fc.constantFrom('a', 'é', '€', '😀'), fraction: fc.double({ min: 0.5, max: 1, noNaN: true }) })
    .map(({ fill, fraction }) => {
      const overhead = Buffer.byteLength('{"blob":""}');
      const repeats = Math.floor((maxBytes * fraction - overhead) / Buffer.byteLength(fill));
      return { blob: fill.repeat(Math.max(0, repeats)) };
    });
}

// ---- Session ids ---------------------------------------------------------------------------

const idCharacters = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 });

/** Characters that are syntax somewhere: key separators, globs, SQL LIKE and quoting, escapes. */
export const metacharacterIds: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(':', '*', '?', '[', ']', '%', '_', "'", '"', '\\', ';', '{', '}', ' ', '\n', '\t', '\u0000', '/', '.', 'a'),
  minLength: 1,
  maxLength: 12,
});

/** Ids of 1,000 to 3,000 characters: past Memcached's 250-byte key limit and most VARCHAR columns. */
export const veryLongIds: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1000, max: 3000 }), fc.constantFrom('a', 'é', '😀', 'x:'))
  .map(([length, fill]) => fill.repeat(Math.ceil(length / fill.length)));

export const sessionIds: fc.Arbitrary<string> = fc.oneof(idCharacters, metacharacterIds, astralStrings, veryLongIds);

const letters = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 1, maxLength: 12 });

function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** `abc` / `ABC`: a case-insensitive collation (MySQL's default) merges them. */
export const caseVariantIds: fc.Arbitrary<[string, string]> = letters.map((s) => [s, swapCase(s)] as [string, string]);

/** `abc` / `abc ` : PAD SPACE collations and trimming drivers merge them. */
export const trailingSpaceIds: fc.Arbitrary<[string, string]> = idCharacters.map((s) => [s, `${s} `] as [string, string]);

/** `é` as one code point and as `e` + combining accent: normalizing backends merge them. */
export const nfcNfdPairs: fc.Arbitrary<[string, string]> = fc
  .tuple(fc.constantFrom('é', 'Å', 'ñ', 'ö', '가', 'ệ', 'ǖ'), fc.string({ unit: 'grapheme-ascii', maxLength: 6 }))
  .map(([accented, rest]) => {
    const text = `${rest}${accented}${rest}`;
    return [text.normalize('NFC'), text.normalize('NFD')] as [string, string];
  });

/** Ids equal in their first 65+ characters: truncating keys or hash prefixes merge them. */
export const longPrefixPairs: fc.Arbitrary<[string, string]> = fc
  .tuple(fc.integer({ min: 65, max: 300 }), fc.constantFrom('a', 'é', '😀'), fc.tuple(idCharacters, idCharacters).filter(([a, b]) => a !== b))
  .map(([length, fill, [a, b]]) => {
    const prefix = fill.repeat(length);
    return [prefix + a, prefix + b] as [string, string];
  });

/** Two distinct ids that some real backend would confuse. */
export const aliasingIdPairs: fc.Arbitrary<[string, string]> = fc
  .oneof(
    caseVariantIds,
    trailingSpaceIds,
    nfcNfdPairs,
    longPrefixPairs,
    fc.tuple(metacharacterIds, metacharacterIds),
    fc.tuple(veryLongIds, fc.constantFrom('', 'b', '😀')).map(([id, tail]) => [id, id + tail] as [string, string]),
  )
  .filter(([a, b]) => a !== b);
