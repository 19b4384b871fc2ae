/**
 * express-mysql-session 3 on MariaDB (mysql2). Expiry as Unix seconds, rounded to the nearest
 * (Math.round(expires / 1000)), judged on read by the app's clock; the ids express-session sends.
 */
import { EXPRESS_SESSION_IDS } from '../../adapters/index.js';
import { onSharedServer, openedStores, type PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const expressMysqlSession: PublishedEntry = {
  column: 'express-mysql-session 3',
  framework: 'express',
  backend: 'MariaDB',
  async open({ mysql }) {
    const MySQLStore = (await matrixPackage('express-mysql-session')).default((await matrixPackage('express-session')).default);
    const url = new URL(mysql);
    const options = {
      host: url.hostname,
      port: Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1),
      clearExpired: false,
      schema: { tableName: 'matrix_mysql_session' },
    };
    const stores = openedStores((store: any) => store.close());
    const connect = async () => {
      const store = new MySQLStore(options);
      await store.onReady();
      return stores.add(store);
    };
    return onSharedServer(this.column, ['express-mysql-session', 'mysql2', 'express-session'], connect, stores, { ttlResolutionMs: 1000, ids: EXPRESS_SESSION_IDS });
  },
};
