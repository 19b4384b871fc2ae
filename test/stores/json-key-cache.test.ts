/**
 * Node 24's V8 can return a wrong key from JSON.parse once another text with an escaped key was
 * parsed (nodejs/node#63785). The reference stores must still read back exactly what was stored:
 * this file poisons the cache first, then round-trips keys with escapes through every store.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionData, SessionStore } from '../../suite/contract.js';
import { jsonParseHasKeyCacheBug } from '../../suite/platform.js';
import { MemcachedStore, MemoryStore, RedisStore, SqliteStore } from '../../stores/index.js';
import { serverFor } from '../support/servers.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * The session, built so that this process never makes an ordinary object with these keys: such an
 * object would add a second map transition beside the poisoned one, and V8 then looks the key up
 * correctly, hiding the bug. Objects with a null prototype are dictionaries, with no transitions.
 */
function session(extra: Record<string, number> = {}): SessionData {
  const data = Object.create(null) as SessionData;
  data.user = 'u';
  data['"'] = 1;
  data.a = '\\"';
  for (const key of Object.keys(extra)) data[key] = extra[key]!;
  return data;
}
// The expectation is text, never an object from JSON.parse, so it cannot carry the bug itself.
const STORED = '{"user":"u","\\"":1,"a":"\\\\\\""}';
const UPDATED = '{"user":"u","\\"":1,"a":"\\\\\\"","b":3}';

const redis = await serverFor('redis');
const memcached = await serverFor('memcached');
const dir = tempDir('json-key-cache');

const stores: [string, () => Promise<SessionStore> | SessionStore][] = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteStore({ path: join(dir, 'sessions.db') })],
];
if ('server' in redis) stores.push(['redis', () => RedisStore.connect({ url: redis.server.url, prefix: `json-key-cache-${process.pid}:` })]);
if ('server' in memcached) stores.push(['memcached', () => MemcachedStore.connect({ url: memcached.server.url, prefix: `jkc${process.pid}:` })]);

describe.each(stores)('%s reads back keys with escapes after the JSON.parse key cache was poisoned', (_name, open) => {
  it('through get, update and pop', async () => {
    // The poison: objects shaped like the sessions below, with a `\` key where theirs is `"`.
    JSON.parse('{"user":0,"\\\\":0,"a":0}');
    JSON.parse('{"user":0,"\\\\":0,"a":0,"b":0}');
    if (jsonParseHasKeyCacheBug()) expect(Object.keys(JSON.parse(STORED))).toEqual(['user', '\\', 'a']);

    const store = await open();
    try {
      await store.set('escapes', session(), 60_000);
      expect(JSON.stringify(await store.get('escapes'))).toBe(STORED);
      if (store.update) expect(JSON.stringify(await store.update('escapes', () => session({ b: 3 }), 60_000))).toBe(UPDATED);
      expect(JSON.stringify(await store.pop('escapes'))).toBe(store.update ? UPDATED : STORED);
    } finally {
      await store.close?.();
    }
  });
});
