import fc from 'fast-check';
import type { Clause } from '../clause.js';
import { LONG_TTL_MS } from '../harness.js';
import { expectLinearizable } from '../linearizability/expect.js';
import { sequenceClock } from '../linearizability/history.js';
import { programs, plannedOps, runPrograms } from '../linearizability/programs.js';
import { checkProperty } from '../property.js';

export const interleavings: Clause = {
  id: 'interleavings',
  title: 'generated parallel programs, interleaved by a seeded scheduler, give linearizable histories',
  level: 'MUST',
  meaning: 'concurrent requests from one user (two tabs) see the session appear, vanish or roll back',
  cause: 'operations that read, then write, without atomicity, or a cache that answers reads',
  skipReason: (_, target) => (target.clock === 'injected' ? undefined : 'deterministic interleavings need a store opened with an injected clock'),
  check: (ctx) =>
    ctx.withStore(async (h) => {
      const op = plannedOps({ sessions: 2, touch: h.hasTouch, update: h.hasUpdate, shortTtl: false });
      // Scheduled runs are cheap and races are rare: four times the usual number of runs.
      await checkProperty(
        { ...ctx, numRuns: ctx.numRuns * 4 },
        fc.asyncProperty(fc.scheduler(), fc.nat({ max: 1 }), programs(op, { min: 2, max: 4 }, { min: 1, max: 4 }), async (s, extraSession, progs) => {
          await h.inScope(async (scope) => {
            const ids = [scope.id('x'), scope.id(extraSession ? 'y' : 'x')];
            // The scheduler decides when each call starts and when its result is delivered.
            const history = await s.waitFor(
              runPrograms(progs, {
                stores: [h.store],
                ids,
                ttls: [LONG_TTL_MS, LONG_TTL_MS],
                clock: sequenceClock(),
                beforeCall: (label) => s.schedule(Promise.resolve(), label),
                deliver: (result, label) => s.schedule(result, label),
              }),
            );
            // An undecided history is reported through ctx.inconclusive, not thrown: a throw here would be
            // a counterexample for fast-check to shrink.
            expectLinearizable(history, { atomicPop: ctx.target.atomicPop, inconclusive: ctx.inconclusive });
          });
        }),
      );
    }),
  doc: {
    summary: 'parallel client programs, interleaved by a seeded scheduler, give linearizable histories (injected clock)',
    heading: 'Deterministic interleavings (stores with an injected clock)',
    whyLevel: `one user's tabs race all the time: every single-request promise must hold under races`,
    body: `
      Generated parallel programs (2–4 clients, 1–4 operations each, over 1–2 ids) run with
      \`fc.scheduler()\` deciding when each call starts and when its result is delivered. The history
      (timed by sequence numbers) must be [linearizable](#linearizability-how-concurrent-histories-are-judged). Failures shrink and replay from seed and path.
    `,
  },
};
