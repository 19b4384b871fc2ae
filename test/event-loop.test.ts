/**
 * The suite's share of the event loop: paced callers share each turn instead of all running in
 * one, and a clause's loop watch counts only its own timed waits, split by what held the loop.
 */
import { describe, expect, it } from 'vitest';
import { holdLoopFor, pace } from '../suite/event-loop.js';
import { monotonicNow } from '../suite/linearizability/history.js';
import { asStoreCall, asTimedWait, describeHold, LoopWatch } from '../suite/loop-watch.js';
import { ClauseWatch } from '../suite/strays.js';

/** Work that holds the loop for `ms` on a core, as a store call over an in-memory map chained many times does. */
function spin(ms: number): void {
  for (const until = monotonicNow() + ms; monotonicNow() < until; );
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('pace', () => {
  it('shares a turn among the clauses waiting: a timer due meanwhile fires after a slice, not after all of them', async () => {
    const CHAINS = 20;
    const CALLS = 5;
    let resumed = 0;
    const perTimerTurn: number[] = [];
    let last = 0;
    // A store's timer, due every millisecond: how many paced calls ran between two of its firings.
    const timer = setInterval(() => {
      perTimerTurn.push(resumed - last);
      last = resumed;
    }, 1);
    await turn();
    // Each chain a clause of its own, as checkConformance runs them side by side.
    await Promise.all(
      Array.from({ length: CHAINS }, () =>
        new ClauseWatch().run(async () => {
          for (let i = 0; i < CALLS; i++) {
            await pace();
            resumed++;
            spin(1);
          }
        }),
      ),
    );
    clearInterval(timer);
    expect(resumed).toBe(CHAINS * CALLS);
    // A slice is 2 ms: two callers of 1 ms each, a third at most when the clock read falls just so.
    // (Resumed all in one turn, the first turn ran all 20.)
    expect(Math.max(...perTimerTurn), perTimerTurn.join(' ')).toBeLessThanOrEqual(3);
  });

  it("lets one clause's racing calls start together, so that a get-then-delete pop can meet another", async () => {
    await turn();
    const events: string[] = [];
    // An in-memory pop that is a get and then a delete, its promises resolving at once.
    const sessions = new Map([['a', 1]]);
    const pop = async (who: string) => {
      await pace();
      const value = sessions.get('a');
      events.push(`${who} got ${value}`);
      await Promise.resolve();
      sessions.delete('a');
      return value;
    };
    const popped = await new ClauseWatch().run(() => Promise.all([pop('first'), pop('second')]));
    // Taken in turns, the second would have started after the first deleted, and found nothing.
    expect(popped).toEqual([1, 1]);
    expect(events).toEqual(['first got 1', 'second got 1']);
  });

  it('lets what comes right after a deliberate hold run before the loop turns', async () => {
    let fired = false;
    setTimeout(() => (fired = true), 0);
    await turn();
    fired = false;
    setTimeout(() => (fired = true), 0);
    holdLoopFor(5);
    await Promise.all([pace(), pace(), pace()]);
    expect(fired).toBe(false);
  });
});

describe('LoopWatch', () => {
  it('with onlyTimedWaits, counts only what held the loop inside its timed waits', async () => {
    const watch = new LoopWatch({ onlyTimedWaits: true });
    await turn();
    // Far longer than the hold inside: a loaded machine stretches the 25 ms (83 ms seen at load 6),
    // and the point is only which of the two the watch counts.
    holdLoopFor(400);
    await turn();
    await watch.run(() => asTimedWait(async () => {
      await turn();
      holdLoopFor(25);
      await turn();
    }));
    const hold = watch.stop();
    expect(hold.maxMs).toBeGreaterThanOrEqual(20);
    expect(hold.maxMs).toBeLessThan(400);
  });

  it("splits a held stretch into the store's synchronous calls and the suite's own work", async () => {
    const watch = new LoopWatch();
    await turn();
    asStoreCall(() => holdLoopFor(40));
    await turn();
    const inStore = watch.stop();
    // On a loaded machine, part of it is waiting for a core once the sleep is over: the machine's share, not the store's.
    const { coreWaitMs, gcMs } = inStore.causes;
    expect(inStore.causes.storeMs + coreWaitMs + gcMs, describeHold(inStore)).toBeGreaterThanOrEqual(30);
    expect(inStore.storeHeldMs).toBeGreaterThanOrEqual(inStore.causes.storeMs);
    expect(inStore.suiteHeldMs, describeHold(inStore)).toBeLessThan(10);

    const suiteWatch = new LoopWatch();
    await turn();
    holdLoopFor(40);
    await turn();
    const bySuite = suiteWatch.stop();
    expect(bySuite.causes.suiteMs + bySuite.causes.coreWaitMs + bySuite.causes.gcMs, describeHold(bySuite)).toBeGreaterThanOrEqual(30);
    expect(bySuite.suiteHeldMs).toBeGreaterThanOrEqual(bySuite.causes.suiteMs);
    expect(bySuite.causes.storeMs).toBe(0);
    expect(describeHold(bySuite)).toMatch(/^the event loop was held for up to [\d.]+ ms \(.*[\d.]+ ms the suite's own work\); the suite's own share was at most [\d.]+ ms$/);
  });

  it("gives each clause its own window: another clause's hold outside it is not its delay", async () => {
    const a = new LoopWatch({ onlyTimedWaits: true });
    const b = new LoopWatch({ onlyTimedWaits: true });
    await a.run(() => asTimedWait(async () => {
      await turn();
      holdLoopFor(30);
      await turn();
    }));
    await b.run(() => asTimedWait(async () => {
      await turn();
      await turn();
    }));
    expect(a.stop().maxMs).toBeGreaterThanOrEqual(25);
    expect(b.stop().maxMs).toBeLessThan(25);
  });
});
