/**
 * What the adapters from other ecosystems' stores have in common: their options, and the target
 * they hand the suite.
 */
import { assertValidId, assertValidTtl, encodeSession } from '../stores/session-codec.js';
import type { SessionData, SessionStore, StoreDeclarations } from '../suite/contract.js';
import { IdSet } from '../suite/ids.js';
import type { StoreFactory } from '../suite/target.js';

export interface AdapterOptions<S> extends Omit<StoreDeclarations, 'atomicPop'> {
  /** Shown in test names and report file names. Default `<ecosystem>:<constructor name>`. */
  name?: string;
  /** Builds another store on the same backend; required with `sharedBackend`. */
  open?: () => S | Promise<S>;
  /**
   * Closes a store (quits its client): each one `open` built, when the suite is done with it. The
   * store handed in is left to you, except that the target's own close() (which the commands call
   * before they exit) closes it with this, else with the store's own close() if it has one.
   */
  close?: (store: S) => unknown;
}

/**
 * The target for a store that the adapter `adapter` speaks to, where `adapt` turns one store into
 * a SessionStore whose `close` is the given `release` and which checks each id with `validId`
 * (a TypeError for a bad id, or one outside the declared `ids`); its pop is a get then a destroy, so it is
 * declared non-atomic.
 *
 * The store instances: without `open` every instance the suite opens is the store handed in.
 * With `open`, the store handed in serves one suite instance at a time, and every instance opened
 * meanwhile is a new store from `open`, closed with `close` when the suite is done with it: two
 * instances open together are never one store, and the suite never closes the store handed in
 * (the target's close(), called by the commands as they end, does).
 */
export function adapterTarget<S extends object>(
  adapter: string,
  ecosystem: string,
  store: S,
  methods: readonly string[],
  options: AdapterOptions<S>,
  adapt: (store: S, maxDataBytes: number | undefined, release: () => Promise<void>, validId: (id: unknown) => void) => SessionStore,
): StoreFactory {
  for (const method of methods) {
    if (typeof (store as Record<string, unknown> | null)?.[method] !== 'function') throw new TypeError(`${adapter}: the store has no ${method} method`);
  }
  const { name, open, close, ...declarations } = options;
  if (open !== undefined && typeof open !== 'function') throw new TypeError(`${adapter}: open must be a function () => store`);
  if (close !== undefined && typeof close !== 'function') throw new TypeError(`${adapter}: close must be a function (store) => void | Promise<void>`);
  if (declarations.sharedBackend && !open) throw new TypeError(`${adapter}: sharedBackend needs open(), which builds another store on the same backend`);
  // The framework never sends a bad id, nor one outside the ids declared: the adapter, in its place, refuses them.
  const ids = declarations.ids && new IdSet(declarations.ids);
  const validId = (id: unknown): void => {
    assertValidId(id);
    const why = ids?.explain(id);
    if (why !== undefined) throw new TypeError(`session id ${JSON.stringify(id)} is outside the ids ${ecosystem} sends (${ids!.description}): ${why}`);
  };
  let lent = false;
  const acquire = async (): Promise<[S, () => Promise<void>]> => {
    if (!open) return [store, async () => {}];
    if (!lent) {
      lent = true;
      return [store, async () => void (lent = false)];
    }
    const opened = await open();
    return [opened, async () => void (await close?.(opened))];
  };
  return {
    name: name ?? `${ecosystem}:${store.constructor?.name ?? 'store'}`,
    ...declarations,
    atomicPop: false,
    inputValidatedBy: adapter,
    async open() {
      const [instance, release] = await acquire();
      return adapt(instance, declarations.maxDataBytes, release, validId);
    },
    async close() {
      const own = (store as { close?: unknown }).close;
      if (close) await close(store);
      else if (typeof own === 'function') await own.call(store);
    },
  };
}

/**
 * For stores whose TTL is a whole number of milliseconds by nature (a catbox ttl, a Date): a
 * fractional TTL is declined as bad input, where truncating it would end a session early.
 */
export function assertWholeMilliseconds(adapter: string, ttlMs: number): void {
  if (!Number.isInteger(ttlMs)) throw new RangeError(`${adapter}: ttlMs must be whole milliseconds, got ${ttlMs}`);
}

/** How a framework reads, saves and deletes one session, its input already validated. */
export interface FrameworkSteps {
  load(id: string): Promise<SessionData | undefined>;
  save(id: string, data: SessionData, ttlMs: number): Promise<void>;
  remove(id: string): Promise<unknown>;
}

/**
 * The SessionStore of a framework that has no pop: input validated with the reference stores'
 * codec and `validId` (the adapter target's: the ids the framework sends, when declared), then
 * `load` / `save`, and pop as its logout, a load then a remove (not atomic).
 */
export function logoutStore(steps: FrameworkSteps, maxDataBytes: number, release: () => Promise<void>, validId: (id: unknown) => void): SessionStore {
  return {
    async get(id) {
      validId(id);
      return steps.load(id);
    },
    async set(id, data, ttlMs) {
      validId(id);
      assertValidTtl(ttlMs);
      encodeSession(data, maxDataBytes);
      await steps.save(id, data, ttlMs);
    },
    async pop(id) {
      validId(id);
      const data = await steps.load(id);
      await steps.remove(id);
      return data;
    },
    close: release,
  };
}
