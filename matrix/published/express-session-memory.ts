/** express-session's own MemoryStore: one process, so no backend another instance could share. */
import { fromExpressStore } from '../../adapters/index.js';
import type { PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const expressSessionMemory: PublishedEntry = {
  column: 'express-session MemoryStore',
  framework: 'express',
  backend: 'memory',
  async open() {
    const { MemoryStore } = await matrixPackage('express-session');
    return { target: fromExpressStore(new MemoryStore(), { name: this.column, packages: ['express-session'] }), close: async () => {} };
  },
};
