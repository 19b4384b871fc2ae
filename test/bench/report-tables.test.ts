/** The comparison tables and CI views, on hand-made cells: what they say about a shortfall, a speed-up, and thread counts. */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/args.js';
import { BENCH_SCHEMA_VERSION, derivedViews, type BenchReport } from '../../bench/report.js';
import { threadScaling, versusPeers } from '../../bench/report-tables.js';
import type { CellResult } from '../../bench/run.js';
import { validateBenchReport } from '../../bench/schema.js';

function cell(target: string, kind: CellResult['kind'], family: string, ops: [number, number, number], extra: Partial<CellResult> = {}): CellResult {
  return {
    workload: 'session-mix', payloadBytes: 1024, target, kind, family, concurrency: 64, workers: 2, runs: [],
    summary: { opsPerSec: { median: ops[1], min: ops[0], max: ops[2] }, p50: 1, p99: 4, p999: 8, clientBound: false, errors: 0 },
    ...extra,
  };
}

function report(results: CellResult[]): BenchReport {
  const { config } = parseBenchArgs(['--workers', '2', '--peers']);
  return { schemaVersion: BENCH_SCHEMA_VERSION, generatedAt: '2030-01-01T00:00:00.000Z', environment: { node: 'v22', os: 'Linux', cpus: { model: 'x', count: 2 }, loadAverage: [0, 0, 0], memoryGiB: 8, gitCommit: null, packages: {}, servers: {} }, config, results, openLoop: [] };
}

describe('report tables', () => {
  const redis = cell('redis', 'store', 'redis', [40_000, 45_000, 50_000], { summary: { opsPerSec: { median: 45_000, min: 40_000, max: 50_000 }, p50: 1, p99: 4, p999: 8, clientBound: false, errors: 0, ratioToFastestPeer: 0.9 } });
  const single = cell('redis', 'store', 'redis', [28_000, 30_000, 31_000], { workers: 1, oneWorker: true });
  const connectRedis = cell('connect-redis', 'peer', 'redis', [49_000, 50_000, 52_000]);
  const memory = cell('memory', 'store', 'memory', [300_000, 310_000, 320_000], { workers: 1, inProcess: true, summary: { opsPerSec: { median: 310_000, min: 300_000, max: 320_000 }, p50: 1, p99: 4, p999: 8, clientBound: true, errors: 0, ratioToFastestPeer: 2 } });
  const expressMemory = cell('express-session MemoryStore', 'peer', 'memory', [150_000, 155_000, 160_000], { workers: 1, inProcess: true });
  const full = report([memory, expressMemory, redis, single, connectRedis]);

  it('the schema takes every new field', () => {
    expect(validateBenchReport(full)).toEqual([]);
    expect(validateBenchReport(report([{ ...redis, kind: 'other' as CellResult['kind'] }]))).toEqual(['$.results[0].kind: "other" is not one of ["store","ceiling","noop","custom","peer"]']);
  });

  it('vs published stores: each store per backend, the reference ratio, a shortfall with whether the runs overlap and the known cost', () => {
    const md = versusPeers(full).join('\n');
    expect(md).toContain('| memory | session-mix | 1 KiB | 64 | **memory** | 310,000 · p99 4.00 ms ⚠️ client-bound | 2.00× |');
    expect(md).toContain('| redis | session-mix | 1 KiB | 64 | **redis** | 45,000 · p99 4.00 ms | 0.90× ⚠️ |');
    expect(md).toContain('| redis | session-mix | 1 KiB | 64 | connect-redis | 50,000 · p99 4.00 ms |  |');
    // The one-thread comparison cell is not a row here.
    expect(md.match(/\*\*redis\*\*/g)).toHaveLength(1);
    expect(md).toContain('- redis on session-mix at 64 in flight: 0.90× (the runs overlap: may be noise)');
    expect(md).toContain('Why redis may trail: RedisStore validates');
    expect(versusPeers(report([memory, redis]))).toEqual([]);
  });

  it('one thread vs N: each networked cell beside its one-thread run, with the speed-up', () => {
    expect(threadScaling(full)).toContain('| session-mix | 1 KiB | redis | 64 | 30,000 · p99 4.00 ms | 2 | 45,000 · p99 4.00 ms | 1.50× |');
    expect(threadScaling(report([memory]))).toEqual([]);
  });

  it('the CI views name the thread count and carry the new stores', () => {
    const names = (derivedViews(full)['github-action-benchmark-throughput.json'] as { name: string }[]).map((v) => v.name);
    expect(names).toEqual([
      'session-mix · 1 KiB · memory · 64 in flight',
      'session-mix · 1 KiB · express-session MemoryStore · 64 in flight',
      'session-mix · 1 KiB · redis · 64 in flight · 2 threads',
      'session-mix · 1 KiB · redis · 64 in flight',
      'session-mix · 1 KiB · connect-redis · 64 in flight · 2 threads',
    ]);
    expect(Object.keys(derivedViews(full)['bencher.json'] as object)).toEqual(names);
  });
});
