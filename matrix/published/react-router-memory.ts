/** React Router 7's createMemorySessionStorage: a Map in one process, ids from Math.random. */
import { fromReactRouterStorage } from '../../adapters/index.js';
import type { PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const reactRouterMemory: PublishedEntry = {
  column: 'react-router createMemorySessionStorage',
  framework: 'react-router',
  backend: 'memory',
  async open() {
    const { createMemorySessionStorage } = await matrixPackage('react-router');
    return { target: fromReactRouterStorage(createMemorySessionStorage(), { name: this.column, packages: ['react-router'] }), close: async () => {} };
  },
};
