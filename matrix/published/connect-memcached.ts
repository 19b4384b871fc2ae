/**
 * connect-memcached 3 on memcached (the `memcached` client). Its TTL is `(maxAge / 1000) | 0`
 * seconds, whole seconds cut down; one server shared by every instance; the ids express-session
 * sends (memcached keys take no spaces or control characters).
 */
import { EXPRESS_SESSION_IDS } from '../../adapters/index.js';
import { onSharedServer, openedStores, type PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const connectMemcached: PublishedEntry = {
  column: 'connect-memcached 3',
  framework: 'express',
  backend: 'Memcached',
  async open({ memcached }) {
    const MemcachedStore = (await matrixPackage('connect-memcached')).default((await matrixPackage('express-session')).default);
    const hosts = new URL(memcached).host;
    const prefix = `mxcm${process.pid}:`;
    const stores = openedStores((store: any) => store.client.end());
    const connect = async () => stores.add(new MemcachedStore({ hosts, prefix, retries: 1, timeout: 2000 }));
    return onSharedServer(this.column, ['connect-memcached', 'memcached', 'express-session'], connect, stores, { ttlResolutionMs: 1000, ids: EXPRESS_SESSION_IDS });
  },
};
