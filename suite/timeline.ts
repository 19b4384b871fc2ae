import fc from 'fast-check';
import { CheckTally } from './check-tally.js';
import type { ClauseContext } from './clause.js';
import type { ManualClock } from './clock.js';
import type { Harness, RunScope } from './harness.js';
import type { Json } from './contract.js';
import { jsonEqual, preview } from './json-equal.js';
import { deadlineWindow, type Stamp } from './linearizability/deadline.js';
import { holdLoopFor, settle, whileWaitingOnTime } from './event-loop.js';
import { describeHold, watchLoop } from './loop-watch.js';
import { monotonicNow } from './linearizability/history.js';
import { messageOf } from './describe-value.js';
import { CHECK_FAILED, checkProperty, ClauseViolation, COUNTEREXAMPLE_CHARS, violated, type PropertyRun } from './property.js';

export type { Stamp } from './linearizability/deadline.js';

// Captured at load, like monotonicNow: fake timers must not bend the suite's waits.
const realSetTimeout = setTimeout;

/** Milliseconds for a reader: a tenth of a millisecond is as fine as real time can be judged here. */
export const ms = (t: number): string => String(Math.round(t * 10) / 10);

/** What a call came back with, in a story: `absent` for a miss, short JSON otherwise. */
const outcome = (value: unknown): string => (value === undefined ? 'absent' : preview(value, 60));

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
  /** Counts what mustBeLive and mustBeExpired were asked, and how much of it they could judge. */
  readonly tally: CheckTally;
  readonly #manual: ManualClock | undefined;
  /**
   * Set by the first look at the time, not at construction: a story then always begins "at 0",
   * whatever the scenario waited for before its first call (its turn, its scope's setup).
   */
  #start: number | undefined;
  /** The labelled calls so far, for the message of a failure. */
  readonly #story: string[] = [];

  /** `scale` stretches the real-time unit: a busy machine gets more room around each deadline. */
  constructor(manual: ManualClock | undefined, ttlResolutionMs: number, tally = new CheckTally(), scale = 1) {
    this.#manual = manual;
    this.exact = manual !== undefined;
    this.slack = this.exact ? 0 : ttlResolutionMs;
    this.unit = this.exact ? 1 : Math.max(ttlResolutionMs, 100) * scale;
    this.tally = tally;
  }

  #read(): number {
    return this.#manual ? this.#manual.now() : monotonicNow();
  }

  elapsed(): number {
    const now = this.#read();
    this.#start ??= now;
    return now - this.#start;
  }

  /** Returns at `offset` or later, never before. */
  async waitUntil(offset: number): Promise<void> {
    // Node's timers count from the loop's time in whole milliseconds, so a timer can fire up to
    // 1 ms early by the monotonic clock: wait again until the instant has truly passed. (An early
    // check after a deadline blamed a correct store for keeping a session.)
    for (let remaining = offset - this.elapsed(); remaining > 0; remaining = offset - this.elapsed()) {
      if (this.#manual) this.#manual.advance(remaining);
      else await new Promise((resolve) => realSetTimeout(resolve, Math.ceil(remaining)));
    }
    // The store's own timers that are due by now fire before the next read: when the loop was
    // held across a deadline (the suite's work, a loaded machine), a read in that stretch would
    // judge what the store was never given the time to do. (expiry-while-busy asks that on purpose.)
    if (!this.#manual) await settle();
  }

  /** Holds the event loop until `offset` (real time only): no timer fires meanwhile, the store's neither. */
  holdUntil(offset: number): void {
    if (this.exact) throw new Error('an injected clock has no event loop to hold');
    holdLoopFor(offset - this.elapsed());
  }

  /** Runs one store call; with a label (`set(ttl 300)`), the call joins the story a failure tells. */
  async op<T>(run: () => Promise<T>, label?: string): Promise<[T, Stamp]> {
    const call = this.elapsed();
    const value = await run();
    const stamp = { call, ret: this.elapsed() };
    if (label !== undefined) this.record(label, stamp);
    return [value, stamp];
  }

  /** Adds a call to the story, with what it came back with when that matters. */
  record(label: string, stamp: Stamp, ...seen: [unknown?]): void {
    this.#story.push(`${label} at ${ms(stamp.call)}${seen.length > 0 ? ` → ${outcome(seen[0])}` : ''}`);
  }

  /**
   * Judges a read that must see a live session holding `expected`, when it surely came before
   * the deadline; either way the read joins the story.
   */
  expectLive(label: string, read: Stamp, seen: unknown, expected: unknown, write: Stamp, ttlMs: number): void {
    if (this.mustBeLive(write, ttlMs, read) && !jsonEqual(seen, expected)) {
      const must = seen === undefined || seen === false ? 'live' : `${outcome(expected)}, live`;
      this.fail(label, read, seen, `it must be ${must} until at least ${ms(deadlineWindow(write, ttlMs, this.slack).earliest)}`);
    }
    this.record(label, read, seen);
  }

  /**
   * Judges a look at a session that must have expired, when it surely came after the deadline.
   * Returns whether it was judged: a look that came early may rightly have seen a live session,
   * and then nothing after it can be judged either.
   */
  expectExpired(label: string, read: Stamp, seen: unknown, absent: unknown, write: Stamp, ttlMs: number): boolean {
    const judged = this.mustBeExpired(write, ttlMs, read);
    if (judged && !jsonEqual(seen, absent)) this.fail(label, read, seen, `it must be gone from ${ms(deadlineWindow(write, ttlMs, this.slack).latest)} on`);
    this.record(label, read, seen);
    return judged;
  }

  /** Fails with the scenario as it happened, in ms from its start: `set(ttl 300) at 0 → get at 499 → absent; it must …`. */
  fail(label: string, read: Stamp, seen: unknown, rule: string): never {
    return violated(`${[...this.#story, `${label} at ${ms(read.call)} → ${outcome(seen)}`].join(' → ')}; ${rule}`);
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
    return this.tally.count('live', read.ret < deadlineWindow(write, ttlMs, this.slack).earliest);
  }

  mustBeExpired(write: Stamp, ttlMs: number, read: Stamp): boolean {
    return this.tally.count('expired', read.call >= deadlineWindow(write, ttlMs, this.slack).latest);
  }
}

/** A pass needs this share of each kind of timed check judged. */
const MIN_JUDGED_SHARE = 0.8;
/**
 * How far a real-time run may stretch its unit (doubling each time) before it gives up judging:
 * 8×, and no unit over 2 s, so a coarse store's longest retry stays well inside a test timeout.
 */
const MAX_SCALE = 8;
const MAX_RETRY_UNIT_MS = 2000;

type TimedRun = PropertyRun & Pick<ClauseContext, 'findings' | 'inconclusive'>;

/**
 * Runs a timed scenario. With an injected clock: a shrinking fast-check property, one scenario
 * after another. With real time: a seeded sample of scenarios all at once, so their waits
 * overlap instead of adding up (shrinking real waits would take minutes and prove little).
 * Real time that judged too few checks runs again on a larger unit, then reports inconclusive;
 * the counts go to the findings as `timedChecks[what]`.
 */
export async function checkTimed<P>(
  run: TimedRun,
  harness: Harness,
  what: string,
  ttlResolutionMs: number,
  params: (timeline: Timeline) => fc.Arbitrary<P>,
  scenario: (timeline: Timeline, scope: RunScope, p: P) => Promise<void>,
): Promise<void> {
  const timed = async () => {
    let scale = 1;
    let attempts = 1;
    let { tally, unitMs } = await checkTimedOnce(run, harness, ttlResolutionMs, scale, params, scenario);
    while (!harness.manualClock && tally.shortfalls(MIN_JUDGED_SHARE).length > 0 && scale < MAX_SCALE && unitMs * 2 <= MAX_RETRY_UNIT_MS) {
      scale *= 2;
      attempts++;
      ({ tally, unitMs } = await checkTimedOnce(run, harness, ttlResolutionMs, scale, params, scenario));
    }
    return { tally, unitMs, attempts };
  };
  // Watched from when the waits start, not while they wait for a hold elsewhere to end.
  const [{ tally, unitMs, attempts }, hold] = harness.manualClock ? [await timed(), undefined] : await whileWaitingOnTime(() => watchLoop(timed));
  const timedChecks = (run.findings.timedChecks ?? {}) as Record<string, Json>;
  run.findings.timedChecks = { ...timedChecks, [what]: { unitMs, attempts, ...tally.toJson() } };
  const shortfalls = tally.shortfalls(MIN_JUDGED_SHARE);
  // The measured delay tells a loaded machine (or a busy suite) from a slow store.
  const held = hold ? `; ${describeHold(hold)}` : '';
  if (shortfalls.length > 0) run.inconclusive(`machine too slow: ${tally.describe(what, shortfalls)}, with a time unit of up to ${unitMs} ms${held}`);
}

async function checkTimedOnce<P>(
  run: PropertyRun,
  harness: Harness,
  ttlResolutionMs: number,
  scale: number,
  params: (timeline: Timeline) => fc.Arbitrary<P>,
  scenario: (timeline: Timeline, scope: RunScope, p: P) => Promise<void>,
): Promise<{ tally: CheckTally; unitMs: number }> {
  const tally = new CheckTally();
  const once = async (p: P): Promise<void> => {
    await harness.inScope(async (scope) => {
      await scenario(new Timeline(harness.manualClock, ttlResolutionMs, tally, scale), scope, p);
    });
  };
  // The scenarios' own timelines start when each runs; this one only shapes the parameters.
  const shape = new Timeline(harness.manualClock, ttlResolutionMs, tally, scale);
  const unitMs = shape.unit;
  const arbitrary = params(shape);
  if (harness.manualClock) {
    await checkProperty(run, fc.asyncProperty(arbitrary, once));
    return { tally, unitMs };
  }
  const samples = fc.sample(arbitrary, { numRuns: Math.min(run.numRuns, 12), seed: run.seed });
  const outcomes = await Promise.allSettled(samples.map(once));
  const index = outcomes.findIndex((o) => o.status === 'rejected');
  if (index < 0) return { tally, unitMs };
  const reason = (outcomes[index] as PromiseRejectedResult).reason;
  throw new ClauseViolation(
    messageOf(reason, CHECK_FAILED),
    { counterexample: preview(samples[index], COUNTEREXAMPLE_CHARS, fc.stringify), seed: run.seed },
    { cause: reason },
  );
}
