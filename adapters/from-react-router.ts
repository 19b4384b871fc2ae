/**
 * A React Router `SessionStorage` (createMemorySessionStorage, @react-router/node's
 * createFileSessionStorage, or any `createSessionStorage({ cookie, createData, readData,
 * updateData, deleteData })`) as a conformance target, spoken to as a React Router app speaks to
 * it: `getSession(request's Cookie header)`, `commitSession` / `destroySession` whose Set-Cookie
 * the browser keeps and sends back. See lib/server-runtime/sessions.ts in react-router
 * (node_modules/react-router/dist/development/index.js, createSessionStorage).
 */
import { assertValidTtl, encodeSession } from '../stores/session-codec.js';
import type { SessionData, SessionStore } from '../suite/contract.js';
import type { StoreFactory } from '../suite/target.js';
import { adapterTarget, assertWholeMilliseconds, type AdapterOptions } from './target.js';

/** The parts of React Router's `Session` the adapter uses. */
export interface ReactRouterSessionLike {
  readonly id: string;
  readonly data: Record<string, unknown>;
  set(name: string, value: any): void;
  unset(name: string): void;
}

/** React Router's `SessionStorage`. */
export interface ReactRouterStorageLike<S extends ReactRouterSessionLike = ReactRouterSessionLike> {
  getSession(cookieHeader?: string | null): Promise<S>;
  commitSession(session: S, options?: { expires?: Date }): Promise<string>;
  destroySession(session: S): Promise<string>;
}

/**
 * React Router gives an empty session both for a missing one and for one stored empty, so the
 * adapter keeps this key in every session it commits: a session without it is a miss.
 */
const LIVE_KEY = '__conformance_live__';

/** The `name=value` a browser sends back of a Set-Cookie header; an empty value is a cleared cookie. */
const cookiePair = (setCookie: string): string => setCookie.split(';')[0]!.trim();
const isCleared = (pair: string): boolean => pair.endsWith('=');

/**
 * A conformance target for a React Router session storage. The storage's `createData` chooses
 * the session ids, so the suite's ids are names the adapter keeps for cookies: a cookie jar maps
 * each suite id to the cookie (`name=value`) the storage last issued for it, as a browser keeps
 * one cookie per site. One jar serves every instance the target opens, as one browser sends its
 * cookie to whichever app server answers: with `sharedBackend` (file storages on one directory),
 * a session committed through one instance is found through another.
 * - `set(id, data, ttlMs)`: `getSession(the jar's cookie)`, `unset` every key it holds and `set`
 *   the new ones, then `commitSession(session, { expires: now + ttlMs })`; the jar keeps the
 *   Set-Cookie. With no cookie that is `createData`, with one `updateData` under the same id.
 *   `expires` is a Date, whole milliseconds, so a fractional TTL is declined with a RangeError.
 * - `get`: `getSession(cookie).data`; without a cookie, or without the adapter's key (see
 *   LIVE_KEY), a miss.
 * - `pop` is a logout: `getSession` then `destroySession` (which calls `deleteData`), declared
 *   non-atomic; the jar drops the cookie that destroySession clears. There is no touch (an app
 *   rolls a session by committing it again, which is `set`) and no update.
 * - `createId()` commits a new empty session, reads its id back through `getSession`, and
 *   destroys it: the ids `createData` makes, for the `id-quality` clause.
 * - Input is validated by the adapter with the reference stores' codec: `bad-input` tests the
 *   adapter and its result says so.
 */
export function fromReactRouterStorage<S extends ReactRouterStorageLike<any>>(storage: S, options: AdapterOptions<S> = {}): StoreFactory {
  const jar = new Map<string, string>();
  return adapterTarget('fromReactRouterStorage', 'react-router', storage, ['getSession', 'commitSession', 'destroySession'], { ...options, name: options.name ?? 'react-router:SessionStorage' }, (instance, maxDataBytes, release, validId) =>
    adapt(instance, jar, maxDataBytes, release, validId),
  );
}

function adapt(storage: ReactRouterStorageLike, jar: Map<string, string>, maxDataBytes = Infinity, release: () => Promise<void>, validId: (id: unknown) => void): SessionStore {
  const dataOf = (session: ReactRouterSessionLike): SessionData | undefined => {
    const data = session.data;
    if (!Object.hasOwn(data, LIVE_KEY)) return undefined;
    const { [LIVE_KEY]: _live, ...rest } = data;
    return rest as SessionData;
  };
  return {
    async get(id) {
      validId(id);
      const cookie = jar.get(id);
      return cookie === undefined ? undefined : dataOf(await storage.getSession(cookie));
    },
    async set(id, data, ttlMs) {
      validId(id);
      assertValidTtl(ttlMs);
      assertWholeMilliseconds('fromReactRouterStorage', ttlMs);
      encodeSession(data, maxDataBytes);
      if (Object.hasOwn(data, LIVE_KEY)) throw new TypeError(`session data must not have a "${LIVE_KEY}" key: the adapter marks live sessions with it`);
      const session = await storage.getSession(jar.get(id));
      for (const key of Object.keys(session.data)) session.unset(key);
      for (const [key, value] of Object.entries(data)) session.set(key, value);
      session.set(LIVE_KEY, true);
      jar.set(id, cookiePair(await storage.commitSession(session, { expires: new Date(Date.now() + ttlMs) })));
    },
    async pop(id) {
      validId(id);
      const cookie = jar.get(id);
      const session = await storage.getSession(cookie);
      const data = dataOf(session);
      const cleared = isCleared(cookiePair(await storage.destroySession(session)));
      // A set that committed a new cookie meanwhile keeps it: only the cookie this logout sent is cleared.
      if (cleared && jar.get(id) === cookie) jar.delete(id);
      return data;
    },
    async createId() {
      // A visitor's first commit: React Router's createData makes the id, the cookie carries it.
      const cookie = cookiePair(await storage.commitSession(await storage.getSession(), { expires: new Date(Date.now() + 60_000) }));
      const made = await storage.getSession(cookie);
      await storage.destroySession(made);
      return made.id;
    },
    close: release,
  };
}
