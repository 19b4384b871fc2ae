import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../entry/index.js';
import { MemcachedStore, memcachedExpiration } from '../../stores/index.js';
import { serverFor } from '../support/servers.js';

describe('memcachedExpiration', () => {
  const now = Date.UTC(2030, 0, 1);
  it('rounds milliseconds up to whole seconds and never to 0 (which means "never expire")', () => {
    expect(memcachedExpiration(1, now)).toBe(1);
    expect(memcachedExpiration(999, now)).toBe(1);
    expect(memcachedExpiration(1000, now)).toBe(1);
    expect(memcachedExpiration(1001, now)).toBe(2);
  });
  it('uses an absolute Unix time beyond 30 days, where Memcached stops reading relative seconds', () => {
    const thirtyDays = 30 * 24 * 3600 * 1000;
    expect(memcachedExpiration(thirtyDays, now)).toBe(30 * 24 * 3600);
    expect(memcachedExpiration(thirtyDays + 1000, now)).toBe(Math.ceil((now + thirtyDays + 1000) / 1000));
  });
});

const found = await serverFor('memcached');

/**
 * The live keys on the server that start with `prefix`, from the LRU crawler's `metadump`: one a
 * line, URL-encoded; the crawler reclaims expired items as it walks. It answers BUSY while it is
 * walking on its own: then ask again.
 */
async function liveKeys(url: string, prefix: string): Promise<string[]> {
  const [host, port] = url.replace('memcached://', '').split(':');
  for (let attempt = 0; ; attempt++) {
    const text = await new Promise<string>((resolve, reject) => {
      const socket = createConnection({ host: host!, port: Number(port) }, () => socket.write('lru_crawler metadump all\r\n'));
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
        if (/(^|\n)(END|BUSY[^\r]*|[A-Z_]*ERROR[^\r]*)\r\n$/.test(text)) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
    });
    if (text.startsWith('BUSY') && attempt < 50) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (!text.endsWith('END\r\n')) throw new Error(`lru_crawler metadump failed: ${text.trim()}`);
    return [...text.matchAll(/^key=(\S+)/gm)].map(([, key]) => decodeURIComponent(key!)).filter((key) => key.startsWith(prefix));
  }
}

if ('skip' in found) {
  describe.skip(`MemcachedStore: ${found.skip}`, () => {
    it('needs a Memcached server', () => {});
  });
} else {
  const { url } = found.server;
  // A prefix of this file's own: other files use the same server at the same time, so the check
  // that this run cleaned up after itself counts this file's keys only.
  const prefix = `conf-${process.pid}:`;
  const connect = () => MemcachedStore.connect({ url, prefix });
  beforeAll(async () => {
    expect(await liveKeys(url, prefix)).toEqual([]);
  });
  afterAll(async () => {
    // Every session the run created was popped again (expired ones are reclaimed by the crawler).
    expect(await liveKeys(url, prefix)).toEqual([]);
  });

  runConformance({
    name: 'memcached',
    ...MemcachedStore.declares,
    open: connect,
  });

  describe('MemcachedStore', () => {
    it('pops atomically: of many concurrent pops of one session, exactly one gets it', async () => {
      const stores = await Promise.all(Array.from({ length: 8 }, () => connect()));
      for (let round = 0; round < 25; round++) {
        const id = `atomic-pop-${process.pid}-${round}`;
        await stores[0]!.set(id, { round }, 60_000);
        const results = await Promise.all(stores.flatMap((s) => [s.pop(id), s.pop(id)]));
        expect(results.filter((r) => r !== undefined)).toEqual([{ round }]);
      }
      await Promise.all(stores.map((s) => s.close()));
    });

    it('rejects data over maxDataBytes with a RangeError instead of a silent miss', async () => {
      const store = await connect();
      await store.set('big', { small: true }, 60_000);
      await expect(store.set('big', { blob: 'x'.repeat(1_000_000) }, 60_000)).rejects.toThrow(RangeError);
      expect(await store.pop('big')).toEqual({ small: true });
      await store.close();
    });

    it('maps ids that are not short printable ASCII to distinct safe keys', async () => {
      const store = await connect();
      const ids = ['plain', 'with space', 'x'.repeat(300), 'x'.repeat(301), 'é', 'e\u0301', '#plain', '\u0000'];
      for (const [i, id] of ids.entries()) await store.set(id, { i }, 60_000);
      for (const [i, id] of ids.entries()) expect(await store.pop(id)).toEqual({ i });
      await store.close();
    });
  });
}
