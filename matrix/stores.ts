/**
 * The stores in the conformance matrix: the reference stores, each in the configuration that lets
 * the most clauses judge it, and the published express stores as bench/published-stores.ts
 * declares them.
 */
import { join } from 'node:path';
import { PUBLISHED, publishedStore, type PublishedName, type PublishedStore } from '../bench/published-stores.js';
import { MemcachedStore, MemoryStore, RedisStore, SqliteStore } from '../stores/index.js';
import type { StoreFactory } from '../suite/target.js';

export interface MatrixStore {
  /** The column heading. */
  column: string;
  target: StoreFactory;
}

/** The stores, and what ends the connections and timers the published ones keep. */
export async function matrixStores(urls: { redis: string; memcached: string }, dir: string): Promise<{ stores: MatrixStore[]; close(): Promise<void> }> {
  const sqliteFile = join(dir, 'sessions.db');
  const published: PublishedStore[] = [];
  // connect-pg-simple (bench/peers.ts runs it) is not in the matrix until the matrix has a PostgreSQL.
  for (const name of (Object.keys(PUBLISHED) as PublishedName[]).filter((n) => n !== 'connect-pg-simple')) {
    published.push(await publishedStore(name, { url: urls.redis, prefix: `matrix-${process.pid}:` }));
  }
  const stores: MatrixStore[] = [
    { column: 'MemoryStore', target: { name: 'memory', clock: 'injected', ...MemoryStore.declares, open: ({ clock }) => new MemoryStore({ clock }) } },
    { column: 'SqliteStore', target: { name: 'sqlite', clock: 'injected', ...SqliteStore.declares, sharedBackend: true, open: ({ clock }) => new SqliteStore({ path: sqliteFile, clock }) } },
    { column: 'RedisStore', target: { name: 'redis', ...RedisStore.declares, open: () => RedisStore.connect({ url: urls.redis, prefix: `matrix-${process.pid}:` }) } },
    { column: 'MemcachedStore', target: { name: 'memcached', ...MemcachedStore.declares, open: () => MemcachedStore.connect({ url: urls.memcached, prefix: `mx${process.pid}:` }) } },
    ...published.map(({ target }) => ({ column: target.name, target })),
  ];
  return { stores, close: async () => void (await Promise.allSettled(published.map((p) => p.close()))) };
}
