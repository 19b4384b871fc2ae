import type { Clause } from '../clause.js';
import { LONG_TTL_MS } from '../harness.js';
import { monotonicClock } from '../linearizability/history.js';
import { incrementThroughGetSet } from '../linearizability/programs.js';

const WRITERS = 16;
const ROUNDS = 5;

export const lostUpdate: Clause = {
  id: 'lost-update',
  title: 'concurrent read-modify-write through get + set loses updates (measured, not a failure)',
  level: 'INFO',
  meaning: 'apps that read-modify-write with get, then set, lose concurrent changes at the reported rate',
  cause: 'get, then set, is not atomic: use the store\'s update where it has one',
  check: (ctx) =>
    ctx.withConcurrentStores(async (hs) => {
      let lost = 0;
      let measured = 0;
      let unmeasured: string | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        await hs[0]!.inScope(async (scope) => {
          const history = await incrementThroughGetSet(hs.map((h) => h.store), scope.id('counter'), { writers: WRITERS, ttlMs: LONG_TTL_MS, clock: monotonicClock });
          const n = (history.at(-1)!.output as { n?: unknown } | undefined)?.n;
          // Losing increments is the contract. A count no writer wrote, or a failed call, is not a
          // rate: the concurrency clause judges that same workload and reports it.
          const failed = history.find((op) => op.error !== undefined);
          if (failed || typeof n !== 'number' || n < 1 || n > WRITERS) {
            unmeasured ??= failed ? `${failed.op} failed: ${failed.error}` : `the counter ended at ${JSON.stringify(n)}`;
            return;
          }
          lost += WRITERS - n;
          measured++;
        });
      }
      // Nothing measured is a finding too, never a silent pass.
      if (measured === 0) throw new Error(`no round could be measured: ${unmeasured}`);
      ctx.findings.lostUpdateRate = Number((lost / (WRITERS * measured)).toFixed(3));
      ctx.findings.increments = WRITERS * measured;
    }),
  doc: {
    summary: 'INFO: the share of concurrent get + set increments lost, reported as `lostUpdateRate`',
    heading: 'Lost updates through get + set (**INFO**)',
    whyLevel: 'get + set read-modify-write loses updates on every store by design; the rate is measured, not judged',
    body: `
      Concurrent read-modify-write through \`get\` then \`set\` loses updates on every store: that is the
      contract, not a bug, and the reason \`update\` exists. The suite measures the share of sixteen
      concurrent increments lost and reports it as \`lostUpdateRate\`; it never fails. A counter that ends
      at a value no writer wrote is a correctness bug, and \`concurrency\` (a MUST) judges that same
      workload.
    `,
  },
};
