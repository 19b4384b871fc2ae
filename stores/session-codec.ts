/**
 * Input validation and the one serializer every reference store shares, so that bad input is
 * rejected the same way everywhere (contract clause `bad-input`) and what is stored always
 * reads back exactly (clause `round-trip`).
 */
import type { Json, SessionData } from '../suite/contract.js';

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

function assertJson(value: unknown, path: string, ancestors: Set<object>): asserts value is Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which JSON cannot represent`);
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`${path} is ${describe(value)}, which is not a JSON value`);
  }
  if (value === null) return;
  if (ancestors.has(value)) throw new TypeError(`${path} is a circular reference`);
  if (Array.isArray(value)) {
    ancestors.add(value);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new TypeError(`${path}[${i}] is a hole in a sparse array, which JSON cannot represent`);
      assertJson(value[i], `${path}[${i}]`, ancestors);
    }
    ancestors.delete(value);
    return;
  }
  if (!isPlainObject(value)) throw new TypeError(`${path} is ${describe(value)}, not a plain JSON object`);
  if (Object.getOwnPropertySymbols(value).length > 0) throw new TypeError(`${path} has symbol keys, which JSON cannot represent`);
  ancestors.add(value);
  for (const key of Object.keys(value)) {
    assertJson((value as Record<string, unknown>)[key], `${path}[${JSON.stringify(key)}]`, ancestors);
  }
  ancestors.delete(value);
}

export function assertSessionData(data: unknown): asserts data is SessionData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError(`session data must be a plain JSON object, got ${describe(data)}`);
  }
  assertJson(data, 'data', new Set());
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

export function decodeSession(text: string): SessionData {
  return JSON.parse(text) as SessionData;
}
