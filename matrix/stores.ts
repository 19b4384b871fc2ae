/**
 * The stores in the conformance matrix: the reference stores, each in the configuration that lets
 * the most clauses judge it, and the published express stores through the adapter, declared as
 * docs/ecosystem.md says to declare them.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fromExpressStore, type ExpressStoreLike } from '../adapters/index.js';
import { MemcachedStore, MemoryStore, RedisStore, SqliteStore } from '../stores/index.js';
import type { StoreFactory } from '../suite/target.js';

export interface MatrixStore {
  /** The column heading. */
  column: string;
  target: StoreFactory;
}

/** The published stores are dev dependencies of this repository, loaded only when the matrix runs. */
const load = createRequire(import.meta.url);

/** The stores, and what ends the connections and timers the published ones keep. */
export function matrixStores(urls: { redis: string; memcached: string }, dir: string): { stores: MatrixStore[]; close(): Promise<void> } {
  const session = load('express-session') as { MemoryStore: new () => ExpressStoreLike };
  const MemoryStoreFor = load('memorystore') as (s: unknown) => new (options: object) => ExpressStoreLike & { stopInterval(): void };
  const ConnectRedis = (load('connect-redis') as { default: new (o: object) => ExpressStoreLike }).default;
  const { Redis } = load('ioredis') as typeof import('ioredis');

  const memorystore = new (MemoryStoreFor(session))({});
  const clients = new Map<ExpressStoreLike, InstanceType<typeof Redis>>();
  const connectRedis = () => {
    const client = new Redis(urls.redis);
    const store = new ConnectRedis({ client, prefix: `matrix-${process.pid}:` });
    clients.set(store, client);
    return store;
  };
  const sqliteFile = join(dir, 'sessions.db');

  const stores: MatrixStore[] = [
    { column: 'MemoryStore', target: { name: 'memory', clock: 'injected', ...MemoryStore.declares, open: ({ clock }) => new MemoryStore({ clock }) } },
    { column: 'SqliteStore', target: { name: 'sqlite', clock: 'injected', ...SqliteStore.declares, sharedBackend: true, open: ({ clock }) => new SqliteStore({ path: sqliteFile, clock }) } },
    { column: 'RedisStore', target: { name: 'redis', ...RedisStore.declares, open: () => RedisStore.connect({ url: urls.redis, prefix: `matrix-${process.pid}:` }) } },
    { column: 'MemcachedStore', target: { name: 'memcached', ...MemcachedStore.declares, open: () => MemcachedStore.connect({ url: urls.memcached, prefix: `mx${process.pid}:` }) } },
    { column: 'express-session MemoryStore', target: fromExpressStore(new session.MemoryStore(), { name: 'express-session MemoryStore', packages: ['express-session'] }) },
    { column: 'memorystore', target: fromExpressStore(memorystore, { name: 'memorystore', packages: ['memorystore', 'express-session'] }) },
    {
      column: 'connect-redis',
      target: fromExpressStore(connectRedis(), {
        name: 'connect-redis',
        packages: ['connect-redis', 'ioredis'],
        ttlResolutionMs: 1000,
        sharedBackend: true,
        open: connectRedis,
        close: (store) => clients.get(store)!.quit(),
      }),
    },
  ];
  return {
    stores,
    async close() {
      memorystore.stopInterval();
      await Promise.allSettled([...clients.values()].map((client) => client.quit()));
    },
  };
}
