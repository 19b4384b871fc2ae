import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../suite/index.js';
import { RedisStore } from '../../stores/index.js';
import { serverFor } from '../support/servers.js';

const found = await serverFor('redis');

if ('skip' in found) {
  describe.skip(`RedisStore: ${found.skip}`, () => {
    it('needs a Redis server', () => {});
  });
} else {
  const { url } = found.server;
  // A prefix of this file's own; keys outside it are canaries the run must not touch.
  const prefix = `conf-${process.pid}:`;
  const canaries: Record<string, string> = { 'other:sess': 'x', [`${prefix.slice(0, -1)}`]: 'y', 'conf-*': 'z', 'sess:*?[': 'w' };
  const admin = new Redis(url);

  const countOwnKeys = async () => (await admin.keys(`${prefix}*`)).length;

  beforeAll(async () => {
    for (const [key, value] of Object.entries(canaries)) await admin.set(key, value);
    expect(await countOwnKeys()).toBe(0);
  });

  afterAll(async () => {
    // Cleaned up after itself, and never touched anything outside its prefix.
    expect(await countOwnKeys()).toBe(0);
    for (const [key, value] of Object.entries(canaries)) expect(await admin.getdel(key)).toBe(value);
    await admin.quit();
  });

  // A prefix holding glob characters must not leak into other keys' operations either.
  runConformance({
    name: 'redis',
    ...RedisStore.declares,
    open: () => RedisStore.connect({ url, prefix }),
  });
  runConformance({
    name: 'redis (glob prefix)',
    ...RedisStore.declares,
    open: () => RedisStore.connect({ url, prefix: `${prefix}*?[x]` }),
  }, { only: ['id-isolation', 'cross-instance'] });

  describe('RedisStore', () => {
    it('uses an existing client and leaves it open', async () => {
      const client = new Redis(url);
      const store = new RedisStore({ client, prefix });
      await store.set('borrowed', { a: 1 }, 10_000);
      expect(await client.get(`${prefix}borrowed`)).toBe('{"a":1}');
      expect(await store.pop('borrowed')).toEqual({ a: 1 });
      await store.close();
      expect(await client.ping()).toBe('PONG');
      await client.quit();
    });

    it('keeps the TTL in the key (SET … PX), visible to any Redis client', async () => {
      const store = await RedisStore.connect({ url, prefix });
      await store.set('ttl', {}, 60_000);
      const pttl = await admin.pttl(`${prefix}ttl`);
      expect(pttl).toBeGreaterThan(59_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
      await store.pop('ttl');
      await store.close();
    });
  });
}
