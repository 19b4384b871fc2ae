/**
 * The self-check of test/self.test.ts, split over several files so that its runs, the heaviest of
 * the whole suite, spread over the workers: shard `k` of SHARDS runs every broken store whose
 * index in `defects` is k modulo SHARDS, and test/self-defects-<k + 1>.test.ts calls it.
 */
import { describe, expect, it } from 'vitest';
import { checkConformance } from '../../entry/index.js';
import { defects } from '../broken/defects.js';
import { shareOf } from './share.js';

export const SHARDS = 3;
const SEEDS = shareOf([11, 22, 33]);

/** Each broken store of shard `shard`, on this run's share of the seeds (see share.ts), run on every clause: flagged by exactly the clauses it breaks. */
export function caughtByExactlyTheClausesTheyBreak(shard: number): void {
  describe(`broken stores are caught by exactly the clauses they break (shard ${shard + 1} of ${SHARDS})`, () => {
    for (const [index, defect] of defects.entries()) {
      if (index % SHARDS !== shard) continue;
      it(defect.name, async () => {
        for (const seed of SEEDS) {
          const report = await checkConformance(defect.target, { seed, numRuns: 50 });
          // A SHOULD clause catches its bug with a warning, an INFO clause with a finding.
          const failing = report.clauses.filter((c) => ['fail', 'warn', 'info'].includes(c.status)).map((c) => c.id);
          expect(failing, `seed ${seed}`).toEqual(defect.fails);
          if (defect.anomaly) {
            const clause = report.clauses.find((c) => c.id === defect.anomaly!.clause);
            expect(defect.anomaly.names, `seed ${seed}: ${clause?.error}`).toContain(clause?.anomaly);
            expect(clause?.error).toContain(clause?.anomaly);
          }
        }
      });
    }
  });
}
