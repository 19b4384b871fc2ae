/** Statistics for benchmark reports and regression checks. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The U statistic of `a` against `b` (ties count a half). */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): number {
  let u = 0;
  for (const x of a) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
  return u;
}

/** How many ways each U can arise for samples of sizes m and n with no ties (exact null distribution). */
function uDistribution(m: number, n: number): number[] {
  // counts[m][n][u]: recurrence f(m, n, u) = f(m-1, n, u-n) + f(m, n-1, u).
  const memo = new Map<string, number[]>();
  const f = (i: number, j: number): number[] => {
    const key = `${i},${j}`;
    const cached = memo.get(key);
    if (cached) return cached;
    let result: number[];
    if (i === 0 || j === 0) result = [1];
    else {
      const left = f(i - 1, j);
      const right = f(i, j - 1);
      result = new Array<number>(i * j + 1).fill(0);
      left.forEach((c, u) => (result[u + j]! += c));
      right.forEach((c, u) => (result[u]! += c));
    }
    memo.set(key, result);
    return result;
  };
  return f(m, n);
}

function normalCdf(z: number): number {
  // Abramowitz and Stegun 7.1.26, enough for a p-value.
  const t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.SQRT2);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Two-sided p-value of the Mann-Whitney U test: exact for small samples (benchmark repetitions),
 * normal approximation with continuity correction beyond 20 per side.
 */
export function mannWhitneyP(a: readonly number[], b: readonly number[]): number {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return 1;
  const u = mannWhitneyU(a, b);
  const lower = Math.min(u, m * n - u);
  if (m <= 20 && n <= 20) {
    const counts = uDistribution(m, n);
    const total = counts.reduce((s, c) => s + c, 0);
    let tail = 0;
    for (let k = 0; k <= Math.floor(lower); k++) tail += counts[k]!;
    return Math.min(1, (2 * tail) / total);
  }
  const mean = (m * n) / 2;
  const sd = Math.sqrt((m * n * (m + n + 1)) / 12);
  return Math.min(1, 2 * normalCdf((lower - mean + 0.5) / sd));
}
