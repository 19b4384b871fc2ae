/**
 * The id-quality clause beyond the self-check (which runs the broken id makers of
 * test/broken/id-defects.ts): a correct id maker passes on every seed, a store without createId
 * is skipped with the reason, and the entropy bound counts what it says.
 */
import { describe, expect, it } from 'vitest';
import { checkConformance } from '../entry/index.js';
import { idEntropyBound } from '../suite/clauses/id-quality.js';
import { MemoryStore } from '../stores/index.js';
import { goodIds } from './broken/id-defects.js';

const SEEDS = [11, 22, 33];

describe('id-quality', () => {
  it('passes ids of 24 random bytes, on every seed', { timeout: 120_000 }, async () => {
    for (const seed of SEEDS) {
      const report = await checkConformance(goodIds, { seed, numRuns: 50, only: ['id-quality'] });
      expect(report.clauses[0]).toMatchObject({ id: 'id-quality', status: 'pass', findings: { idBitsAtMost: 192, shortestId: 32 } });
    }
  });

  it('is skipped, with the reason, for a store whose ids the app chooses', async () => {
    const report = await checkConformance({ name: 'memory', open: () => new MemoryStore() }, { only: ['id-quality'] });
    expect(report.clauses[0]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('no createId') });
  });

  it('bounds the entropy by the positions every id has and the characters seen at each', () => {
    expect(idEntropyBound(['a0', 'b1', 'c2', 'd3'])).toBe(4);
    expect(idEntropyBound(['x1', 'x2', 'x3', 'x4'])).toBe(2);
    expect(idEntropyBound(['abc', 'b', 'cde'])).toBeCloseTo(Math.log2(3));
  });
});
