import type { ClauseId, ClauseLevel, Json } from './contract.js';
import fc from 'fast-check';
import type { Harness, RunScope } from './harness.js';
import type { IdPolicy } from './ids.js';
import { jsonEqual, preview } from './json-equal.js';
import { checkProperty, violated, type PropertyRun } from './property.js';
import type { Capabilities } from './result.js';
import type { ResolvedTarget } from './target.js';

export interface ClauseContext extends PropertyRun {
  readonly target: ResolvedTarget;
  readonly capabilities: Capabilities;
  /** fast-check's replayPath for model runs, printed with a model failure. */
  readonly replayPath: string | undefined;
  /** Opens a fresh store instance for the clause and closes it afterwards. */
  withStore<T>(use: (harness: Harness) => Promise<T>): Promise<T>;
  /** Opens `count` instances sharing one clock and id prefix (for targets with a shared backend). */
  withStores<T>(count: number, use: (harnesses: Harness[]) => Promise<T>): Promise<T>;
  /** The instances a concurrency clause spreads its clients over: several on a shared backend, else one. */
  withConcurrentStores<T>(use: (harnesses: Harness[]) => Promise<T>): Promise<T>;
  /** The ids this run may use: those the store declared, or all but the classes it refuses clearly. */
  readonly ids: IdPolicy;
  /** Findings reported as information beside the verdict (rates, counts). */
  readonly findings: Record<string, Json>;
  /**
   * Records that a check ran but could not judge enough to say the clause held (real time on a
   * busy machine). The clause goes on; unless it also breaks, it is reported as inconclusive.
   */
  inconclusive(reason: string): void;
}

/**
 * A clause's reference text, the one place it is written: `npm run docs` (docgen/) renders it into
 * the README's clause table and docs/contract.md's level table and per-clause sections, and
 * test/docs.test.ts fails when those files drift from it. Markdown; a multi-line text may be indented
 * as the source is, the common indentation is removed.
 */
export interface ClauseDoc {
  /** The README's clause table: what the clause checks, in one line. */
  summary: string;
  /** docs/contract.md's section heading after the id (`Round trip`), with its qualifiers. */
  heading: string;
  /** The level column of docs/contract.md's level table, when `levelFor` makes it depend on the target. */
  levelRule?: string;
  /** Why the clause has its level: the level table's last column. */
  whyLevel: string;
  /** The clause's section in docs/contract.md: what it requires and how it is tested. */
  body: string;
}

/** One clause of the contract as data: the report, the vitest binding and the docs all read this. */
export interface Clause {
  id: ClauseId;
  title: string;
  level: ClauseLevel;
  /** What an app's users see when a store breaks this clause, in their words (also the README clause table's last column). */
  meaning: string;
  /** What usually causes such a failure and how to fix it, where one cause is common. */
  cause?: string;
  /** The level for a particular target, when it depends on what the target promises. */
  levelFor?(target: ResolvedTarget): ClauseLevel;
  /** It disturbs the backend (kills, partitions) or the event loop: it runs alone, after every other clause. */
  exclusive?: boolean;
  /** On the system clock it waits on real time: the report gives the event-loop delay while it ran. */
  realTime?: boolean;
  /** Why the clause does not apply to this store, when it does not. */
  skipReason?(capabilities: Capabilities, target: ResolvedTarget): string | undefined;
  check(ctx: ClauseContext): Promise<void>;
  doc: ClauseDoc;
}

export function expectSame(actual: unknown, expected: unknown, what: string): void {
  if (!jsonEqual(actual, expected)) violated(`${what}: expected ${preview(expected)}, got ${preview(actual)}`);
}

/**
 * The usual shape of a clause's check: a property over generated values, each run in a fresh
 * scope of `harness` (its own id prefix, cleaned up afterwards).
 */
export function checkInScope<T>(
  run: PropertyRun,
  harness: Harness,
  values: fc.Arbitrary<T>,
  body: (scope: RunScope, value: T) => Promise<void>,
  format?: (counterexample: [T]) => string,
): Promise<void> {
  return checkProperty(run, fc.asyncProperty(values, (value) => harness.inScope((scope) => body(scope, value))), format);
}
