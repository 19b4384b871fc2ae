/**
 * A hapi catbox client or engine (@hapi/catbox's Client over catbox-memory, catbox-redis, …) as a
 * conformance target, spoken to as yar speaks to its server-side session cache: see
 * node_modules/@hapi/yar/lib/index.js (`cache.get(id)`, `cache.set(id, store, 0)`,
 * `cache.drop(id)` on a Policy) and node_modules/@hapi/catbox/lib/client.js, which the Policy
 * calls with `{ segment, id }` keys.
 */
import type { SessionData, SessionStore } from '../suite/contract.js';
import type { StoreFactory } from '../suite/target.js';
import { adapterTarget, assertWholeMilliseconds, logoutStore, type AdapterOptions } from './target.js';

export interface CatboxKey {
  segment: string;
  id: string;
}

/** What a Client and an engine both offer; `get` resolves to `null` or `{ item, stored, ttl }`. */
export interface CatboxLike {
  get(key: CatboxKey): unknown;
  set(key: CatboxKey, value: unknown, ttl: number): unknown;
  drop(key: CatboxKey): unknown;
  start(): unknown;
  isReady(): boolean;
}

export interface CatboxAdapterOptions<S> extends AdapterOptions<S> {
  /** The segment the sessions live in. Default `'!@hapi/yar'`, the one hapi gives yar's `server.cache()`. */
  segment?: string;
}

/** hapi names a plugin's cache segment `'!' + plugin name`, and yar's name is its package's. */
const YAR_SEGMENT = '!@hapi/yar';

/** A catbox Client wraps its engine as `connection`; an engine has none. */
const isClient = (store: CatboxLike): boolean => typeof (store as { connection?: unknown }).connection === 'object';

/**
 * A conformance target for a catbox Client or engine:
 * - The adapter starts a store that is not ready (`isReady()` false), as hapi starts its caches
 *   with the server; it never stops one (stores that `open` built are closed with `close`).
 * - `set(id, data, ttlMs)` is `set({ segment, id }, data, ttlMs)`: the data is the item, as yar
 *   stores its session object. catbox takes whole milliseconds (a Policy's `expiresIn` is a Joi
 *   integer), so a fractional TTL is declined with a RangeError.
 * - `get` is a miss when catbox resolves to `null`. A Client has already judged expiry; on an
 *   engine the adapter judges it as the Client does (`stored + ttl - now <= 0`, or no item, is a
 *   miss), since hapi never reads an engine without its Client.
 * - `pop` is yar's `reset()`: `get`, then `drop`, declared non-atomic. catbox has no touch and no
 *   update (yar saves a session again with `set`), so neither is offered.
 * - Input is validated by the adapter with the reference stores' codec (catbox's own checks are
 *   looser: it accepts an empty id): `bad-input` tests the adapter and its result says so.
 */
export function fromCatbox<S extends CatboxLike>(store: S, options: CatboxAdapterOptions<S> = {}): StoreFactory {
  const { segment = YAR_SEGMENT, ...adapterOptions } = options;
  if (typeof segment !== 'string' || segment === '') throw new TypeError(`fromCatbox: segment must be a non-empty string, got ${JSON.stringify(segment)}`);
  // catbox's Client is an anonymous class: name it here rather than leave the name empty.
  const name = adapterOptions.name ?? `hapi:${isClient(store) ? 'Client' : store.constructor?.name || 'engine'}`;
  return adapterTarget('fromCatbox', 'hapi', store, ['get', 'set', 'drop', 'start', 'isReady'], { ...adapterOptions, name }, (instance, maxDataBytes, release, validId) =>
    adapt(instance, segment, maxDataBytes, release, validId),
  );
}

function adapt(store: CatboxLike, segment: string, maxDataBytes = Infinity, release: () => Promise<void>, validId: (id: unknown) => void): SessionStore {
  const client = isClient(store);
  let starting: Promise<unknown> | undefined;
  const started = () => (starting ??= Promise.resolve(store.isReady() ? undefined : store.start()));
  const load = async (id: string): Promise<SessionData | undefined> => {
    await started();
    const cached = (await store.get({ segment, id })) as { item?: unknown; stored: number; ttl: number } | null | undefined;
    if (!cached || cached.item === undefined || cached.item === null) return undefined;
    if (!client && cached.stored + cached.ttl - Date.now() <= 0) return undefined;
    return cached.item as SessionData;
  };
  const save = async (id: string, data: SessionData, ttlMs: number): Promise<void> => {
    assertWholeMilliseconds('fromCatbox', ttlMs);
    await started();
    await store.set({ segment, id }, data, ttlMs);
  };
  return logoutStore({ load, save, remove: async (id) => store.drop({ segment, id }) }, maxDataBytes, release, validId);
}
