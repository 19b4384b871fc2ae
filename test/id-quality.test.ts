/**
 * The id-quality clause: each broken id maker is caught by it and by nothing else, on every seed;
 * a correct id maker passes; a store without createId is skipped with the reason.
 */
import { describe, expect, it } from 'vitest';
import { checkConformance } from '../suite/index.js';
import { idEntropyBound } from '../suite/clauses/id-quality.js';
import { MemoryStore } from '../stores/index.js';
import { goodIds, idDefects } from './broken/id-defects.js';

const SEEDS = [11, 22, 33];

describe('id-quality', () => {
  for (const { name, target } of idDefects) {
    it(`${name}: fails id-quality and nothing else`, { timeout: 120_000 }, async () => {
      for (const seed of SEEDS) {
        const report = await checkConformance(target, { seed, numRuns: 50 });
        expect(report.clauses.filter((c) => ['fail', 'warn', 'info'].includes(c.status)).map((c) => c.id), `seed ${seed}`).toEqual(['id-quality']);
      }
    });
  }

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
