import { randomBytes } from 'node:crypto';
import { ManualClock } from './clock.js';
import { systemClock, type Clock, type SessionStore } from './contract.js';
import { describeCall, describeThrown } from './describe-value.js';
import { pace } from './event-loop.js';
import { asStoreCall } from './loop-watch.js';
import { DECLARED_PREFIX_LENGTH, type IdSet } from './ids.js';
import { currentWatch } from './strays.js';
import type { ResolvedTarget } from './target.js';

/** A TTL no clause lets elapse unless it means to: one hour. */
export const LONG_TTL_MS = 3_600_000;

/**
 * A store call that broke how calls work, whatever the clause: it threw synchronously, returned
 * no promise, never settled, or rejected with nothing that explains why. What a clause expects of
 * a call's result is a ClauseViolation (property.ts) instead.
 */
export class CallViolation extends Error {
  override name = 'CallViolation';
}

/**
 * A store call rejected with something that explains nothing (not an Error, or an Error with no
 * message): this names the call and what came back, and keeps the original as `reason`.
 */
export class UnexplainedRejection extends CallViolation {
  override name = 'UnexplainedRejection';

  constructor(readonly call: string, readonly reason: unknown) {
    super(`${call} rejected with ${describeThrown(reason)}`, { cause: reason });
  }
}

type Method = 'get' | 'set' | 'pop' | 'touch' | 'update' | 'createId';

/** How long closing an instance waits for its calls still running (timed out, or left by a failed clause) before it removes what they wrote. */
const SETTLE_MS = 2_000;

/**
 * The ids an instance was asked to write that no pop has removed since, and its calls still
 * running: what a failed clause, a call that timed out or a write that landed after its scope's
 * cleanup leaves behind, for the instance to remove when it closes.
 */
class WriteLedger {
  readonly dirty = new Set<string>();
  /** Per id: writes in flight, and writes started so far (a pop clears an id only if none started meanwhile). */
  readonly #writing = new Map<string, number>();
  readonly #started = new Map<string, number>();
  readonly #running = new Set<Promise<unknown>>();

  /** A call that runs, or waits for its turn to start (paced): closing waits for it. Resolves to whether it succeeded. */
  running(call: Promise<unknown>): Promise<boolean> {
    const settled = call.then(
      () => true,
      () => false,
    );
    this.#running.add(settled);
    void settled.then(() => this.#running.delete(settled));
    return settled;
  }

  track(method: Method, id: unknown, call: Promise<unknown>): void {
    const settled = this.running(call);
    if (typeof id !== 'string') return;
    if (method === 'get') return;
    if (method === 'pop') {
      const started = this.#started.get(id);
      const quiet = !this.#writing.get(id);
      void settled.then((removed) => {
        if (removed && quiet && !this.#writing.get(id) && this.#started.get(id) === started) this.dirty.delete(id);
      });
      return;
    }
    this.dirty.add(id);
    this.#started.set(id, (this.#started.get(id) ?? 0) + 1);
    this.#writing.set(id, (this.#writing.get(id) ?? 0) + 1);
    void settled.then(() => this.#writing.set(id, this.#writing.get(id)! - 1));
  }

  /** Waits for the calls still running, at most `ms`. */
  async settled(ms: number): Promise<void> {
    if (this.#running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.#running), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }
}

/**
 * Removes sessions a run wrote, whatever state the store is in: a pop each, and where a pop
 * fails (a store whose get breaks on what it stored fails the pop of express-style stores,
 * which is a get then a destroy), an overwrite with a 1 ms TTL, so it expires at once, then a pop.
 */
async function removeAll(store: SessionStore, ids: Iterable<string>): Promise<void> {
  const all = [...ids];
  const popped = await Promise.allSettled(all.map((id) => store.pop(id)));
  const stuck = all.filter((_, i) => popped[i]!.status === 'rejected');
  await Promise.allSettled(stuck.map(async (id) => {
    await store.set(id, {}, 1);
    await store.pop(id);
  }));
}

/** The store call each rejection came from, so that a failure it causes can name the call. */
const rejectedCalls = new WeakMap<object, string>();

/** The call (`store.set("…", {…}, 1000)`) that rejected with `error`, when a guarded store call did. */
export function rejectedCall(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? rejectedCalls.get(error) : undefined;
}

function remember(error: Error, method: Method, args: unknown[]): Error {
  rejectedCalls.set(error, describeCall(method, args));
  return error;
}

/**
 * Wraps a store so that every call is checked for the shape the contract requires (a promise,
 * never a synchronous throw) and cannot hang a run. Each call is recorded in `ledger`, and runs
 * under its clause's watch: once store code throws outside a call, the clause's calls reject at
 * once, unless `stoppable` is false (cleanup must still remove what the clause wrote).
 */
function guard(store: SessionStore, timeoutMs: number, ledger: WriteLedger, stoppable: boolean, paced: boolean): SessionStore {
  const call = (method: Method) => {
    const impl = store[method] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof impl !== 'function') return undefined;
    const checked = (...args: unknown[]): Promise<never> => {
      const watch = currentWatch();
      const stop = stoppable ? watch?.signal : undefined;
      if (stop?.aborted) return Promise.reject(stop.reason);
      let result: unknown;
      let settle!: () => void;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      try {
        // Timed: a synchronous store's calls hold the loop, and that share is the store's, not the suite's.
        const start = () => asStoreCall(() => impl.apply(store, args));
        result = watch ? watch.call(() => describeCall(method, args), start, settled) : start();
      } catch (error) {
        settle();
        return Promise.reject(remember(new CallViolation(`${describeCall(method, args)} threw synchronously instead of returning a rejected promise: ${describeThrown(error)}`, { cause: error }), method, args));
      }
      if (typeof (result as PromiseLike<unknown> | null)?.then !== 'function') {
        settle();
        return Promise.reject(remember(new CallViolation(`${describeCall(method, args)} returned ${describeThrown(result)} instead of a promise`), method, args));
      }
      const running = Promise.resolve(result as PromiseLike<unknown>);
      ledger.track(method, args[0], running);
      let timer: NodeJS.Timeout | undefined;
      let onStop: (() => void) | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CallViolation(`${describeCall(method, args)} did not settle within ${timeoutMs} ms`)), timeoutMs);
        if (stop) stop.addEventListener('abort', (onStop = () => reject(stop.reason)), { once: true });
      });
      return Promise.race([running as Promise<never>, timeout])
        .catch((reason: unknown) => {
          throw remember(reason instanceof Error && reason.message !== '' ? reason : new UnexplainedRejection(describeCall(method, args), reason), method, args);
        })
        .finally(() => {
          clearTimeout(timer);
          if (onStop) stop!.removeEventListener('abort', onStop);
          settle();
        });
    };
    // On real time the loop turns between operations now and then: a long chain of calls over a
    // store whose promises resolve at once would otherwise hold it (microtasks never let a timer fire).
    if (!paced) return checked;
    return (...args: unknown[]): Promise<never> => {
      const call = pace().then(() => checked(...args));
      // Waiting for its turn, it is not in the ledger yet: closing waits for it to start all the same.
      void ledger.running(call);
      return call;
    };
  };
  return {
    get: call('get') as SessionStore['get'],
    set: call('set') as SessionStore['set'],
    pop: call('pop') as SessionStore['pop'],
    touch: call('touch') as SessionStore['touch'],
    update: call('update') as SessionStore['update'],
    createId: call('createId') as SessionStore['createId'],
  };
}

/**
 * The ids of one property run: all share a prefix unique to this conformance run, so runs never
 * see each other's sessions, and `cleanup` removes everything the run created.
 */
export class RunScope {
  readonly #prefix: string;
  readonly #store: SessionStore;
  readonly #ids = new Set<string>();
  readonly #declared: IdSet | undefined;

  constructor(prefix: string, store: SessionStore, declared?: IdSet) {
    this.#prefix = prefix;
    this.#store = store;
    this.#declared = declared;
  }

  /** What every id of this scope starts with. */
  get prefix(): string {
    return this.#prefix;
  }

  /** The id for `name`: on a store that declares its ids, one of them (see IdSet.fit). */
  id(name: string): string {
    const id = this.#declared ? this.#declared.fit(this.#prefix, name) : this.#prefix + name;
    this.#ids.add(id);
    return id;
  }

  /**
   * An id that starts with `name`, the scope's prefix after it: a trap that only the start of an
   * id sets (a trim, a BOM a decoder drops) is hidden behind the prefix. On a store that declares
   * its ids, one of them, as `id` makes.
   */
  leadingId(name: string): string {
    const leading = name + this.#prefix;
    if (this.#declared && this.#declared.explain(leading) !== undefined) return this.id(name);
    this.#ids.add(leading);
    return leading;
  }

  /** `name` under the prefix as it is, even outside the ids the store declared: for probing refusals. */
  rawId(name: string): string {
    const id = this.#prefix + name;
    this.#ids.add(id);
    return id;
  }

  async cleanup(): Promise<void> {
    // A broken store may fail here too; the property's own verdict is what matters.
    await removeAll(this.#store, this.#ids);
  }
}

// Global, so that harnesses sharing a run prefix (several instances on one backend) never reuse a scope.
let scopeCounter = 0;

/** One opened store instance with the clock it was opened with. */
export class Harness {
  readonly store: SessionStore;
  readonly clock: Clock;
  /** Present when the target reads an injected clock: time moves only when a clause moves it. */
  readonly manualClock: ManualClock | undefined;
  readonly #raw: SessionStore;
  /** The store as cleanup calls it: guarded, recorded, and never stopped with its clause. */
  readonly #cleaner: SessionStore;
  readonly #ledger = new WriteLedger();
  readonly #target: ResolvedTarget;
  readonly #runPrefix: string;

  private constructor(target: ResolvedTarget, raw: SessionStore, clock: Clock, manualClock: ManualClock | undefined, timeoutMs: number, runPrefix: string) {
    this.#target = target;
    this.#raw = raw;
    this.clock = clock;
    this.manualClock = manualClock;
    this.store = guard(raw, timeoutMs, this.#ledger, true, manualClock === undefined);
    this.#cleaner = guard(raw, timeoutMs, this.#ledger, false, manualClock === undefined);
    this.#runPrefix = runPrefix;
  }

  static async open(target: ResolvedTarget, timeoutMs: number, runPrefix = Harness.newRunPrefix(), clock?: Clock): Promise<Harness> {
    // Instances opened together share the first one's clock, manual or not.
    const manualClock = clock ? (clock instanceof ManualClock ? clock : undefined) : target.clock === 'injected' ? new ManualClock() : undefined;
    const actualClock = clock ?? manualClock ?? systemClock;
    // Opening is the store's work too (a database file, its schema, prepared statements): the loop
    // it holds synchronously is the store's share, not the suite's.
    return new Harness(target, await asStoreCall(() => target.open(actualClock)), actualClock, manualClock, timeoutMs, runPrefix);
  }

  static newRunPrefix(): string {
    return `scc-${randomBytes(4).toString('hex')}-`;
  }

  get hasTouch(): boolean {
    return typeof this.#raw.touch === 'function';
  }

  get hasUpdate(): boolean {
    return typeof this.#raw.update === 'function';
  }

  get hasCreateId(): boolean {
    return typeof this.#raw.createId === 'function';
  }

  scope(): RunScope {
    const declared = this.#target.ids;
    if (!declared) return new RunScope(`${this.#runPrefix}${++scopeCounter}-`, this.#cleaner);
    // Lowercase hex of one width: in every declarable alphabet, and no scope's ids run into another's.
    const run = this.#runPrefix.replace(/[^0-9a-f]/g, '').slice(-8);
    return new RunScope(`${run}${(++scopeCounter).toString(16).padStart(DECLARED_PREFIX_LENGTH - run.length, '0')}`, this.#cleaner, declared);
  }

  /** Runs `use` with a fresh scope, and removes what it created afterwards whatever happens. */
  async inScope<T>(use: (scope: RunScope) => Promise<T>): Promise<T> {
    // Between property runs the loop turns: a store's timers, and other clauses' waits, are not
    // held up by a long run of properties over a store whose promises resolve at once.
    if (!this.manualClock) await pace();
    const scope = this.scope();
    try {
      return await use(scope);
    } finally {
      await scope.cleanup();
    }
  }

  /** Removes what this instance wrote and no pop removed since (whatever the clause came to), then closes it. */
  async close(): Promise<void> {
    await this.#ledger.settled(SETTLE_MS);
    if (this.#ledger.dirty.size > 0) await removeAll(this.#cleaner, this.#ledger.dirty);
    if (this.#target.closesStores) await asStoreCall(() => this.#raw.close?.());
  }
}
