/**
 * Any express-session / connect-style store (connect-redis, connect-mongo, memorystore, … which
 * @fastify/session accepts too) as a conformance target, spoken to exactly as express-session
 * speaks to it: see node_modules/express-session/session/store.js and memory.js.
 */
import type { IdDeclaration } from '../suite/contract.js';
import type { StoreFactory } from '../suite/target.js';
import { connectStyleStore, type ExpressStoreLike } from './connect-style.js';
import { adapterTarget, type AdapterOptions } from './target.js';

/**
 * The ids express-session sends with its default `genid`: `uid-safe`'s `uid(24)`, 24 random bytes
 * as 32 base64url characters (node_modules/express-session/index.js, generateSessionId). Declare
 * them (`fromExpressStore(store, { ids: EXPRESS_SESSION_IDS })`) for a store that cannot keep other
 * ids: the suite then tests only such ids, and the adapter refuses others, as express-session never
 * sends them. An app with its own `genid` declares what that returns instead.
 */
export const EXPRESS_SESSION_IDS: IdDeclaration = { alphabet: 'base64url', maxLength: 32 };

/**
 * A conformance target for a connect-style store:
 * - `get` is a miss when the store calls back with `null`, `undefined` or an `ENOENT` error, as
 *   express-session treats them; the data comes back without the cookie.
 * - `set(id, data, ttlMs)` stores `{ cookie: { originalMaxAge: ttlMs, expires }, ...data }`.
 * - `pop` is a logout: `get`, then `destroy` (express-session destroys whether or not the load
 *   found anything), so it is declared non-atomic.
 * - `touch(id, ttlMs)` is what express-session does for an unmodified session: `store.touch` with
 *   the session as loaded and a new cookie; absent when the store has no `touch`. A store's touch
 *   reports nothing: when the loaded deadline passed before it answered, the result is whether a
 *   second load finds the session. No `update`.
 * - Input is validated by the adapter with the reference stores' codec, as express-session never
 *   passes a bad id, TTL or data: `bad-input` tests the adapter and its result says so.
 */
export function fromExpressStore<S extends ExpressStoreLike>(store: S, options: AdapterOptions<S> = {}): StoreFactory {
  return adapterTarget('fromExpressStore', 'express', store, ['get', 'set', 'destroy'], options, (instance, maxDataBytes, release, validId) =>
    connectStyleStore(instance, { touch: true, expiresOnLoad: false }, maxDataBytes, release, validId),
  );
}

