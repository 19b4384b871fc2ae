/**
 * connect-redis 11 on node-redis 5, as its README makes it. TTLs in whole seconds, rounded up
 * (Math.ceil of cookie.expires - now over 1000); one Redis shared by every instance.
 */
import { onSharedServer, openedStores, type PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const connectRedis11: PublishedEntry = {
  column: 'connect-redis 11 (node-redis 5)',
  framework: 'express',
  backend: 'Redis',
  async open({ redis }) {
    const { createClient } = await matrixPackage('redis');
    const { RedisStore } = await matrixPackage('connect-redis');
    const prefix = `matrix-cr11-${process.pid}:`;
    const stores = openedStores(async (store: any) => store.client.isOpen && store.client.close());
    const connect = async () => {
      // A client that cannot connect gives up instead of retrying forever; failures reach the callbacks.
      const client = createClient({ url: redis, socket: { reconnectStrategy: (retries: number) => (retries > 3 ? false : 100) } });
      client.on('error', () => {});
      await client.connect();
      return stores.add(new RedisStore({ client, prefix }));
    };
    return onSharedServer(this.column, ['connect-redis', 'redis'], connect, stores, { ttlResolutionMs: 1000 });
  },
};
