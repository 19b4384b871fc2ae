/**
 * A correct store made slow, as a loaded machine or a distant server makes it: each call waits
 * before it reaches the store and again before its answer is delivered. The store still behaves
 * correctly — every call takes effect once, inside its own [call, return] interval — so any
 * failure a timed clause reports on it is a false alarm.
 */
import type { SessionStore } from '../../suite/contract.js';

type Method = 'get' | 'set' | 'pop' | 'touch' | 'update';

/** How long a call waits on its way in and on its way out, in ms. */
export type DelayPolicy = (method: Method, args: unknown[]) => { before: number; after: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function delayed(store: SessionStore, policy: DelayPolicy): SessionStore {
  const wrap = (method: Method) => {
    const impl = store[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (!impl) return undefined;
    return async (...args: unknown[]) => {
      const { before, after } = policy(method, args);
      await sleep(before);
      const result = await impl.apply(store, args);
      await sleep(after);
      return result;
    };
  };
  return {
    get: wrap('get'),
    set: wrap('set'),
    pop: wrap('pop'),
    touch: wrap('touch'),
    update: wrap('update'),
    close: () => store.close?.() ?? Promise.resolve(),
  } as SessionStore;
}

/** Every call waits between `minMs` and `maxMs` each way, drawn from a seeded generator. */
export function randomDelays(seed: number, minMs: number, maxMs: number): DelayPolicy {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32: small, seeded, good enough to spread delays.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const draw = () => minMs + next() * (maxMs - minMs);
  return () => ({ before: draw(), after: draw() });
}

/**
 * A read of a live session is held until just past its deadline, as a stalled event loop would
 * hold it: no check that a session is still live can ever be judged.
 */
export function readsStallPastTheDeadline(): DelayPolicy {
  const deadlines = new Map<unknown, number>();
  return (method, [id, , ttlMs]) => {
    const now = performance.now();
    if (method === 'set') deadlines.set(id, now + (ttlMs as number));
    const stall = method === 'get' ? Math.max(0, (deadlines.get(id) ?? 0) + 1 - now) : 0;
    return { before: stall, after: 0 };
  };
}
