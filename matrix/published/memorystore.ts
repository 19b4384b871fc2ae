/** memorystore: an lru-cache in one process; its TTL is the cookie's maxAge (whole ms, floored). */
import { fromExpressStore } from '../../adapters/index.js';
import type { PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const memorystore: PublishedEntry = {
  column: 'memorystore 1',
  framework: 'express',
  backend: 'memory',
  async open() {
    const createMemoryStore = (await matrixPackage('memorystore')).default;
    const store = new (createMemoryStore((await matrixPackage('express-session')).default))({});
    // Its prune timer is unref'd and would not keep a process alive; it is stopped all the same.
    return { target: fromExpressStore(store, { name: this.column, packages: ['memorystore', 'express-session'] }), close: async () => store.stopInterval() };
  },
};
