/**
 * Bugs of the running platform that make a correct store look wrong. The suite never blames a
 * store for them: a failure they can explain carries a note saying so.
 */

const JSON_KEY_CACHE_BUG = 'https://github.com/nodejs/node/issues/63785';

let keyCacheBug: boolean | undefined;

/**
 * Whether this process's JSON.parse has V8's escaped-key cache bug (Node 24 and 25): after a key
 * `\` was parsed, a later key `"` in the same position comes back as `\`. The probe's objects
 * start with a key no application uses, so the map transition it poisons is reachable only from
 * objects that start with that key too.
 */
export function jsonParseHasKeyCacheBug(): boolean {
  if (keyCacheBug === undefined) {
    const prefix = '{"session-store-conformance platform probe":0,';
    JSON.parse(`${prefix}"\\\\":0}`);
    keyCacheBug = Object.keys(JSON.parse(`${prefix}"\\"":0}`))[1] !== '"';
  }
  return keyCacheBug;
}

/**
 * One line for a failure whose data holds escaped characters (shown as `\` escapes) when the
 * running Node has the bug: a store that decodes with JSON.parse fails there through no fault of
 * its own code.
 */
export function platformNote(failureText: string): string | undefined {
  if (!failureText.includes('\\') || !jsonParseHasKeyCacheBug()) return undefined;
  return `Node ${process.version} has V8's JSON.parse key bug (${JSON_KEY_CACHE_BUG}): keys with escaped characters can come back wrong from any JSON.parse, so this failure may be the platform's, not the store's.`;
}
