/**
 * The suite proves itself: every broken store is caught by exactly the clauses its bug breaks,
 * on several seeds. A clause that no defect trips would be a property that cannot fail. Those
 * runs are the heaviest of the suite: they live in test/self-defects-<n>.test.ts, a shard each,
 * so that the workers share them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConformance, clauses, formatClauseResult } from '../entry/index.js';
import { defects } from './broken/defects.js';
import { SHARDS } from './support/self-check.js';
import { shareOf } from './support/share.js';

describe('broken stores are caught by exactly the clauses they break', () => {
  it('every broken store is run by a shard, and every shard has its file', () => {
    for (let shard = 1; shard <= SHARDS; shard++) {
      const file = join(import.meta.dirname, `self-defects-${shard}.test.ts`);
      expect(readFileSync(file, 'utf8'), file).toContain(`caughtByExactlyTheClausesTheyBreak(${shard - 1});`);
    }
  });

  it('every clause that can fail is tripped by at least one broken store', () => {
    // faults needs a fault driver: test/fault-injection.test.ts trips it, with a store that forgets on restart.
    // expiry-while-busy needs real timers: test/same-verdict.test.ts and test/expiry-while-busy.test.ts trip it.
    const tripped = new Set([...defects.flatMap((d) => d.fails), 'faults', 'expiry-while-busy']);
    // INFO clauses only measure: they never fail.
    const canFail = clauses.filter((c) => c.level !== 'INFO').map((c) => c.id);
    expect(canFail.filter((id) => !tripped.has(id))).toEqual([]);
  });
});

describe('a failure tells the author what broke and how to replay it', () => {
  const cache = defects.find((d) => d.name.startsWith('a read cache'))!;
  const target = cache.target;

  it('prints the shrunk model sequence as runnable code, with seed and replay path', async () => {
    const report = await checkConformance(target, { seed: 7, only: ['model'] });
    const [model] = report.clauses;
    expect(model?.status).toBe('fail');
    const text = formatClauseResult(report.store, model!);
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

describe('a pop that is a get and a delete is legal when declared so', () => {
  const notPassed = (report: Awaited<ReturnType<typeof checkConformance>>) => report.clauses.filter((c) => c.status !== 'pass' && c.status !== 'skipped').map((c) => c.id);
  const getThenDelete = defects.find((d) => d.name === 'pop is a get, then a delete')!;
  const only = ['interleavings', 'concurrency', 'atomic-pop', 'no-resurrection'] as const;

  it('declared non-atomic, only atomic-pop (a SHOULD for it) flags it, on this run\'s share of eight seeds', async () => {
    for (const seed of shareOf([1, 2, 3, 4, 5, 6, 7, 8])) {
      const report = await checkConformance(getThenDelete.target, { seed, numRuns: 50, only: [...only] });
      expect(notPassed(report), `seed ${seed}`).toEqual(['atomic-pop']);
      expect(report.clauses.find((c) => c.id === 'atomic-pop')!.level).toBe('SHOULD');
    }
  });

  it('declared atomic, the same store breaks every concurrency clause', async () => {
    for (const seed of [1, 2, 3]) {
      const report = await checkConformance({ ...getThenDelete.target, atomicPop: true }, { seed, numRuns: 50, only: [...only] });
      expect(notPassed(report), `seed ${seed}`).toEqual([...only]);
    }
  });
});
