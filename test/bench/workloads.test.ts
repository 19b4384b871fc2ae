import { describe, expect, it } from 'vitest';
import { generateOps, seededRandom, sessionPayload, WORKLOADS, zipfSampler, type BenchOp } from '../../bench/workloads.js';

const options = { sessions: 1000, popularity: 'uniform' as const, skew: 0.8, seed: 7, length: 20_000 };

describe('workload generation', () => {
  it('is reproducible from the seed, and differs between seeds', () => {
    const mix = WORKLOADS.find((w) => w.name === 'session-mix')!;
    expect(generateOps(mix, options)).toEqual(generateOps(mix, options));
    expect(generateOps(mix, { ...options, seed: 8 })).not.toEqual(generateOps(mix, options));
  });

  it.each(WORKLOADS.map((w) => [w.name, w] as const))('%s follows its mix within 1.5 points', (_, workload) => {
    const ops = generateOps(workload, options);
    const total = Object.values(workload.mix).reduce((a, b) => a + b, 0);
    const counts = new Map<BenchOp, number>();
    for (const op of ops) counts.set(op.op, (counts.get(op.op) ?? 0) + 1);
    for (const [op, weight] of Object.entries(workload.mix)) {
      expect(Math.abs(((counts.get(op as BenchOp) ?? 0) / ops.length) * 100 - (weight / total) * 100)).toBeLessThan(1.5);
    }
    expect([...counts.keys()].every((op) => op in workload.mix)).toBe(true);
  });

  it('touches about a tenth of page views in session-mix', () => {
    const views = generateOps(WORKLOADS.find((w) => w.name === 'session-mix')!, options).filter((o) => o.op === 'view');
    const share = views.filter((v) => v.alsoTouch).length / views.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
  });

  it('keeps session indexes in range; zipfian favours low ranks, uniform does not', () => {
    const heavy = WORKLOADS.find((w) => w.name === 'read-heavy')!;
    const top10 = (popularity: 'uniform' | 'zipfian') => {
      const ops = generateOps(heavy, { ...options, popularity });
      expect(ops.every((o) => o.session >= 0 && o.session < options.sessions)).toBe(true);
      return ops.filter((o) => o.session < 10).length / ops.length;
    };
    expect(top10('uniform')).toBeLessThan(0.02);
    expect(top10('zipfian')).toBeGreaterThan(0.1);
  });

  it('samples zipfian ranks with P(k) proportional to 1/(k+1)^s', () => {
    const sample = zipfSampler(100, 1, seededRandom(3));
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 100_000; i++) counts[sample()]!++;
    // Rank 0 is twice as likely as rank 1 and ten times rank 9, within sampling noise.
    expect(counts[0]! / counts[1]!).toBeGreaterThan(1.8);
    expect(counts[0]! / counts[1]!).toBeLessThan(2.2);
    expect(counts[0]! / counts[9]!).toBeGreaterThan(8.5);
    expect(counts[0]! / counts[9]!).toBeLessThan(11.5);
  });

  it('builds payloads of the requested JSON size', () => {
    for (const bytes of [200, 1024, 10 * 1024]) expect(Buffer.byteLength(JSON.stringify(sessionPayload(bytes, 5)))).toBe(bytes);
  });
});
