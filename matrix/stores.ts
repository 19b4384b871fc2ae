/**
 * The stores in the conformance matrix: the reference stores, each in the configuration that lets
 * the most clauses judge it, and the published stores of matrix/published/, each on its backend.
 */
import { join } from 'node:path';
import { MemcachedStore, MemoryStore, PostgresStore, RedisStore, SqliteStore } from '../stores/index.js';
import type { StoreFactory } from '../suite/target.js';
import { PUBLISHED_STORES, type Backends, type PublishedEntry } from './published/index.js';

export interface MatrixStore {
  /** The column heading. */
  column: string;
  /** The published store's entry; absent for a reference store. */
  published?: PublishedEntry;
  /** Builds the target on the run's backends, and what ends its connections and timers. */
  open(backends: Backends): Promise<{ target: StoreFactory; close(): Promise<void> }>;
}

const reference = (column: string, target: (backends: Backends) => StoreFactory): MatrixStore => ({
  column,
  open: async (backends) => ({ target: target(backends), close: async () => {} }),
});

export const MATRIX_STORES: readonly MatrixStore[] = [
  reference('MemoryStore', () => ({ name: 'memory', clock: 'injected', ...MemoryStore.declares, open: ({ clock }) => new MemoryStore({ clock }) })),
  reference('SqliteStore', ({ dir }) => ({ name: 'sqlite', clock: 'injected', ...SqliteStore.declares, sharedBackend: true, open: ({ clock }) => new SqliteStore({ path: join(dir, 'sessions.db'), clock }) })),
  reference('RedisStore', ({ redis }) => ({ name: 'redis', ...RedisStore.declares, open: () => RedisStore.connect({ url: redis, prefix: `matrix-${process.pid}:` }) })),
  reference('MemcachedStore', ({ memcached }) => ({ name: 'memcached', ...MemcachedStore.declares, open: () => MemcachedStore.connect({ url: memcached, prefix: `mx${process.pid}:` }) })),
  reference('PostgresStore', ({ postgres }) => ({ name: 'postgres', ...PostgresStore.declares, open: () => PostgresStore.connect({ url: postgres, table: 'matrix_reference_sessions' }) })),
  ...PUBLISHED_STORES.map((published) => ({ column: published.column, published, open: (backends: Backends) => published.open(backends) })),
];
