import fc from 'fast-check';
import type { ManualClock } from './clock.js';
import type { Harness, RunScope } from './harness.js';
import { deadlineWindow, type Stamp } from './linearizability/deadline.js';
import { monotonicNow } from './linearizability/history.js';
import { checkProperty, ClauseViolation, type PropertyRun } from './property.js';

export type { Stamp } from './linearizability/deadline.js';

// Captured at load, like monotonicNow: fake timers must not bend the suite's waits.
const realSetTimeout = setTimeout;

/**
 * Time as a clause sees it. On an injected clock time is exact and moves only when told
 * (`slack` 0, checks at deadline − 1 and at the deadline). On the system clock time is real:
 * a deadline is only known within [call + ttl − slack, ret + ttl + slack], and a check that
 * happened inside that window proves nothing either way, so it is not judged.
 */
export class Timeline {
  readonly exact: boolean;
  /** Expiry may fire this much early or late (the target's ttlResolutionMs on real time). */
  readonly slack: number;
  /** The TTL step that real-time scenarios are built from. */
  readonly unit: number;
  readonly #manual: ManualClock | undefined;
  readonly #start: number;

  constructor(manual: ManualClock | undefined, ttlResolutionMs: number) {
    this.#manual = manual;
    this.exact = manual !== undefined;
    this.slack = this.exact ? 0 : ttlResolutionMs;
    this.unit = this.exact ? 1 : Math.max(ttlResolutionMs, 100);
    this.#start = this.#read();
  }

  #read(): number {
    return this.#manual ? this.#manual.now() : monotonicNow();
  }

  elapsed(): number {
    return this.#read() - this.#start;
  }

  /** Returns at `offset` or later, never before. */
  async waitUntil(offset: number): Promise<void> {
    // A timer counts from the event loop's cached time, which lags when the loop was busy: it
    // can fire early by the monotonic clock, so wait again until the instant has truly passed.
    for (let remaining = offset - this.elapsed(); remaining > 0; remaining = offset - this.elapsed()) {
      if (this.#manual) this.#manual.advance(remaining);
      else await new Promise((resolve) => realSetTimeout(resolve, Math.ceil(remaining)));
    }
  }

  async op<T>(run: () => Promise<T>): Promise<[T, Stamp]> {
    const call = this.elapsed();
    const value = await run();
    return [value, { call, ret: this.elapsed() }];
  }

  /** When to check that a session written at `write` with `ttlMs` is still live. */
  liveCheckpoint(write: Stamp, ttlMs: number): number {
    // A whole unit before the earliest possible expiry: room for a busy event loop to be late.
    return this.exact ? write.ret + ttlMs - 1 : deadlineWindow(write, ttlMs, this.slack).earliest - this.unit;
  }

  /** When to check that it has expired. */
  expiredCheckpoint(write: Stamp, ttlMs: number): number {
    return deadlineWindow(write, ttlMs, this.slack).latest;
  }

  mustBeLive(write: Stamp, ttlMs: number, read: Stamp): boolean {
    return read.ret < deadlineWindow(write, ttlMs, this.slack).earliest;
  }

  mustBeExpired(write: Stamp, ttlMs: number, read: Stamp): boolean {
    return read.call >= deadlineWindow(write, ttlMs, this.slack).latest;
  }
}

/**
 * Runs a timed scenario. With an injected clock: a shrinking fast-check property, one scenario
 * after another. With real time: a seeded sample of scenarios all at once, so their waits
 * overlap instead of adding up (shrinking real waits would take minutes and prove little).
 */
export async function checkTimed<P>(
  run: PropertyRun,
  harness: Harness,
  ttlResolutionMs: number,
  params: (timeline: Timeline) => fc.Arbitrary<P>,
  scenario: (timeline: Timeline, scope: RunScope, p: P) => Promise<void>,
): Promise<void> {
  const once = async (p: P): Promise<void> => {
    await harness.inScope(async (scope) => {
      await scenario(new Timeline(harness.manualClock, ttlResolutionMs), scope, p);
    });
  };
  const arbitrary = params(new Timeline(harness.manualClock, ttlResolutionMs));
  if (harness.manualClock) {
    await checkProperty(run, fc.asyncProperty(arbitrary, once));
    return;
  }
  const samples = fc.sample(arbitrary, { numRuns: Math.min(run.numRuns, 12), seed: run.seed });
  const outcomes = await Promise.allSettled(samples.map(once));
  const index = outcomes.findIndex((o) => o.status === 'rejected');
  if (index < 0) return;
  const reason = (outcomes[index] as PromiseRejectedResult).reason;
  throw new ClauseViolation(
    reason instanceof Error ? reason.message : String(reason),
    { counterexample: fc.stringify(samples[index]), seed: run.seed },
    { cause: reason },
  );
}
