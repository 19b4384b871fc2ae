/**
 * connect-pg-simple 10 on PostgreSQL. Expiry in whole seconds, rounded up (Math.ceil of
 * expires / 1000), judged by the app's clock; the ids express-session sends (the table's sid is
 * text, which refuses NUL).
 */
import { EXPRESS_SESSION_IDS } from '../../adapters/index.js';
import { onSharedServer, openedStores, type PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const connectPgSimple: PublishedEntry = {
  column: 'connect-pg-simple 10',
  framework: 'express',
  backend: 'PostgreSQL',
  async open({ postgres }) {
    const PGStore = (await matrixPackage('connect-pg-simple')).default((await matrixPackage('express-session')).default);
    const stores = openedStores((store: any) => store.close());
    // Its own pool on the URL; no prune timer (every 15 min by default: longer than any run here).
    const create = () => new PGStore({ conString: postgres, tableName: 'matrix_pg_simple', createTableIfMissing: true, pruneSessionInterval: false, errorLog: () => {} });
    const ready = (store: any) => new Promise<void>((resolve, reject) => store.get('probe', (error: unknown) => (error ? reject(error) : resolve())));
    const connect = async () => {
      let store = create();
      // Its first query creates the table; of two stores opened at once the loser fails: a new one finds the table made.
      await ready(store).catch(async () => {
        await store.close();
        store = create();
        await ready(store);
      });
      return stores.add(store);
    };
    return onSharedServer(this.column, ['connect-pg-simple', 'pg', 'express-session'], connect, stores, { ttlResolutionMs: 1000, ids: EXPRESS_SESSION_IDS });
  },
};
