import { randomBytes } from 'node:crypto';
import { ManualClock } from './clock.js';
import { systemClock, type Clock, type SessionStore } from './contract.js';
import { describeCall, describeThrown } from './describe-value.js';
import type { ResolvedTarget } from './target.js';

/** A TTL no clause lets elapse unless it means to: one hour. */
export const LONG_TTL_MS = 3_600_000;

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/**
 * A store call rejected with something that explains nothing (not an Error, or an Error with no
 * message): this names the call and what came back, and keeps the original as `reason`.
 */
export class UnexplainedRejection extends ContractViolation {
  override name = 'UnexplainedRejection';

  constructor(readonly call: string, readonly reason: unknown) {
    super(`${call} rejected with ${describeThrown(reason)}`, { cause: reason });
  }
}

type Method = 'get' | 'set' | 'pop' | 'touch' | 'update' | 'createId';

/**
 * Wraps a store so that every call is checked for the shape the contract requires (a promise,
 * never a synchronous throw) and cannot hang a run.
 */
function guard(store: SessionStore, timeoutMs: number): SessionStore {
  const call = (method: Method) => {
    const impl = store[method] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof impl !== 'function') return undefined;
    return (...args: unknown[]): Promise<never> => {
      let result: unknown;
      try {
        result = impl.apply(store, args);
      } catch (error) {
        return Promise.reject(new ContractViolation(`${describeCall(method, args)} threw synchronously instead of returning a rejected promise: ${describeThrown(error)}`, { cause: error }));
      }
      if (typeof (result as PromiseLike<unknown> | null)?.then !== 'function') {
        return Promise.reject(new ContractViolation(`${describeCall(method, args)} returned ${describeThrown(result)} instead of a promise`));
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ContractViolation(`${describeCall(method, args)} did not settle within ${timeoutMs} ms`)), timeoutMs);
      });
      return Promise.race([result as Promise<never>, timeout])
        .catch((reason: unknown) => {
          throw reason instanceof Error && reason.message !== '' ? reason : new UnexplainedRejection(describeCall(method, args), reason);
        })
        .finally(() => clearTimeout(timer));
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

  constructor(prefix: string, store: SessionStore) {
    this.#prefix = prefix;
    this.#store = store;
  }

  id(name: string): string {
    const id = this.#prefix + name;
    this.#ids.add(id);
    return id;
  }

  async cleanup(): Promise<void> {
    // A broken store may fail here too; the property's own verdict is what matters.
    await Promise.allSettled([...this.#ids].map((id) => this.#store.pop(id)));
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
  readonly #target: ResolvedTarget;
  readonly #runPrefix: string;

  private constructor(target: ResolvedTarget, raw: SessionStore, clock: Clock, manualClock: ManualClock | undefined, timeoutMs: number, runPrefix: string) {
    this.#target = target;
    this.#raw = raw;
    this.clock = clock;
    this.manualClock = manualClock;
    this.store = guard(raw, timeoutMs);
    this.#runPrefix = runPrefix;
  }

  static async open(target: ResolvedTarget, timeoutMs: number, runPrefix = Harness.newRunPrefix(), clock?: Clock): Promise<Harness> {
    // Instances opened together share the first one's clock, manual or not.
    const manualClock = clock ? (clock instanceof ManualClock ? clock : undefined) : target.clock === 'injected' ? new ManualClock() : undefined;
    const actualClock = clock ?? manualClock ?? systemClock;
    return new Harness(target, await target.open(actualClock), actualClock, manualClock, timeoutMs, runPrefix);
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
    return new RunScope(`${this.#runPrefix}${++scopeCounter}-`, this.store);
  }

  /** Runs `use` with a fresh scope, and removes what it created afterwards whatever happens. */
  async inScope<T>(use: (scope: RunScope) => Promise<T>): Promise<T> {
    const scope = this.scope();
    try {
      return await use(scope);
    } finally {
      await scope.cleanup();
    }
  }

  async close(): Promise<void> {
    if (this.#target.closesStores) await this.#raw.close?.();
  }
}
