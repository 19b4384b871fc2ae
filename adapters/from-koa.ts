/**
 * A koa-session external store as a conformance target, spoken to exactly as koa-session speaks
 * to it: see node_modules/koa-session/src/context.ts (initFromExternal, valid, save, remove).
 */
import type { IdDeclaration, SessionData, SessionStore } from '../suite/contract.js';
import type { StoreFactory } from '../suite/target.js';
import { adapterTarget, logoutStore, type AdapterOptions } from './target.js';

/** koa-session's `store` option; it awaits each call, so sync and async stores both work. */
export interface KoaStoreLike {
  get(key: string, maxAge: number | undefined, options: { rolling: boolean; ctx: unknown }): unknown;
  set(key: string, session: object, maxAge: number, options: { rolling: boolean; changed: boolean; ctx: unknown }): unknown;
  destroy(key: string, options: { ctx: unknown }): unknown;
}

/** koa-session asks the store to keep a session this much longer than its cookie lives. */
const STORE_GRACE_MS = 10_000;

/** The keys koa-session adds to the data it stores, and reads back as its own. */
const KOA_KEYS = ['_expire', '_maxAge', '_session'] as const;

// The adapter serves no request, so there is no Koa context to pass: stores that need one fail visibly.
const ctx = undefined;

/**
 * The ids koa-session sends with its default `genid`: `crypto.randomUUID()`, 36 characters of
 * lowercase hex and dashes (node_modules/koa-session/src/index.ts). Declare them
 * (`fromKoaStore(store, { ids: KOA_SESSION_IDS })`) for a store that cannot keep other ids: the
 * suite then tests only such ids, and the adapter refuses others, as koa-session never sends them.
 * With koa-session's `prefix` option or an own `genid`, declare what those produce instead.
 */
export const KOA_SESSION_IDS: IdDeclaration = { alphabet: 'uuid', maxLength: 36 };

/**
 * A conformance target for a koa-session store, under koa-session's default options
 * (`rolling: false`, `maxAge` unset, so `get` receives `undefined` as its maxAge):
 * - `set(id, data, ttlMs)` stores `{ ...data, _expire: now + ttlMs, _maxAge: ttlMs }` with a maxAge
 *   of `ttlMs + 10000` ms, as koa-session does so that the store outlives the cookie.
 * - `get` is a miss when the store returns nothing or a session whose `_expire` has passed:
 *   koa-session itself decides expiry (`_expire < Date.now()`, so a session is still valid at
 *   exactly its `_expire`, one millisecond longer than the contract allows; no clause judges a
 *   real-time boundary that finely). The data comes back without the keys koa-session adds.
 * - `pop` is a logout: `get`, then `destroy` (koa-session destroys whether or not anything was
 *   loaded), declared non-atomic. There is no `touch` (a rolling koa session is saved again with
 *   `set`) and no `update`.
 * - Input is validated by the adapter with the reference stores' codec: `bad-input` tests the
 *   adapter and its result says so.
 */
export function fromKoaStore<S extends KoaStoreLike>(store: S, options: AdapterOptions<S> = {}): StoreFactory {
  return adapterTarget('fromKoaStore', 'koa', store, ['get', 'set', 'destroy'], options, adapt);
}

function adapt(store: KoaStoreLike, maxDataBytes = Infinity, release: () => Promise<void>, validId: (id: unknown) => void): SessionStore {
  const load = async (id: string): Promise<SessionData | undefined> => {
    const session = (await store.get(id, undefined, { rolling: false, ctx })) as Record<string, unknown> | null | undefined;
    // koa-session's valid(): nothing, or an `_expire` in the past, is a missed session.
    if (!session) return undefined;
    if (typeof session !== 'object') return session as SessionData; // let the suite report what came back
    if (typeof session._expire === 'number' && session._expire < Date.now()) return undefined;
    const data = { ...session };
    for (const key of KOA_KEYS) delete data[key];
    return data as SessionData;
  };
  const save = async (id: string, data: SessionData, ttlMs: number): Promise<void> => {
    const own = KOA_KEYS.find((key) => Object.hasOwn(data, key));
    if (own) throw new TypeError(`session data must not have a "${own}" key: koa-session keeps its own there`);
    await store.set(id, { ...data, _expire: Date.now() + ttlMs, _maxAge: ttlMs }, ttlMs + STORE_GRACE_MS, { changed: true, ctx, rolling: false });
  };
  // koa-session destroys whether or not anything was loaded.
  return logoutStore({ load, save, remove: async (id) => store.destroy(id, { ctx }) }, maxDataBytes, release, validId);
}
