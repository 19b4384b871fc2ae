/**
 * Errors that store code throws outside the call the suite awaits: from a driver's callback or a
 * timer, or a rejection nobody handles. In an app they crash the process; here, while clauses
 * run, they are caught and handed to the clause they belong to, so that the run goes on to its
 * report. AsyncLocalStorage follows a callback or a timer back to the store call that scheduled
 * it, and so to its clause; an error with no such trace goes to every clause running.
 *
 * Other listeners (vitest's, which reports unhandled errors itself) still hear every error.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { describeThrown } from './describe-value.js';

/** What a clause failed by a stray error means, and its usual cause, in the report's words. */
export const STRAY_MEANING = 'the app\'s process crashes (an uncaught exception) or logs an unhandled rejection, in the middle of serving requests';
export const STRAY_CAUSE = 'a driver callback, event handler or timer that throws, or a promise left to reject, instead of rejecting the promise of the call: catch there and reject';

/** Where code runs: for a clause, and within it for one store call (described lazily: data can be large). */
interface Context {
  watch: ClauseWatch;
  call?: () => string;
}

const context = new AsyncLocalStorage<Context>();
const watching = new Set<ClauseWatch>();

/** Thrown into a clause's pending store calls once store code threw outside them: the clause stops. */
export class ClauseStopped extends Error {
  override name = 'ClauseStopped';
}

/** The first frame of a stack that is not Node's own: where in the store's code it was thrown. */
function origin(error: unknown): string | undefined {
  const frames = (error instanceof Error ? (error.stack ?? '') : '').split('\n').filter((line) => /^\s+at /.test(line));
  return frames.find((line) => !/\(node:|^\s+at node:/.test(line))?.trim();
}

/** One clause's watch over the errors its store code throws outside the calls it awaits. */
export class ClauseWatch {
  readonly #controller = new AbortController();
  /** The store calls in flight, for an error that does not say which call it came from. */
  readonly #inFlight = new Set<() => string>();
  #first: string | undefined;
  #more = 0;

  /** Aborted at the first stray error: the clause's pending and later store calls reject at once. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** What store code threw outside its calls, as the clause's failure; undefined if nothing was. */
  get failure(): string | undefined {
    if (this.#first === undefined) return undefined;
    return this.#more > 0 ? `${this.#first}\n(and ${this.#more} more time${this.#more === 1 ? '' : 's'} while the clause ran)` : this.#first;
  }

  /** Runs `use` (the clause's check) under this watch; errors thrown meanwhile are caught. */
  async run<T>(use: () => Promise<T>): Promise<T> {
    watching.add(this);
    if (watching.size === 1) listen(true);
    try {
      return await context.run({ watch: this }, use);
    } finally {
      // Node reports a rejection nobody handled once the microtasks ran out: a store that never
      // leaves them (an in-memory one) could finish its clause first.
      await new Promise((resolve) => setImmediate(resolve));
      watching.delete(this);
      if (watching.size === 0) listen(false);
    }
  }

  /** Runs one store call so that what its callbacks throw names it; the call counts as in flight until `settled`. */
  call<T>(describe: () => string, start: () => T, settled: Promise<unknown>): T {
    this.#inFlight.add(describe);
    void settled.finally(() => this.#inFlight.delete(describe));
    return context.run({ watch: this, call: describe }, start);
  }

  caught(error: unknown, kind: 'exception' | 'rejection', call: (() => string) | undefined): void {
    if (this.#first !== undefined) {
      this.#more++;
      return;
    }
    const how = kind === 'exception' ? 'threw' : 'let a promise reject unhandled, with';
    const where = call
      ? `, in a callback, timer or promise of ${call()}, instead of rejecting that call's promise`
      : this.#inFlight.size > 0
        ? ` outside any store call, while ${[...this.#inFlight].slice(0, 3).map((d) => d()).join(', ')} ${this.#inFlight.size === 1 ? 'was' : 'were'} in flight`
        : ' outside any store call';
    const at = origin(error);
    this.#first = `store code ${how} ${describeThrown(error)}${where}.${at ? `\nThrown ${at}` : ''}`;
    this.#controller.abort(new ClauseStopped(`the clause stopped: ${this.#first.split('\n')[0]}`));
  }
}

/** The watch of the clause this code runs for, if any. */
export function currentWatch(): ClauseWatch | undefined {
  return context.getStore()?.watch;
}

/** Whether some clause is running under a watch (errors are then its, not the process's). */
export function watchingClauses(): boolean {
  return watching.size > 0;
}

const onStray = (kind: 'exception' | 'rejection') => (error: unknown) => {
  const here = context.getStore();
  // A callback of a clause that already finished belongs to no running clause: all of them hear of it.
  const watches = here && watching.has(here.watch) ? [here.watch] : [...watching];
  for (const watch of watches) watch.caught(error, kind, here?.call);
};
const onException = onStray('exception');
const onRejection = onStray('rejection');

function listen(on: boolean): void {
  if (on) {
    process.on('uncaughtException', onException);
    process.on('unhandledRejection', onRejection);
  } else {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  }
}
