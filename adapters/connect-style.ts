/**
 * What express-session and @fastify/session both do with a connect-style store (get / set /
 * destroy with callbacks, the cookie kept inside the session), and where they differ: express
 * calls `touch` for an unmodified session and trusts the store on expiry; fastify never touches
 * and judges expiry itself on every load (node_modules/@fastify/session/index.js, decryptSession).
 */
import { assertValidTtl } from '../stores/session-codec.js';
import type { SessionData, SessionStore } from '../suite/contract.js';
import { viaCallback } from './callback.js';
import { logoutStore } from './target.js';

// Stores type their callbacks every which way; `any` lets each of them match.
type Callback = (error?: any, value?: any) => void;

/** The methods express-session calls on a store; `touch` is optional, as express-session treats it. */
export interface ExpressStoreLike {
  get(sid: string, callback: Callback): unknown;
  set(sid: string, session: object, callback: Callback): unknown;
  destroy(sid: string, callback: Callback): unknown;
  touch?(sid: string, session: object, callback: Callback): unknown;
}

/** What the framework does beyond get / set / destroy. */
export interface ConnectFramework {
  /** Calls the store's `touch` (when it has one) to extend an unmodified session. */
  touch: boolean;
  /** Treats a loaded session whose `cookie.expires` has passed as gone, and destroys it. */
  expiresOnLoad: boolean;
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


/** When a stored session's cookie says it ends (`expires`, a Date or its JSON string), if it says. */
function expiresAt(session: unknown): number | undefined {
  const expires = (session as { cookie?: { expires?: unknown } } | null | undefined)?.cookie?.expires;
  if (expires === undefined || expires === null) return undefined;
  const at = new Date(expires as string | Date).getTime();
  return Number.isNaN(at) ? undefined : at;
}

const hasExpired = (session: unknown): boolean => (expiresAt(session) ?? Infinity) <= Date.now();

export function connectStyleStore(
  store: ExpressStoreLike,
  framework: ConnectFramework,
  maxDataBytes = Infinity,
  release: () => Promise<void>,
  validId: (id: unknown) => void,
): SessionStore {
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
      load: async (id) => {
        const session = await load(id);
        if (framework.expiresOnLoad && hasExpired(session)) {
          // @fastify/session regenerates an expired session it loaded: it destroys the stored one first.
          await viaCallback((cb) => store.destroy(id, cb));
          return undefined;
        }
        return userData(session);
      },
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
  if (framework.touch && typeof touch === 'function') {
    adapted.touch = async (id, ttlMs) => {
      validId(id);
      assertValidTtl(ttlMs);
      const loaded = await load(id);
      if (!loaded) return false;
      const deadline = expiresAt(loaded);
      const session = { ...(loaded as object), cookie: new SessionCookie(ttlMs) };
      await viaCallback((cb) => touch.call(store, id, session, cb));
      if (deadline === undefined || Date.now() < deadline) return true;
      // The session's deadline passed while the store worked. A store's touch says nothing of what
      // it found, and many (express-session's MemoryStore, connect-session-knex) leave a session
      // that expired meanwhile as it is: whether this touch took is what a load finds now.
      return (await load(id)) !== undefined;
    };
  }
  return adapted;
}
