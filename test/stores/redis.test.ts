import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../entry/index.js';
import { RedisStore } from '../../stores/index.js';
import { borrowedClient, REDIS_DRIVERS } from '../support/redis-drivers.js';
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

  for (const driver of REDIS_DRIVERS) {
    // A prefix holding glob characters must not leak into other keys' operations either.
    runConformance({
      name: `redis (${driver})`,
      ...RedisStore.declares,
      open: () => RedisStore.connect({ url, prefix, driver }),
    });
    runConformance({
      name: `redis (${driver}, glob prefix)`,
      ...RedisStore.declares,
      open: () => RedisStore.connect({ url, prefix: `${prefix}*?[x]`, driver }),
    }, { only: ['id-isolation', 'cross-instance'] });

    describe(`RedisStore on ${driver}`, () => {
      it('uses an existing client of its kind (told by its shape) and leaves it open', async () => {
        const borrowed = await borrowedClient(driver, url);
        const store = new RedisStore({ client: borrowed.client, prefix });
        expect(store.driver).toBe(driver);
        await store.set('borrowed', { a: 1 }, 10_000);
        expect(await admin.get(`${prefix}borrowed`)).toBe('{"a":1}');
        expect(await store.pop('borrowed')).toEqual({ a: 1 });
        await store.close();
        expect(await borrowed.ping()).toBe('PONG');
        await borrowed.quit();
      });

      it('keeps the TTL in the key (SET … PX), visible to any Redis client', async () => {
        const store = await RedisStore.connect({ url, prefix, driver });
        expect(store.driver).toBe(driver);
        await store.set('ttl', {}, 60_000);
        const pttl = await admin.pttl(`${prefix}ttl`);
        expect(pttl).toBeGreaterThan(59_000);
        expect(pttl).toBeLessThanOrEqual(60_000);
        await store.pop('ttl');
        await store.close();
      });

      it('bounds a call whose reply never comes by timeoutMs, and fails it naming the server', async () => {
        const store = await RedisStore.connect({ url, prefix, driver, timeoutMs: 300 });
        // CLIENT PAUSE holds every client's commands on the server: the reply is late, not lost.
        await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
        const started = performance.now();
        await expect(store.get('paused')).rejects.toThrow(new RegExp(`Redis GET at ${url.replace(/[.]/g, '\\.')} failed`));
        const waited = performance.now() - started;
        expect(waited).toBeGreaterThanOrEqual(290);
        expect(waited).toBeLessThan(1400);
        await admin.call('CLIENT', 'UNPAUSE');
        expect(await store.get('paused')).toBeUndefined();
        await store.close();
      });
    });
  }

  it('picks node-redis by default when both clients are installed', async () => {
    const store = await RedisStore.connect({ url, prefix });
    expect(store.driver).toBe('node-redis');
    await store.close();
  });

  it('refuses a client of neither kind, and a driver it does not know', () => {
    expect(() => new RedisStore({ client: {} as never })).toThrow(/`client` must be an ioredis Redis or Cluster, or a node-redis client or cluster/);
    expect(() => new RedisStore({ url, driver: 'redis' as never })).toThrow(/`driver` must be 'ioredis' or 'node-redis', got "redis"/);
  });
}
