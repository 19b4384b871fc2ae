/**
 * A JSON parser in plain JavaScript, for the texts that V8's native JSON.parse may decode wrongly.
 *
 * V8 on Node 24 and 25 (nodejs/node#63785) resolves an escaped object key through a cached map
 * transition whose raw text matched: after `{"\\":0}` has been parsed, a later key `"\""` comes
 * back as `\`. Nothing here shares that cache: every key is built from its own characters.
 */

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJsonStrictly(text: string): unknown {
  let at = 0;

  function fail(what: string): never {
    throw new SyntaxError(`${what} in JSON at position ${at}`);
  }
  const skipSpace = (): void => {
    while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at++;
  };
  const expect = (char: string): void => {
    if (text[at] !== char) fail(at < text.length ? `Unexpected ${JSON.stringify(text[at])}, expected ${JSON.stringify(char)}` : 'Unexpected end');
    at++;
  };

  const string = (): string => {
    expect('"');
    let out = '';
    let from = at;
    for (;;) {
      const char = text[at];
      if (char === undefined) fail('Unterminated string');
      if (char === '"') break;
      if (char < ' ') fail('Bad control character in string literal');
      if (char !== '\\') {
        at++;
        continue;
      }
      out += text.slice(from, at);
      const escape = text[at + 1];
      if (escape === 'u') {
        const hex = text.slice(at + 2, at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Bad Unicode escape');
        // Lone surrogates are legal JSON and must survive: build from code units, not code points.
        out += String.fromCharCode(parseInt(hex, 16));
        at += 6;
      } else {
        const decoded = escape === undefined ? undefined : ESCAPES[escape];
        if (decoded === undefined) fail('Bad escaped character');
        out += decoded;
        at += 2;
      }
      from = at;
    }
    out += text.slice(from, at);
    at++;
    return out;
  };

  const value = (): unknown => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at++;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (text[at] === '}') {
        at++;
        return object;
      }
      for (;;) {
        skipSpace();
        const key = string();
        skipSpace();
        expect(':');
        // Like JSON.parse, "__proto__" becomes an own data property, never the prototype.
        Object.defineProperty(object, key, { value: value(), writable: true, enumerable: true, configurable: true });
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        expect('}');
        return object;
      }
    }
    if (char === '[') {
      at++;
      const array: unknown[] = [];
      skipSpace();
      if (text[at] === ']') {
        at++;
        return array;
      }
      for (;;) {
        array.push(value());
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        expect(']');
        return array;
      }
    }
    if (char === '"') return string();
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return literal;
      }
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number === null) fail(char === undefined ? 'Unexpected end' : `Unexpected token ${JSON.stringify(char)}`);
    at += number[0].length;
    return Number(number[0]);
  };

  const result = value();
  skipSpace();
  if (at < text.length) fail('Unexpected non-whitespace character after JSON');
  return result;
}
