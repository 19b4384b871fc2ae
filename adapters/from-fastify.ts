/**
 * A @fastify/session store (its own MemoryStore, or any connect-style store it is given) as a
 * conformance target, spoken to as @fastify/session speaks to it: see
 * node_modules/@fastify/session/index.js (decryptSession) and lib/session.js (save, destroy,
 * regenerate).
 */
import type { StoreFactory } from '../suite/target.js';
import { connectStyleStore } from './connect-style.js';
import type { ExpressStoreLike } from './connect-style.js';
import { adapterTarget, type AdapterOptions } from './target.js';

/**
 * A conformance target for a store @fastify/session uses. As fromExpressStore (the same stored
 * shape: `{ cookie: { originalMaxAge, expires }, ...data }`, pop as a logout, get then destroy,
 * declared non-atomic; input validated by the adapter), except for what fastify does differently:
 * - `get`: a session whose stored `cookie.expires` is now or past is a miss, and is destroyed, as
 *   fastify regenerates it; so a store that keeps no TTL of its own (fastify's MemoryStore) still
 *   ends sessions in time, as its users see them.
 * - no `touch`: fastify saves a rolling session again with `set`, and never calls `store.touch`.
 * The session ids fastify makes by default are 32 base64url characters
 * (lib/idGenerator.js): `EXPRESS_SESSION_IDS` declares the same.
 */
export function fromFastifyStore<S extends ExpressStoreLike>(store: S, options: AdapterOptions<S> = {}): StoreFactory {
  return adapterTarget('fromFastifyStore', 'fastify', store, ['get', 'set', 'destroy'], options, (instance, maxDataBytes, release, validId) =>
    connectStyleStore(instance, { touch: false, expiresOnLoad: true }, maxDataBytes, release, validId),
  );
}
