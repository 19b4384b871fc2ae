/** yar's server-side cache as hapi builds it: a @hapi/catbox Client over @hapi/catbox-memory, in one process. */
import { fromCatbox } from '../../adapters/index.js';
import type { PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const catboxMemory: PublishedEntry = {
  column: 'yar on @hapi/catbox-memory 6',
  framework: 'hapi',
  backend: 'memory',
  async open() {
    const { Client } = await matrixPackage('@hapi/catbox');
    const { Engine } = await matrixPackage('@hapi/catbox-memory');
    const client = new Client(Engine);
    return { target: fromCatbox(client, { name: this.column, packages: ['@hapi/catbox', '@hapi/catbox-memory'] }), close: async () => client.stop() };
  },
};
