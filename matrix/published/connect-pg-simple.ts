/**
 * connect-pg-simple 10 on PostgreSQL. Expiry in whole seconds, rounded up (Math.ceil of
 * expires / 1000), judged by the app's clock; the ids express-session sends (the table's sid is
 * text, which refuses NUL).
 */
import { EXPRESS_SESSION_IDS } from '../../adapters/index.js';
import { connectedPgSimple } from '../../bench/published-stores.js';
import { onSharedServer, openedStores, type PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const connectPgSimple: PublishedEntry = {
  column: 'connect-pg-simple 10',
  framework: 'express',
  backend: 'PostgreSQL',
  async open({ postgres }) {
    const PGStore = (await matrixPackage('connect-pg-simple')).default((await matrixPackage('express-session')).default);
    const stores = openedStores((store: any) => store.close());
    const connect = async () => stores.add(await connectedPgSimple(PGStore, postgres, 'matrix_pg_simple'));
    return onSharedServer(this.column, ['connect-pg-simple', 'pg', 'express-session'], connect, stores, { ttlResolutionMs: 1000, ids: EXPRESS_SESSION_IDS });
  },
};
