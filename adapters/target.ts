/**
 * What the adapters from other ecosystems' stores have in common: their options, and the target
 * they hand the suite.
 */
import { assertValidId, assertValidTtl, encodeSession } from '../stores/session-codec.js';
import type { SessionData, SessionStore, StoreDeclarations } from '../suite/contract.js';
import type { StoreFactory } from '../suite/target.js';

export interface AdapterOptions<S> extends Omit<StoreDeclarations, 'atomicPop'> {
  /** Shown in test names and report file names. Default `<ecosystem>:<constructor name>`. */
  name?: string;
  /** Builds another store on the same backend; required with `sharedBackend`. */
  open?: () => S | Promise<S>;
  /** Closes a store that `open` built (quits its client); the store handed in is left to you. */
  close?: (store: S) => unknown;
}

/**
 * The target for a store that the adapter `adapter` speaks to, where `adapt` turns one store into
 * a SessionStore whose `close` is the given `release`; its pop is a get then a destroy, so it is
 * declared non-atomic.
 *
 * The store instances: without `open` every instance the suite opens is the store handed in.
 * With `open`, the store handed in serves one suite instance at a time, and every instance opened
 * meanwhile is a new store from `open`, closed with `close` when the suite is done with it: two
 * instances open together are never one store, and the store handed in is never closed.
 */
export function adapterTarget<S extends object>(
  adapter: string,
  ecosystem: string,
  store: S,
  methods: readonly string[],
  options: AdapterOptions<S>,
  adapt: (store: S, maxDataBytes: number | undefined, release: () => Promise<void>) => SessionStore,
): StoreFactory {
  for (const method of methods) {
    if (typeof (store as Record<string, unknown> | null)?.[method] !== 'function') throw new TypeError(`${adapter}: the store has no ${method} method`);
  }
  const { name, open, close, ...declarations } = options;
  if (open !== undefined && typeof open !== 'function') throw new TypeError(`${adapter}: open must be a function () => store`);
  if (close !== undefined && typeof close !== 'function') throw new TypeError(`${adapter}: close must be a function (store) => void | Promise<void>`);
  if (declarations.sharedBackend && !open) throw new TypeError(`${adapter}: sharedBackend needs open(), which builds another store on the same backend`);
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
      return adapt(instance, declarations.maxDataBytes, release);
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
 * codec, then `load` / `save`, and pop as its logout, a load then a remove (not atomic).
 */
export function logoutStore(steps: FrameworkSteps, maxDataBytes: number, release: () => Promise<void>): SessionStore {
  return {
    async get(id) {
      assertValidId(id);
      return steps.load(id);
    },
    async set(id, data, ttlMs) {
      assertValidId(id);
      assertValidTtl(ttlMs);
      encodeSession(data, maxDataBytes);
      await steps.save(id, data, ttlMs);
    },
    async pop(id) {
      assertValidId(id);
      const data = await steps.load(id);
      await steps.remove(id);
      return data;
    },
    close: release,
  };
}
