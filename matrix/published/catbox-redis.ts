/** yar's server-side cache on Redis: a @hapi/catbox Client over @hapi/catbox-redis 7 (ioredis), one Redis shared by every instance. */
import { fromCatbox } from '../../adapters/index.js';
import { openedStores, type PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const catboxRedis: PublishedEntry = {
  column: 'yar on @hapi/catbox-redis 7',
  framework: 'hapi',
  backend: 'Redis',
  async open({ redis }) {
    const { Client } = await matrixPackage('@hapi/catbox');
    const { Engine } = await matrixPackage('@hapi/catbox-redis');
    const stores = openedStores((client: any) => client.stop());
    const open = () => stores.add(new Client(new Engine({ url: redis, partition: `matrix-catbox-${process.pid}` })));
    const target = fromCatbox(open(), { name: this.column, packages: ['@hapi/catbox', '@hapi/catbox-redis'], sharedBackend: true, open, close: stores.close });
    return { target, close: stores.closeAll };
  },
};
