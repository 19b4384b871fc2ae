/**
 * No false alarms under real concurrency: the concurrency clauses, repeated on several seeds,
 * against every reference store that can share a backend, with several instances at once.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConformance, type ClauseId, type StoreFactory } from '../entry/index.js';
import { MemcachedStore, RedisStore, SqliteStore } from '../stores/index.js';
import { serverFor } from './support/servers.js';
import { tempDir } from './support/temp-dir.js';

const REPEATS = [101, 202, 303];
const CONCURRENCY: ClauseId[] = ['concurrency', 'atomic-pop', 'no-resurrection', 'update'];
const dir = tempDir('concurrency');

const targets: (StoreFactory | { name: string; skip: string })[] = [
  // Separate Database handles on one file, as separate processes would have.
  { name: 'sqlite file', ...SqliteStore.declares, sharedBackend: true, open: () => new SqliteStore({ path: join(dir, 'sessions.db') }) },
];
const redis = await serverFor('redis');
targets.push('server' in redis ? { name: 'redis', ...RedisStore.declares, open: () => RedisStore.connect({ url: redis.server.url }) } : { name: 'redis', skip: redis.skip });
const memcached = await serverFor('memcached');
targets.push(
  'server' in memcached
    ? { name: 'memcached', ...MemcachedStore.declares, open: () => MemcachedStore.connect({ url: memcached.server.url }) }
    : { name: 'memcached', skip: memcached.skip },
);

for (const target of targets) {
  if ('skip' in target) {
    describe.skip(`${target.name}: ${target.skip}`, () => it('needs a server', () => {}));
    continue;
  }
  describe.concurrent(`${target.name}: concurrency clauses on repeated runs`, () => {
    it.each(REPEATS)('seed %i', async (seed) => {
      const report = await checkConformance(target, { seed, only: CONCURRENCY });
      expect(report.clauses.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.error ?? c.reason}`)).toEqual([]);
    });
  });
}
