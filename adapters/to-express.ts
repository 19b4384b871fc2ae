/**
 * A SessionStore as an express-session store, so that the reference stores (atomic pop, honest
 * expiry) serve real express and fastify apps. express-session is an optional peer of this
 * package: it is loaded only when a store is built.
 */
import { createRequire } from 'node:module';
import type { SessionData as ExpressSessionData, Store } from 'express-session';
import { decodeSession } from '../stores/session-codec.js';
import type { SessionStore } from '../suite/contract.js';

export interface ToExpressStoreOptions {
  /**
   * The TTL of a session whose cookie carries neither `expires` nor `maxAge` (express-session's
   * browser-session cookie). Default one day, as connect-redis and memorystore use.
   */
  defaultTtlMs?: number;
}

const ONE_DAY_MS = 86_400_000;

type Callback = (error?: unknown, value?: unknown) => void;

/** Hands a promise's outcome to an express-session callback, which may be absent. */
function settle<T>(promise: Promise<T>, callback: Callback | undefined): void {
  promise.then(
    (value) => callback?.(null, value),
    (error: unknown) => callback?.(error),
  );
}

/**
 * The session's TTL as express-session sends it: from `cookie.expires` (a Date, or an ISO string
 * after JSON), else `cookie.maxAge`, else `cookie.originalMaxAge`, else the default. Zero or less
 * means the cookie has already expired.
 */
function ttlOf(cookie: unknown, defaultTtlMs: number): number {
  const c = (cookie ?? {}) as { expires?: unknown; maxAge?: unknown; originalMaxAge?: unknown };
  const expires = c.expires instanceof Date || typeof c.expires === 'string' ? new Date(c.expires).valueOf() : NaN;
  if (Number.isFinite(expires)) return expires - Date.now();
  for (const ms of [c.maxAge, c.originalMaxAge]) if (typeof ms === 'number' && Number.isFinite(ms)) return ms;
  return defaultTtlMs;
}

const requireFromHere = createRequire(import.meta.url);

function expressSessionStore(): typeof Store {
  try {
    return (requireFromHere('express-session') as typeof import('express-session')).Store;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error('toExpressStore needs express-session, an optional peer dependency of session-store-conformance: npm install express-session', { cause: error });
  }
}

let AdapterClass: (new (store: SessionStore, defaultTtlMs: number) => Store) | undefined;

/** Defined on first use: the class extends express-session's own Store, loaded only then. */
function adapterClass(): new (store: SessionStore, defaultTtlMs: number) => Store {
  return (AdapterClass ??= class SessionStoreForExpress extends expressSessionStore() {
    readonly #store: SessionStore;
    readonly #defaultTtlMs: number;
    declare touch?: Store['touch'];

    constructor(store: SessionStore, defaultTtlMs: number) {
      super();
      this.#store = store;
      this.#defaultTtlMs = defaultTtlMs;
      // express-session touches only a store that has touch; without it, an unmodified session is left as stored.
      if (typeof store.touch === 'function') {
        this.touch = (sid, session, callback) => settle(this.#extend(sid, session), callback as Callback | undefined);
      }
    }

    get(sid: string, callback: (error: unknown, session?: ExpressSessionData | null) => void): void {
      settle(this.#store.get(sid).then((data) => (data ?? null) as ExpressSessionData | null), callback as Callback);
    }

    set(sid: string, session: ExpressSessionData, callback?: (error?: unknown) => void): void {
      settle(this.#write(sid, session), callback);
    }

    destroy(sid: string, callback?: (error?: unknown) => void): void {
      settle(this.#store.pop(sid).then(() => undefined), callback);
    }

    // Async, so that a session JSON cannot represent reaches the callback as an error instead of throwing into express-session.
    async #write(sid: string, session: ExpressSessionData): Promise<void> {
      const ttlMs = ttlOf(session.cookie, this.#defaultTtlMs);
      // Storing a session whose cookie has expired would make it live again: end it instead.
      if (ttlMs > 0) await this.#store.set(sid, decodeSession(JSON.stringify(session)), ttlMs);
      else await this.#store.pop(sid);
    }

    async #extend(sid: string, session: ExpressSessionData): Promise<void> {
      const ttlMs = ttlOf(session.cookie, this.#defaultTtlMs);
      // A touch with a cookie already expired ends the session, as in express-session's MemoryStore,
      // which keeps the new cookie and then reads the session as expired.
      if (ttlMs > 0) await this.#store.touch!(sid, ttlMs);
      else await this.#store.pop(sid);
    }
  });
}

/**
 * An express-session `Store` (an EventEmitter with get / set / destroy, and touch when the store
 * has one) over a SessionStore: `destroy` is the store's atomic `pop`, a session's TTL comes from
 * its cookie (see `ttlOf`), and what is stored is the session's JSON, cookie included, as every
 * express store keeps it. Use it with express-session or @fastify/session:
 * `session({ store: toExpressStore(await RedisStore.connect({ url })), secret, … })`.
 */
export function toExpressStore(sessionStore: SessionStore, options: ToExpressStoreOptions = {}): Store {
  const defaultTtlMs = options.defaultTtlMs ?? ONE_DAY_MS;
  if (!(defaultTtlMs > 0) || !Number.isFinite(defaultTtlMs)) throw new RangeError(`toExpressStore: defaultTtlMs must be a positive number of milliseconds, got ${defaultTtlMs}`);
  return new (adapterClass())(sessionStore, defaultTtlMs);
}
