import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonValues } from '../suite/arbitraries.js';
import { jsonEqual } from '../suite/json-equal.js';
import { decodeSession } from '../stores/session-codec.js';
import { parseJsonStrictly } from '../stores/strict-json.js';

describe('parseJsonStrictly', () => {
  it('reads back every value JSON.stringify writes, __proto__ keys and lone surrogates included', () => {
    fc.assert(fc.property(jsonValues, (value) => {
      expect(jsonEqual(parseJsonStrictly(JSON.stringify(value)), value)).toBe(true);
    }), { numRuns: 500 });
  });

  it('keeps a "__proto__" key as an own property, as JSON.parse does', () => {
    const parsed = parseJsonStrictly('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
  });

  it('accepts the whitespace, escapes and numbers any JSON writer may use', () => {
    expect(parseJsonStrictly(' {\n\t"a" : [ 1 , -0.5e+2 , true , false , null ] , "\\u00e9\\/" : "\\b\\f\\n\\r\\t" }\r\n')).toStrictEqual({
      a: [1, -50, true, false, null],
      'é/': '\b\f\n\r\t',
    });
  });

  it.each(['', '{', '{"a":1,}', '[1,]', '01', '1.', '.5', '"\\x"', '"\\u12"', '"a\nb"', '{"a" 1}', 'tru', 'nul', '{} x', "{'a':1}", 'NaN', '+1'])(
    'rejects %j with a SyntaxError, as JSON.parse does',
    (text) => {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expect(() => parseJsonStrictly(text)).toThrow(SyntaxError);
    },
  );
});

describe('decodeSession', () => {
  it('reads JSON formatted by another writer, which does not re-encode to the same text', () => {
    expect(decodeSession('{ "\\"" : "\\u0041" }')).toStrictEqual({ '"': 'A' });
  });
});
