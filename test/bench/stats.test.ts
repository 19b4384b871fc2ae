import { describe, expect, it } from 'vitest';
import { mannWhitneyP, mannWhitneyU, median } from '../../bench/stats.js';

describe('statistics', () => {
  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('Mann-Whitney U counts pairs, ties as halves', () => {
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6])).toBe(0);
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3])).toBe(9);
    expect(mannWhitneyU([1, 2], [2, 3])).toBe(0.5);
  });

  it('gives exact two-sided p-values for small samples', () => {
    // Completely separated samples of 3 and 3: 2 of the 20 orderings are as extreme.
    expect(mannWhitneyP([1, 2, 3], [4, 5, 6])).toBeCloseTo(0.1, 10);
    expect(mannWhitneyP([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBeCloseTo(2 / 252, 10);
    expect(mannWhitneyP([1, 3, 5], [2, 4, 6])).toBeGreaterThan(0.5);
  });

  it('uses the normal approximation for large samples', () => {
    const a = Array.from({ length: 30 }, (_, i) => i);
    expect(mannWhitneyP(a, a.map((x) => x + 100))).toBeLessThan(1e-6);
    expect(mannWhitneyP(a, a.map((x) => x + 0.5))).toBeGreaterThan(0.5);
  });
});
