/**
 * Compares two benchmark reports cell by cell. A regression must be both statistically
 * significant across runs (Mann-Whitney U) and larger than a threshold; anything else is noise.
 */
import { mannWhitneyP, median } from './stats.js';
import type { BenchReport } from './types.js';
import { formatBytes } from './workloads.js';

export interface CompareOptions {
  /** Throughput drop, in percent, that counts as a regression. Default 10. */
  throughputThreshold: number;
  /** p99 rise, in percent, that counts as a regression. Default 25. */
  p99Threshold: number;
  /** Significance level. Default 0.1 (with 3 runs a side, the smallest possible p is 0.1). */
  alpha: number;
}

export const DEFAULT_COMPARE: CompareOptions = { throughputThreshold: 10, p99Threshold: 25, alpha: 0.1 };

export type Verdict = 'regression' | 'improvement' | 'noise';

export interface CellComparison {
  key: string;
  metric: 'ops/s' | 'p99 ms';
  base: number;
  head: number;
  changePercent: number;
  p: number;
  verdict: Verdict;
}

type Cell = BenchReport['results'][number];
/** A cell's name in comparisons and CI views; the thread count shows when load came from more than one. */
export const cellKey = (c: Cell): string => `${c.workload} · ${formatBytes(c.payloadBytes)} · ${c.target} · ${c.concurrency} in flight${c.workers > 1 ? ` · ${c.workers} threads` : ''}`;

function judge(change: number, p: number, threshold: number, worseIsHigher: boolean, alpha: number): Verdict {
  if (p > alpha || Math.abs(change) < threshold) return 'noise';
  return change > 0 === worseIsHigher ? 'regression' : 'improvement';
}

export function compareReports(base: BenchReport, head: BenchReport, options: CompareOptions = DEFAULT_COMPARE): CellComparison[] {
  const out: CellComparison[] = [];
  const baseCells = new Map(base.results.map((c) => [cellKey(c), c]));
  for (const cell of head.results) {
    const before = baseCells.get(cellKey(cell));
    const a = before?.runs.filter((r) => r.ops > 0) ?? [];
    const b = cell.runs.filter((r) => r.ops > 0);
    if (a.length === 0 || b.length === 0) continue;
    const metrics = [
      { metric: 'ops/s' as const, pick: (r: Cell['runs'][number]) => r.opsPerSec, threshold: options.throughputThreshold, worseIsHigher: false },
      { metric: 'p99 ms' as const, pick: (r: Cell['runs'][number]) => r.latency.all?.p99 ?? NaN, threshold: options.p99Threshold, worseIsHigher: true },
    ];
    for (const { metric, pick, threshold, worseIsHigher } of metrics) {
      const xs = a.map(pick);
      const ys = b.map(pick);
      const baseValue = median(xs);
      const headValue = median(ys);
      const changePercent = ((headValue - baseValue) / baseValue) * 100;
      const p = mannWhitneyP(xs, ys);
      out.push({ key: cellKey(cell), metric, base: baseValue, head: headValue, changePercent: Number(changePercent.toFixed(1)), p: Number(p.toFixed(4)), verdict: judge(changePercent, p, threshold, worseIsHigher, options.alpha) });
    }
  }
  return out;
}

export function renderComparison(rows: CellComparison[], options: CompareOptions = DEFAULT_COMPARE): string {
  const mark = { regression: '🔴 regression', improvement: '🟢 improvement', noise: '~' };
  const regressions = rows.filter((r) => r.verdict === 'regression').length;
  const lines = [
    '# Benchmark comparison',
    '',
    `${regressions} regression${regressions === 1 ? '' : 's'} (a change beyond ${options.throughputThreshold}% in throughput or ${options.p99Threshold}% in p99, significant at p ≤ ${options.alpha} by Mann-Whitney U across runs); "~" is noise.`,
    '',
    '| Cell | Metric | Base | Head | Change | p | Verdict |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.key} | ${r.metric} | ${r.base.toLocaleString('en-US', { maximumFractionDigits: 3 })} | ${r.head.toLocaleString('en-US', { maximumFractionDigits: 3 })} | ${r.changePercent > 0 ? '+' : ''}${r.changePercent}% | ${r.p} | ${mark[r.verdict]} |`),
  ];
  return `${lines.join('\n')}\n`;
}
