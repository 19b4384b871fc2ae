/**
 * connect-redis 7 on ioredis 5, the last major that took an ioredis client. TTLs in whole
 * seconds, rounded up, as in 11; one Redis shared by every instance.
 */
import { onSharedServer, openedStores, type PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const connectRedis7: PublishedEntry = {
  column: 'connect-redis 7 (ioredis 5)',
  framework: 'express',
  backend: 'Redis',
  async open({ redis }) {
    const { Redis } = await matrixPackage('ioredis');
    const RedisStore = (await matrixPackage('connect-redis-7')).default;
    const prefix = `matrix-cr7-${process.pid}:`;
    const stores = openedStores((store: any) => store.client.quit().catch(() => store.client.disconnect()));
    const connect = async () => {
      const client = new Redis(redis, { maxRetriesPerRequest: 3, lazyConnect: true });
      client.on('error', () => {});
      await client.connect();
      return stores.add(new RedisStore({ client, prefix }));
    };
    return onSharedServer(this.column, ['ioredis'], connect, stores, { ttlResolutionMs: 1000 });
  },
};
