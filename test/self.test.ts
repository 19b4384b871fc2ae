/**
 * The suite proves itself: every broken store is caught by exactly the clauses its bug breaks,
 * on several seeds. A clause that no defect trips would be a property that cannot fail.
 */
import { describe, expect, it } from 'vitest';
import { checkConformance, CLAUSE_IDS, formatFailure } from '../suite/index.js';
import { defects } from './broken/defects.js';

const SEEDS = [11, 22, 33];

describe('broken stores are caught by exactly the clauses they break', () => {
  for (const defect of defects) {
    it(defect.name, async () => {
      for (const seed of SEEDS) {
        const report = await checkConformance(defect.target, { seed, numRuns: 50 });
        const failing = report.clauses.filter((c) => c.status === 'fail').map((c) => c.id);
        expect(failing, `seed ${seed}`).toEqual(defect.fails);
        if (defect.anomaly) {
          const clause = report.clauses.find((c) => c.id === defect.anomaly!.clause);
          expect(defect.anomaly.names, `seed ${seed}: ${clause?.error}`).toContain(clause?.anomaly);
          expect(clause?.error).toContain(clause?.anomaly);
        }
      }
    });
  }

  it('every clause is tripped by at least one broken store', () => {
    // faults needs a fault driver: test/fault-injection.test.ts trips it, with a store that forgets on restart.
    const tripped = new Set([...defects.flatMap((d) => d.fails), 'faults']);
    expect(CLAUSE_IDS.filter((id) => !tripped.has(id))).toEqual([]);
  });
});

describe('a failure tells the author what broke and how to replay it', () => {
  const cache = defects.find((d) => d.name.startsWith('a read cache'))!;
  const target = cache.target;

  it('prints the shrunk model sequence as runnable code, with seed and replay path', async () => {
    const report = await checkConformance(target, { seed: 7, only: ['model'] });
    const [model] = report.clauses;
    expect(model?.status).toBe('fail');
    const text = formatFailure(report.store, model!);
    expect(text).toMatch(/await store\.set\(".*", .*, \d+\);/);
    expect(text).toMatch(/await store\.get\(".*"\);/);
    expect(text).toContain('Seed: ');
    expect(model!.replay).toMatch(/^\{ only: \['model'\], seed: \d+, path: "[\d:]+", replayPath: ".+" \}$/);
  });

  it('replays the same counterexample from the printed seed, path and replayPath', async () => {
    const first = (await checkConformance(target, { seed: 7, only: ['model'] })).clauses[0]!;
    const replayPath = first.replay!.match(/replayPath: (".*")/)![1]!;
    const again = (await checkConformance(target, { seed: first.seed, path: first.path!, replayPath: JSON.parse(replayPath), only: ['model'] })).clauses[0]!;
    expect(again.status).toBe('fail');
    expect(again.counterexample).toBe(first.counterexample);
  });
});
