/**
 * What the adapters from other ecosystems' stores have in common: their options, and the target
 * they hand the suite.
 */
import type { SessionStore, StoreDeclarations } from '../suite/contract.js';
import { assertValidId } from '../stores/session-codec.js';
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
