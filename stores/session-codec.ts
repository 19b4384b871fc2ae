/**
 * Input validation and the one serializer every reference store shares, so that bad input is
 * rejected the same way everywhere (contract clause `bad-input`) and what is stored always
 * reads back exactly (clause `round-trip`).
 */
import type { Json, SessionData } from '../suite/contract.js';
import { parseJsonStrictly } from './strict-json.js';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `the BigInt ${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name ? `an instance of ${name}` : 'an object';
  }
  return String(value);
}

export function assertValidId(id: unknown): asserts id is string {
  if (typeof id !== 'string') throw new TypeError(`session id must be a non-empty string, got ${describe(id)}`);
  if (id.length === 0) throw new TypeError('session id must be a non-empty string, got an empty string');
  // A lone surrogate cannot be encoded as UTF-8: backends would silently map it to U+FFFD and alias ids.
  if (!id.isWellFormed()) throw new TypeError('session id must be well-formed Unicode, got a string with a lone surrogate');
}

export function assertValidTtl(ttlMs: unknown): asserts ttlMs is number {
  if (typeof ttlMs !== 'number') throw new TypeError(`ttlMs must be a number of milliseconds, got ${describe(ttlMs)}`);
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive finite number of milliseconds, got ${ttlMs}`);
  }
}

/** The checks every store's `update` starts with. */
export function assertValidUpdate(id: unknown, fn: unknown, ttlMs: unknown): void {
  assertValidId(id);
  assertValidTtl(ttlMs);
  if (typeof fn !== 'function') throw new TypeError(`update needs a function (current) => next, got ${describe(fn)}`);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The path to a value inside session data, for error messages: data["user"]["roles"][2]. */
function pathOf(keys: readonly (string | number)[]): string {
  return `data${keys.map((k) => (typeof k === 'number' ? `[${k}]` : `[${JSON.stringify(k)}]`)).join('')}`;
}

/**
 * Walks the value checking that JSON represents it exactly. `keys` is the path so far, turned
 * into text only when something is wrong: building it for every value would double the cost of
 * every set.
 */
function assertJson(value: unknown, keys: (string | number)[], ancestors: Set<object>): asserts value is Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${pathOf(keys)} is ${value}, which JSON cannot represent`);
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`${pathOf(keys)} is ${describe(value)}, which is not a JSON value`);
  }
  if (value === null) return;
  if (ancestors.has(value)) throw new TypeError(`${pathOf(keys)} is a circular reference`);
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      keys.push(i);
      if (!(i in value)) throw new TypeError(`${pathOf(keys)} is a hole in a sparse array, which JSON cannot represent`);
      assertJson(value[i], keys, ancestors);
      keys.pop();
    }
  } else {
    if (!isPlainObject(value)) throw new TypeError(`${pathOf(keys)} is ${describe(value)}, not a plain JSON object`);
    if (Object.getOwnPropertySymbols(value).length > 0) throw new TypeError(`${pathOf(keys)} has symbol keys, which JSON cannot represent`);
    for (const key of Object.keys(value)) {
      keys.push(key);
      assertJson((value as Record<string, unknown>)[key], keys, ancestors);
      keys.pop();
    }
  }
  ancestors.delete(value);
}

export function assertSessionData(data: unknown): asserts data is SessionData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError(`session data must be a plain JSON object, got ${describe(data)}`);
  }
  assertJson(data, [], new Set());
}

/**
 * Validates and serializes session data. JSON.stringify escapes lone surrogates, so the text is
 * valid UTF-8 for every backend, and JSON.parse restores the exact strings.
 */
export function encodeSession(data: unknown, maxDataBytes = Infinity): string {
  assertSessionData(data);
  const text = JSON.stringify(data);
  if (maxDataBytes !== Infinity) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxDataBytes) {
      throw new RangeError(`session data is ${bytes} bytes of JSON, over this store's maxDataBytes of ${maxDataBytes}`);
    }
  }
  return text;
}

/**
 * Reads back what encodeSession wrote, exactly, on every supported Node. V8 on Node 24 and 25
 * can return a wrong key from JSON.parse after another text with an escaped key was parsed
 * (nodejs/node#63785), so a text holding a backslash, the only kind that can hold an escaped key,
 * is checked by encoding the result again: a correct parse of JSON.stringify's output gives back
 * the same text. One that does not, a wrong key or JSON another writer formatted, is read by the
 * strict parser. Texts without a backslash, the common case, cost one scan for it.
 */
export function decodeSession(text: string): SessionData {
  const data = JSON.parse(text) as SessionData;
  if (!text.includes('\\') || JSON.stringify(data) === text) return data;
  return parseJsonStrictly(text) as SessionData;
}
