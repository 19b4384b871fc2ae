import fc from 'fast-check';
import type { Clause } from '../clause.js';
import { programs, plannedOps, runPrograms } from '../concurrent-programs.js';
import { LONG_TTL_MS } from '../harness.js';
import { assertNoErrors, monotonicClock, sequenceClock } from '../history.js';
import { checkHistory, describeViolation } from '../linearizability.js';
import { ClauseViolation } from '../property.js';

export const concurrency: Clause = {
  id: 'concurrency',
  title: 'many clients with operations in flight at once, across instances, give linearizable histories',
  level: 'MUST',
  meaning: 'under concurrent requests, sessions appear, vanish, roll back or come back after a logout',
  cause: 'operations that read, then write, without atomicity across instances, or a per-instance cache',
  check: (ctx) =>
    ctx.withConcurrentStores(async (hs) => {
      const h = hs[0]!;
      // On real time, short TTLs let sessions expire mid-run; a frozen injected clock never expires them.
      const unit = Math.max(ctx.target.ttlResolutionMs, 5);
      const realTime = !h.manualClock;
      const op = plannedOps({ sessions: 3, touch: h.hasTouch, update: h.hasUpdate, shortTtl: realTime });
      const runs = fc.sample(programs(op, { min: 8, max: 8 }, { min: 10, max: 16 }), { numRuns: Math.min(ctx.numRuns, 10), seed: ctx.seed });
      for (const [index, progs] of runs.entries()) {
        await h.inScope(async (scope) => {
          const history = await runPrograms(progs, {
            stores: hs.map((x) => x.store),
            ids: ['a', 'b', 'c'].map((name) => scope.id(name)),
            ttls: [LONG_TTL_MS, 10 * unit],
            clock: realTime ? monotonicClock : sequenceClock(),
          });
          assertNoErrors(history);
          const result = checkHistory(history, { toleranceMs: realTime ? unit : 0 });
          if (!result.ok) {
            const violation = result.violations[0]!;
            throw new ClauseViolation(describeViolation(violation), { anomaly: violation.anomaly, counterexample: `run ${index + 1} of ${runs.length}: ${fc.stringify(progs)}`, seed: ctx.seed });
          }
        });
      }
    }),
};
