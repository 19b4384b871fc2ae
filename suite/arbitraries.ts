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

const letters = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 1, maxLength: 12 });
const word = fc.string({ unit: fc.constantFrom(...'abcxyz019'), maxLength: 6 });

/** Separators that sanitizers, URL codecs and key schemes treat as interchangeable or special. */
const SEPARATORS = ['.', '_', '-', ':', '/', ' ', '+', '='] as const;

/** `a.b` / `a_b` / `a:b` / `a b` …: a sanitizer mapping punctuation to one character merges them. */
export const punctuationSwapPairs: fc.Arbitrary<[string, string]> = fc
  .tuple(word, word, fc.constantFrom(...SEPARATORS), fc.constantFrom(...SEPARATORS))
  .filter(([, , p, q]) => p !== q)
  .map(([x, y, p, q]) => [`${x}${p}${y}`, `${x}${q}${y}`] as [string, string]);

/** One byte string in the base64 and base64url alphabets (`ab+/` / `ab-_`, `=` padding or none). */
export const base64AlphabetPairs: fc.Arbitrary<[string, string]> = fc
  .uint8Array({ minLength: 1, maxLength: 18 })
  .map((bytes) => [Buffer.from(bytes).toString('base64'), Buffer.from(bytes).toString('base64url')] as [string, string])
  .filter(([a, b]) => a !== b);

/** `a/b` / `a%2Fb` / `a%252Fb`: a store that URL-decodes ids, once or twice, merges them. */
export const percentEncodingPairs: fc.Arbitrary<[string, string]> = fc
  .tuple(word, fc.constantFrom('/', '%', ' ', '?', '#', '&', '+', 'é'), word, fc.boolean())
  .map(([x, c, y, twice]) => {
    const raw = `${x}${c}${y}`;
    const once = encodeURIComponent(raw);
    return (twice ? [once, encodeURIComponent(once)] : [raw, once]) as [string, string];
  });

/**
 * Ids a file-per-session store or a URL path resolves: `a/../b` and `c/../b` are both `b`, and
 * `a/./b`, `a//b` and `a/b` one file, whatever prefix the suite puts in front of them; `..`
 * climbs out; `con` and `nul` are devices on Windows.
 */
export const pathLikeIds: fc.Arbitrary<string> = fc.constantFrom(
  '.', '..', '../x', 'a/../b', 'c/../b', 'b', 'a/./b', 'a//b', 'a/b', 'a/b/..', 'a/.', 'a/', 'a', '/a',
  'con', 'CON', 'nul', 'nul.txt', 'aux', 'com1', 'lpt1', 'a\\..\\b',
);

const controlCharacters = fc.constantFrom('\u0000', '\r\n', '\n', '\t');

/**
 * NUL, CR/LF and tabs, swapped for another character or for nothing, or where the id is cut:
 * C strings end at NUL, line protocols at CR/LF, trimming drops whitespace.
 */
export const controlCharacterPairs: fc.Arbitrary<[string, string]> = fc
  .tuple(word, controlCharacters, word, word, fc.constantFrom('', ' ', '\n', '\u0000'), fc.constantFrom('swap', 'cut', 'other tail'))
  .map(([x, c, y, z, d, shape]) => {
    const second = { swap: `${x}${d}${y}`, cut: x, 'other tail': `${x}${c}${z}` }[shape];
    return [`${x}${c}${y}`, second] as [string, string];
  });

const pairMembers = (pairs: fc.Arbitrary<[string, string]>) => pairs.chain(([a, b]) => fc.constantFrom(a, b));

/** Ids that look like others after some encoding: each must still behave like any other id. */
export const lookalikeIds: fc.Arbitrary<string> = fc.oneof(
  pairMembers(punctuationSwapPairs),
  pairMembers(base64AlphabetPairs),
  pairMembers(percentEncodingPairs),
  pathLikeIds,
  pairMembers(controlCharacterPairs),
);

/** Every family of ids by its trap, for a run that may use only some ids (see IdPolicy). */
export const sessionIdFamilies: Record<string, fc.Arbitrary<string>> = { idCharacters, metacharacterIds, astralStrings, veryLongIds, lookalikeIds };

export const sessionIds: fc.Arbitrary<string> = fc.oneof(...Object.values(sessionIdFamilies));

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

/** Ids a SQL LIKE, a glob or a key scheme reads as syntax, paired at random. */
export const metacharacterPairs: fc.Arbitrary<[string, string]> = fc.tuple(metacharacterIds, metacharacterIds);

/** A very long id and the same id extended: keys truncated or hashed over a prefix merge them. */
export const longIdExtensions: fc.Arbitrary<[string, string]> = fc
  .tuple(veryLongIds, fc.constantFrom('b', '😀'))
  .map(([id, tail]) => [id, id + tail] as [string, string]);

/** Two paths that resolve alike, or a path and a device name. */
export const pathLikePairs: fc.Arbitrary<[string, string]> = fc.tuple(pathLikeIds, pathLikeIds);

// ---- Ids a backend trims, normalizes or decodes ------------------------------------------

/** Where a trap sits in an id's name: a trim sees only the ends, a normalizer or decoder all of it. */
type Position = 'start' | 'middle' | 'end';

/** One spot of an id written two ways that a backend reads as one: [as written, as the backend reads it]. */
type Spelling = [string, string];

const nonEmptyWord = fc.string({ unit: fc.constantFrom(...'abcxyz019'), minLength: 1, maxLength: 6 });

/** A name with `spelling` at `position`, both ways: the pair a backend that reads it so merges. */
function spelledPairs(spellings: fc.Arbitrary<Spelling>, positions: fc.Arbitrary<Position>): fc.Arbitrary<[string, string]> {
  return fc.tuple(nonEmptyWord, nonEmptyWord, spellings, positions).map(([x, y, spelling, position]) => {
    const place = (s: string) => ({ start: `${s}${x}${y}`, middle: `${x}${s}${y}`, end: `${x}${y}${s}` })[position];
    return [place(spelling[0]), place(spelling[1])] as [string, string];
  });
}

const anywhere = fc.constantFrom<Position>('start', 'middle', 'end');
const atTheStart = fc.constant<Position>('start');

/** Spaces that String.prototype.trim, SQL TRIM and form parsers drop: a space, a tab, no-break and ideographic spaces. */
const whitespace = fc.constantFrom<Spelling>([' ', ''], ['\t', ''], ['\u00a0', ''], ['\u3000', ''], ['  ', ' ']);

/** Characters that print as nothing, which sanitizers and text decoders strip: ZWSP, ZWNJ, ZWJ, word joiner, soft hyphen, BOM. */
const invisibleCharacters = fc.constantFrom<Spelling>(['\u200b', ''], ['\u200c', ''], ['\u200d', ''], ['\u2060', ''], ['\u00ad', ''], ['\ufeff', '']);

/** A character and its percent escape, as a router or a cookie parser decodes it: `%61` is `a`, `%2F` is `/`. */
const percentEscapes = fc.constantFrom('a', 'Z', '0', '-', '/', ' ', '%', 'é').map((c): Spelling => [[...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''), c]);

/** Compatibility forms that NFKC (and NFKD) fold into plain ones: ligatures, fullwidth, circled, superscript, Roman numerals, units. */
const compatibilityForms = fc.constantFrom('ﬁ', 'Ａ', 'ｚ', '①', '²', 'ℌ', 'Ⅻ', '㎏', 'ｶ', 'µ', 'ǆ', '…').map((c): Spelling => [c, c.normalize('NFKC')]);

/** Letters beyond ASCII that full Unicode case folding merges: ß and ss, the Kelvin sign and k, long s, final sigma, Cyrillic, accented capitals. */
const unicodeCaseFolds = fc.constantFrom<Spelling>(['ß', 'ss'], ['ẞ', 'ß'], ['\u212a', 'k'], ['ſ', 's'], ['ς', 'σ'], ['Ж', 'ж'], ['É', 'é'], ['\u2126', 'ω'], ['ǅ', 'ǆ']);

/** Accented letters, composed or decomposed, and the bare letter an accent-insensitive collation or an ASCII folder reads. */
const accentedLetters = fc
  .tuple(fc.constantFrom('é', 'Å', 'ñ', 'ö', 'ç', 'ř', 'ệ'), fc.constantFrom<'NFC' | 'NFD'>('NFC', 'NFD'))
  .map(([letter, form]): Spelling => [letter.normalize(form), letter.normalize('NFD').replace(/\p{M}/gu, '')]);

/** Traps that sit at the very start of an id, where the suite's own prefix would otherwise hide them (see RunScope.leadingId). */
export const leadingAliasingIdPairs: Record<string, fc.Arbitrary<[string, string]>> = {
  leadingWhitespaceIds: spelledPairs(whitespace, atTheStart),
  leadingInvisibleCharacterIds: spelledPairs(invisibleCharacters, atTheStart),
  leadingPercentEscapeIds: spelledPairs(percentEscapes, atTheStart),
};

/**
 * Pairs of distinct ids that some real backend would confuse, by the trap each sets: a clause
 * gives every trap its own share of runs, so that no family goes untried on a seed.
 */
export const aliasingIdPairs = Object.fromEntries(
  Object.entries({
    caseVariantIds,
    trailingSpaceIds,
    nfcNfdPairs,
    longPrefixPairs,
    metacharacterPairs,
    longIdExtensions,
    punctuationSwapPairs,
    base64AlphabetPairs,
    percentEncodingPairs,
    pathLikePairs,
    controlCharacterPairs,
    whitespaceIds: spelledPairs(whitespace, anywhere),
    invisibleCharacterIds: spelledPairs(invisibleCharacters, anywhere),
    percentEscapeIds: spelledPairs(percentEscapes, anywhere),
    compatibilityFormIds: spelledPairs(compatibilityForms, anywhere),
    unicodeCaseFoldIds: spelledPairs(unicodeCaseFolds, anywhere),
    accentedLetterIds: spelledPairs(accentedLetters, anywhere),
  }).map(([trap, pairs]) => [trap, pairs.filter(([a, b]) => a !== b)]),
) as Record<string, fc.Arbitrary<[string, string]>>;

// ---- TTLs -----------------------------------------------------------------------------------

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;

/** "Remember me" lasts up to a year and a bit: the top of the range users really ask for. */
export const LONGEST_TTL_MS = 400 * DAY;

/** 1 s and its neighbours: seconds-based backends round or truncate here (and 0 s means "never" to Memcached). */
export const secondBoundaryTtls: fc.Arbitrary<number> = fc.constantFrom(1, 999, SECOND, SECOND + 1);

/** 2^31 ms (~24.8 days) and 2^32 ms: where 32-bit timers and integer columns wrap. */
export const INT32_OVERFLOW_TTLS = [2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32];

/** 30 days ± 1 s: above it Memcached reads an expiration as a Unix time, so a relative one lands in 1970. */
export const MEMCACHED_THIRTY_DAY_TTLS = [30 * DAY - SECOND, 30 * DAY, 30 * DAY + SECOND, 31 * DAY];

/** A day, a year, 400 days: stores that cap TTLs silently end such sessions early. */
export const REMEMBER_ME_TTLS = [DAY, DAY + 1, 365 * DAY, LONGEST_TTL_MS];

/** Every named edge from a day up: too long to wait out on real time, but each must start live. */
export const LONG_TTL_EDGES = [...REMEMBER_ME_TTLS, ...INT32_OVERFLOW_TTLS, ...MEMCACHED_THIRTY_DAY_TTLS].sort((a, b) => a - b);

/** The long edges, and anything between a day and 400 days. */
export const longLivedTtls: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...LONG_TTL_EDGES), fc.integer({ min: DAY, max: LONGEST_TTL_MS }));

/**
 * Whole milliseconds plus a quarter, half or three quarters: a driver that wants an integer
 * (Redis PX) errors, and one that truncates can reach 0. Quarters, because `now + ttlMs` holds
 * them exactly (doubles do up to 2^51 ms), so it never rounds onto a whole millisecond.
 */
export const fractionalTtls: fc.Arbitrary<number> = fc
  .tuple(fc.oneof(fc.constantFrom(0, 1500), fc.integer({ min: 0, max: 100 * SECOND })), fc.constantFrom(0.25, 0.5, 0.75))
  .map(([whole, fraction]) => whole + fraction);

/**
 * Half a millisecond and one: a store that rounds down, or counts in seconds, reaches 0, which
 * many read as "no TTL" (a default day, as connect-session-knex did, or never).
 */
export const SHORTEST_TTLS = [0.5, 1];

/** TTLs from under a millisecond to 400 days, dense at the edges where stores break. */
export const ttlsAcrossTheRange: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...SHORTEST_TTLS),
  secondBoundaryTtls,
  longLivedTtls,
  fractionalTtls,
  fc.integer({ min: 1, max: LONGEST_TTL_MS }),
);
