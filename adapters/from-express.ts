/**
 * Any express-session / connect-style store (connect-redis, connect-mongo, memorystore, … which
 * @fastify/session accepts too) as a conformance target, spoken to exactly as express-session
 * speaks to it: see node_modules/express-session/session/store.js and memory.js.
 */
import { assertValidTtl } from '../stores/session-codec.js';
import type { IdDeclaration, SessionData, SessionStore } from '../suite/contract.js';
import type { StoreFactory } from '../suite/target.js';
import { viaCallback } from './callback.js';
import { adapterTarget, logoutStore, type AdapterOptions } from './target.js';

// Stores type their callbacks every which way; `any` lets each of them match.
type Callback = (error?: any, value?: any) => void;

/** The methods express-session calls on a store; `touch` is optional, as express-session treats it. */
export interface ExpressStoreLike {
  get(sid: string, callback: Callback): unknown;
  set(sid: string, session: object, callback: Callback): unknown;
  destroy(sid: string, callback: Callback): unknown;
  touch?(sid: string, session: object, callback: Callback): unknown;
}

/**
 * The cookie express-session keeps in every stored session (session/cookie.js): `expires` a Date,
 * `originalMaxAge` the TTL it was set with, `maxAge` the time left (a getter, read by stores such
 * as memorystore), and the same JSON, `expires` becoming an ISO date.
 */
class SessionCookie {
  readonly originalMaxAge: number;
  readonly expires: Date;
  readonly httpOnly = true;
  readonly path = '/';

  constructor(ttlMs: number) {
    this.originalMaxAge = ttlMs;
    this.expires = new Date(Date.now() + ttlMs);
  }

  get maxAge(): number {
    return this.expires.valueOf() - Date.now();
  }

  toJSON(): object {
    return { originalMaxAge: this.originalMaxAge, expires: this.expires, httpOnly: this.httpOnly, path: this.path };
  }
}

/** What express-session stores: its cookie first, the app's data beside it. */
function sessionFor(data: SessionData, ttlMs: number): object {
  if (Object.hasOwn(data, 'cookie')) throw new TypeError('session data must not have a "cookie" key: express-session keeps its cookie there');
  return { cookie: new SessionCookie(ttlMs), ...data };
}

/** The app's data of a stored session: everything but the cookie. */
function userData(session: unknown): SessionData | undefined {
  if (!session) return undefined;
  if (typeof session !== 'object') return session as SessionData; // let the suite report what came back
  const { cookie: _cookie, ...data } = session as SessionData;
  return data;
}

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
 *   the session as loaded and a new cookie; absent when the store has no `touch`. No `update`.
 * - Input is validated by the adapter with the reference stores' codec, as express-session never
 *   passes a bad id, TTL or data: `bad-input` tests the adapter and its result says so.
 */
export function fromExpressStore<S extends ExpressStoreLike>(store: S, options: AdapterOptions<S> = {}): StoreFactory {
  return adapterTarget('fromExpressStore', 'express', store, ['get', 'set', 'destroy'], options, adapt);
}

function adapt(store: ExpressStoreLike, maxDataBytes = Infinity, release: () => Promise<void>, validId: (id: unknown) => void): SessionStore {
  const load = async (id: string): Promise<unknown> => {
    try {
      return await viaCallback((cb) => store.get(id, cb));
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 'ENOENT') return undefined;
      throw error;
    }
  };
  const adapted = logoutStore(
    {
      load: async (id) => userData(await load(id)),
      save: async (id, data, ttlMs) => {
        const session = sessionFor(data, ttlMs);
        await viaCallback((cb) => store.set(id, session, cb));
      },
      // express-session destroys whether or not the load found anything.
      remove: (id) => viaCallback((cb) => store.destroy(id, cb)),
    },
    maxDataBytes,
    release,
    validId,
  );
  const touch = store.touch;
  if (typeof touch === 'function') {
    adapted.touch = async (id, ttlMs) => {
      validId(id);
      assertValidTtl(ttlMs);
      const loaded = await load(id);
      if (!loaded) return false;
      const session = { ...(loaded as object), cookie: new SessionCookie(ttlMs) };
      await viaCallback((cb) => touch.call(store, id, session, cb));
      return true;
    };
  }
  return adapted;
}
