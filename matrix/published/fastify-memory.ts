/** @fastify/session's own MemoryStore (a Map, no TTL: fastify judges expiry on load), through fromFastifyStore. */
import { EXPRESS_SESSION_IDS, fromFastifyStore } from '../../adapters/index.js';
import type { PublishedEntry } from './entry.js';
import { matrixPackage } from './packages.js';

export const fastifyMemory: PublishedEntry = {
  column: '@fastify/session MemoryStore',
  framework: 'fastify',
  backend: 'memory',
  async open() {
    const { MemoryStore } = await matrixPackage('@fastify/session');
    // fastify's idGenerator makes 24 random bytes as base64url: the ids EXPRESS_SESSION_IDS declares.
    return { target: fromFastifyStore(new MemoryStore(), { name: this.column, packages: ['@fastify/session'], ids: EXPRESS_SESSION_IDS }), close: async () => {} };
  },
};
