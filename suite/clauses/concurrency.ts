import fc from 'fast-check';
import type { Clause } from '../clause.js';
import { offTheTimingPath, whileWaitingOnTime } from '../event-loop.js';
import { watchLoop } from '../loop-watch.js';
import { LONG_TTL_MS } from '../harness.js';
import { expectLinearizable } from '../linearizability/expect.js';
import { monotonicClock, recordOp, sequenceClock, type History } from '../linearizability/history.js';
import { Timeline } from '../timeline.js';
import { incrementThroughGetSet, programs, plannedOps, runPrograms } from '../linearizability/programs.js';

const INCREMENT_ROUNDS = 5;
/** Short TTLs up to this are waited out for a last read of every session (not Memcached's 10 s). */
const FINAL_READ_MAX_TTL_MS = 1000;
/** The client that reads every session last, after the programs' clients. */
const FINAL_READER = 1000;
const WRITERS = 16;

export const concurrency: Clause = {
  id: 'concurrency',
  title: 'many clients with operations in flight at once, across instances, give linearizable histories',
  level: 'MUST',
  realTime: true,
  meaning: 'under concurrent requests, sessions appear, vanish, roll back or come back after a logout',
  cause: 'operations that read, then write, without atomicity across instances, or a per-instance cache',
  check: (ctx) =>
    ctx.withConcurrentStores(async (hs) => {
      const h = hs[0]!;
      // On real time, short TTLs let sessions expire mid-run; a frozen injected clock never expires them.
      const unit = Math.max(ctx.target.ttlResolutionMs, 5);
      const realTime = !h.manualClock;
      // Generating the programs and checking their histories holds the loop for tens of ms at a time.
      if (realTime) await offTheTimingPath();
      const op = plannedOps({ sessions: 3, touch: h.hasTouch, update: h.hasUpdate, shortTtl: realTime });
      const runs = fc.sample(programs(op, { min: 8, max: 8 }, { min: 10, max: 16 }), { numRuns: Math.min(ctx.numRuns, 10), seed: ctx.seed });
      const shortTtl = 10 * unit;
      await h.inScope(async (scope) => {
        const done: { history: History; ids: string[]; loopDelayMs: number }[] = [];
        for (const [index, progs] of runs.entries()) {
          const ids = ['a', 'b', 'c'].map((name) => scope.id(`${index}-${name}`));
          const [history, { maxMs: loopDelayMs }] = await whileWaitingOnTime(() =>
            watchLoop(() => runPrograms(progs, { stores: hs.map((x) => x.store), ids, ttls: [LONG_TTL_MS, shortTtl], clock: realTime ? monotonicClock : sequenceClock() })),
          );
          done.push({ history, ids, loopDelayMs });
        }
        if (realTime && shortTtl <= FINAL_READ_MAX_TTL_MS) {
          // Every session is read once more when the short TTLs have surely run out, so that an
          // expiry that goes wrong (an old timer deleting a newer write) shows however long a run took.
          await whileWaitingOnTime(async () => {
            await new Timeline(undefined, ctx.target.ttlResolutionMs).waitUntil(shortTtl + unit);
            for (const { history, ids } of done) for (const id of ids) await recordOp(history, monotonicClock, h.store, FINAL_READER, { op: 'get', id, input: {} });
          });
        }
        for (const [index, { history, loopDelayMs }] of done.entries()) {
          // Checking a history holds the loop for tens of ms: not while another clause waits on time.
          if (realTime) await offTheTimingPath();
          // A store's expiry timer can be as late as the loop was held meanwhile (by the suite, or a
          // loaded machine): that lateness is not the store's, so it widens the tolerance.
          const toleranceMs = realTime ? unit + loopDelayMs : 0;
          const details = { counterexample: `run ${index + 1} of ${runs.length}: ${fc.stringify(runs[index])}`, seed: ctx.seed };
          expectLinearizable(history, { toleranceMs, atomicPop: ctx.target.atomicPop, inconclusive: ctx.inconclusive, details });
        }
      });
      // Read-modify-write through get + set may lose increments (lost-update measures how many),
      // but every read and the final count must be values some writer wrote.
      for (let round = 0; round < INCREMENT_ROUNDS; round++) {
        await h.inScope(async (scope) => {
          const history = await incrementThroughGetSet(hs.map((x) => x.store), scope.id('counter'), { writers: WRITERS, ttlMs: LONG_TTL_MS, clock: monotonicClock });
          if (realTime) await offTheTimingPath();
          expectLinearizable(history, { atomicPop: ctx.target.atomicPop, inconclusive: ctx.inconclusive, context: `${WRITERS} get + set increments, round ${round + 1}` });
        });
      }
    }),
  doc: {
    summary: 'many clients in flight at once, across instances, give linearizable histories',
    heading: 'Real concurrency',
    whyLevel: 'the same, with real concurrency across instances',
    body: `
      Eight clients, 10–16 operations each, over three ids, all in flight at once, spread over three
      instances when the target shares a backend; on real time some sessions use short TTLs so they
      expire mid-run. Several seeded runs; each history must be [linearizable](#linearizability-how-concurrent-histories-are-judged). Every call must succeed.
      Then sixteen clients increment one counter at once through \`get\` + \`set\` (the \`lost-update\`
      workload): increments may be lost, but every read, and the final count, must be something a
      writer wrote.
    `,
  },
};
