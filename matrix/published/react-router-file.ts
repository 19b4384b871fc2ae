/**
 * @react-router/node 7's createFileSessionStorage: one JSON file per session in a directory that
 * every instance shares, ids of 8 random bytes as hex (crypto.getRandomValues).
 */
import { join } from 'node:path';
import { fromReactRouterStorage } from '../../adapters/index.js';
import type { PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const reactRouterFile: PublishedEntry = {
  column: '@react-router/node createFileSessionStorage',
  framework: 'react-router',
  backend: 'files',
  async open({ dir }) {
    const { createFileSessionStorage } = await matrixPackage('@react-router/node');
    const open = () => createFileSessionStorage({ dir: join(dir, 'react-router-sessions') });
    return { target: fromReactRouterStorage(open(), { name: this.column, packages: ['@react-router/node', 'react-router'], sharedBackend: true, open }), close: async () => {} };
  },
};
