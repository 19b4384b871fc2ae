/**
 * connect-session-knex 5 through knex 3, on PostgreSQL and on SQLite (better-sqlite3): one store,
 * two backends, two columns. Its expiry is `now + cookie.maxAge` (or one day when maxAge is 0 or
 * absent) kept as a timestamp; SQLite compares it through datetime(), whole seconds. The ids
 * express-session sends.
 */
import { join } from 'node:path';
import { EXPRESS_SESSION_IDS } from '../../adapters/index.js';
import type { StoreDeclarations } from '../../suite/contract.js';
import { onSharedServer, openedStores, type PublishedEntry, type PublishedStore } from './entry.js';
import { matrixPackage } from './packages.js';

type KnexConfig = { client: string; connection: unknown; useNullAsDefault?: boolean };

async function knexStore(column: string, config: KnexConfig, driver: string, declared: Pick<StoreDeclarations, 'ttlResolutionMs'>): Promise<PublishedStore> {
  const knex = (await matrixPackage('knex')).default;
  const { ConnectSessionKnexStore } = await matrixPackage('connect-session-knex');
  const stores = openedStores((store: any) => store.options.knex.destroy());
  const connect = async () => {
    // No cleanup timer: the suite judges what a read returns, not what a sweep removes.
    const store = new ConnectSessionKnexStore({ knex: knex(config), tableName: 'matrix_knex_sessions', cleanupInterval: 0 });
    await store.ready;
    return stores.add(store);
  };
  // The first store creates the table before any other is opened (onSharedServer connects it first).
  return onSharedServer(column, ['connect-session-knex', 'knex', driver, 'express-session'], connect, stores, { ...declared, ids: EXPRESS_SESSION_IDS });
}

export const connectSessionKnexPostgres: PublishedEntry = {
  column: 'connect-session-knex 5 (PostgreSQL)',
  framework: 'express',
  backend: 'PostgreSQL',
  open: ({ postgres }) => knexStore('connect-session-knex 5 (PostgreSQL)', { client: 'pg', connection: postgres }, 'pg', {}),
};

export const connectSessionKnexSqlite: PublishedEntry = {
  column: 'connect-session-knex 5 (SQLite)',
  framework: 'express',
  backend: 'SQLite',
  open: ({ dir }) =>
    knexStore('connect-session-knex 5 (SQLite)', { client: 'better-sqlite3', connection: { filename: join(dir, 'knex-sessions.db') }, useNullAsDefault: true }, 'better-sqlite3', { ttlResolutionMs: 1000 }),
};
