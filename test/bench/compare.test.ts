import { describe, expect, it } from 'vitest';
import { compareReports, renderComparison } from '../../bench/compare.js';
import type { BenchReport } from '../../bench/types.js';
import type { Measurement } from '../../bench/measure.js';

function measurement(opsPerSec: number, p99: number): Measurement {
  return {
    opsPerSec, ops: opsPerSec, errors: 0, misses: 0, elapsedMs: 1000, clientCpu: 0.5, clientCpuUsPerOp: 500, warmupOps: 0, eventLoopDelayP99Ms: 1, clientBound: false,
    latency: { all: { count: opsPerSec, p50: p99 / 4, p90: p99 / 2, p99, p999: p99 * 2, max: p99 * 3 } },
  };
}

function report(cells: { target: string; ops: number[]; p99: number[] }[]): BenchReport {
  return {
    schemaVersion: 2,
    generatedAt: '2030-01-01T00:00:00.000Z',
    environment: { node: 'v20', os: 'Linux', cpus: { model: 'x', count: 2 }, loadAverage: [0, 0, 0], memoryGiB: 24, gitCommit: null, packages: {}, servers: {} },
    config: { stores: ['memory'], workloads: ['session-mix'], concurrency: [16], durationMs: 1000, warmupMs: 200, runs: 5, sessions: 10, payloads: [1024], popularity: 'zipfian', skew: 0.8, seed: 1, openLoop: { enabled: false, rateFraction: 0.5, maxInFlight: 64 }, machinery: false, workers: 1, storeSpecs: [], peers: false },
    results: cells.map((c) => ({ workload: 'session-mix', payloadBytes: 1024, target: c.target, kind: 'store', family: c.target, concurrency: 16, workers: 1, runs: c.ops.map((o, i) => measurement(o, c.p99[i]!)) })),
    openLoop: [],
  };
}

const base = report([{ target: 'memory', ops: [1000, 1010, 990, 1005, 995], p99: [1, 1.02, 0.98, 1.01, 0.99] }]);

describe('compare', () => {
  it('flags a real throughput regression: large and significant', () => {
    const head = report([{ target: 'memory', ops: [800, 810, 790, 805, 795], p99: [1, 1.02, 0.98, 1.01, 0.99] }]);
    const rows = compareReports(base, head);
    expect(rows.find((r) => r.metric === 'ops/s')).toMatchObject({ verdict: 'regression', changePercent: -20 });
    expect(rows.find((r) => r.metric === 'p99 ms')?.verdict).toBe('noise');
    expect(renderComparison(rows)).toContain('🔴 regression');
  });

  it('flags a p99 regression over 25%', () => {
    const head = report([{ target: 'memory', ops: [1000, 1010, 990, 1005, 995], p99: [1.5, 1.52, 1.48, 1.51, 1.49] }]);
    expect(compareReports(base, head).find((r) => r.metric === 'p99 ms')?.verdict).toBe('regression');
  });

  it('calls noise noise: overlapping runs, or a significant change under the threshold', () => {
    const overlapping = report([{ target: 'memory', ops: [700, 1300, 1000, 900, 1100], p99: [1, 1.02, 0.98, 1.01, 0.99] }]);
    expect(compareReports(base, overlapping).every((r) => r.verdict === 'noise')).toBe(true);
    const small = report([{ target: 'memory', ops: [950, 955, 945, 952, 948], p99: [1, 1.02, 0.98, 1.01, 0.99] }]);
    expect(compareReports(base, small).every((r) => r.verdict === 'noise')).toBe(true);
    expect(renderComparison(compareReports(base, small))).toContain('| ~ |');
  });

  it('reports an improvement without failing', () => {
    const head = report([{ target: 'memory', ops: [1300, 1310, 1290, 1305, 1295], p99: [1, 1.02, 0.98, 1.01, 0.99] }]);
    expect(compareReports(base, head).find((r) => r.metric === 'ops/s')?.verdict).toBe('improvement');
  });

  it('skips cells missing from either side', () => {
    expect(compareReports(base, report([{ target: 'sqlite', ops: [1], p99: [1] }]))).toEqual([]);
  });
});
