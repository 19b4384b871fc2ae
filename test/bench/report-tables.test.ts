/** The comparison tables and CI views, on hand-made cells: what they say about a shortfall, a speed-up, and thread counts. */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/args.js';
import { BENCH_SCHEMA_VERSION, derivedViews } from '../../bench/report.js';
import type { BenchReport, CellResult } from '../../bench/types.js';
import { goals, latencyCosts, threadScaling, versusPeers, versusServerLimit } from '../../bench/report-tables.js';
import { workloadLimit, type ServerLimit } from '../../bench/server-side.js';
import { WORKLOADS } from '../../bench/workloads.js';
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
    expect(md).toContain('| memory | session-mix | 1 KiB | 64 | **memory** | 310,000 · p99 4.00 ms ⚠️ client-bound | 2.00× | 1.00× |');
    expect(md).toContain('| redis | session-mix | 1 KiB | 64 | **redis** | 45,000 · p99 4.00 ms | 0.90× ⚠️ | 1.00× |');
    expect(md).toContain('| redis | session-mix | 1 KiB | 64 | connect-redis | 50,000 · p99 4.00 ms |  |  |');
    // The one-thread comparison cell is not a row here.
    expect(md.match(/\*\*redis\*\*/g)).toHaveLength(1);
    expect(md).toContain('- redis on session-mix at 64 in flight: 0.90× (the runs overlap: may be noise)');
    expect(md).toContain('Why redis may trail: RedisStore validates');
    expect(versusPeers(report([memory, redis]))).toEqual([]);
  });

  it('work per operation: each reference beside the fastest published store, and a shortfall says whether the store did more work', () => {
    const work = (c: CellResult, clientCpuUsPerOp: number, commandsPerOp?: number): CellResult => ({ ...c, summary: { ...c.summary!, clientCpuUsPerOp, ...(commandsPerOp !== undefined && { commandsPerOp }) } });
    const sameWork = versusPeers(report([work(redis, 20, 1), work(connectRedis, 21, 1.05)])).join('\n');
    expect(sameWork).toContain('| redis | session-mix | 1 KiB | 64 | redis | 20.0 | 1.00 | connect-redis | 21.0 | 1.05 |');
    expect(sameWork).toContain('- redis on session-mix at 64 in flight: 0.90× (the runs overlap: may be noise); client CPU 20.0 µs/op against 21.0, 1.00 server commands/op against 1.05 (connect-redis): no more work per operation on either side, so the gap is not work the store does');
    // 45,000 ops/s at 30 µs: 1.35 cores busy, against 50,000 at 21 µs: 1.05.
    const moreWork = versusPeers(report([work(redis, 30, 1.5), work(connectRedis, 21, 1.05)])).join('\n');
    expect(moreWork).toContain('(connect-redis): more client CPU per operation and more server commands per operation');
    // 45,000 ops/s at 24 µs: 1.08 cores busy, against 50,000 at 21.8 µs: 1.09.
    const fixedCost = versusPeers(report([work(redis, 24, 1), work(connectRedis, 21.8, 1.05)])).join('\n');
    expect(fixedCost).toContain("(connect-redis): more client CPU per operation, but fewer client cores busy (1.08 against 1.09): the loop's fixed cost over fewer operations may account for it");
    const inProcess = versusPeers(report([work({ ...memory, summary: { ...memory.summary!, ratioToFastestPeer: 0.5 } }, 3), work(expressMemory, 1)])).join('\n');
    expect(inProcess).toContain('| memory | session-mix | 1 KiB | 64 | memory | 3.0 | – | express-session MemoryStore | 1.0 | – |');
    expect(inProcess).toContain('client CPU 3.0 µs/op against 1.0 (express-session MemoryStore): more client CPU per operation');
    // Reports without the figures (older runs) have no table and no such clause.
    expect(versusPeers(full).join('\n')).not.toContain('Work per operation');
    expect(validateBenchReport(report([work(redis, 20, 1), work(connectRedis, 21, 1.05)]))).toEqual([]);
  });

  it('vs the server\'s limit: each cell\'s ratio to the raw driver and to the server, and what was saturated', () => {
    const limit: ServerLimit = { backend: 'redis', payloadBytes: 1024, tool: 'redis-benchmark -c 64 -P 8', connections: 64, pipeline: 8, readsPerSec: 400_000, writesPerSec: 200_000 };
    const bound = cell('redis', 'store', 'redis', [40_000, 45_000, 50_000], { summary: { ...redis.summary!, ratioToCeiling: 0.95, ratioToServerLimit: 0.5, serverCpu: 0.97, saturated: ['server'] } });
    const idle = cell('connect-redis', 'peer', 'redis', [49_000, 50_000, 52_000], { summary: { ...connectRedis.summary!, ratioToServerLimit: 0.1, serverCpu: 0.2, saturated: [] } });
    const md = versusServerLimit({ ...report([bound, idle]), serverLimits: [limit] }).join('\n');
    expect(md).toContain('- redis, 1 KiB: 400,000 GET/s, 200,000 SET/s (redis-benchmark -c 64 -P 8)');
    expect(md).toContain('| redis | session-mix | 1 KiB | 64 | **redis** | 45,000 · p99 4.00 ms | 0.95× | 0.50× | server-bound (server CPU 97%) |');
    expect(md).toContain('| redis | session-mix | 1 KiB | 64 | connect-redis | 50,000 · p99 4.00 ms |  | 0.10× | neither (server CPU 20%): round trips |');
    expect(validateBenchReport({ ...report([bound, idle]), serverLimits: [limit] })).toEqual([]);
    expect(versusServerLimit(report([bound]))).toEqual([]);
  });

  it('the server limit of a workload: the server\'s time per operation at its GET and SET rates, by the mix', () => {
    const limit: ServerLimit = { backend: 'redis', payloadBytes: 1024, tool: 't', connections: 64, pipeline: 8, readsPerSec: 100_000, writesPerSec: 50_000 };
    const byName = (name: string) => WORKLOADS.find((w) => w.name === name)!;
    // 95% GET, 5% PEXPIRE: all reads.
    expect(workloadLimit(byName('read-heavy'), limit)).toBe(100_000);
    // 50% GET; 50% GET then SET: 0.5 × 10 µs + 0.5 × (10 + 20) µs = 20 µs.
    expect(workloadLimit(byName('write-heavy'), limit)).toBe(50_000);
  });

  it('a faster setting that pays in p99 is named with both figures; goals say which cells miss and why', () => {
    const base = cell('redis', 'store', 'redis', [40_000, 45_000, 50_000], { summary: { ...redis.summary!, p99: 2, ratioToFastestPeer: 0.9, saturated: ['client'], clientBound: true } });
    const pipelined = cell('redis (ioredis auto-pipelining)', 'store', 'redis', [50_000, 54_000, 60_000], { summary: { ...redis.summary!, opsPerSec: { median: 54_000, min: 50_000, max: 60_000 }, p99: 6 } });
    const r = report([base, pipelined, connectRedis]);
    expect(latencyCosts(r).join('\n')).toContain('- redis (ioredis auto-pipelining) on session-mix at 64 in flight: 1.20× the throughput of redis, at 3.00× its p99 (6.00 ms against 2.00 ms)');
    expect(latencyCosts(report([base]))).toEqual([]);
    expect(goals({ ...r, environment: { ...r.environment, loadAverage: [5, 4, 3] } }).join('\n')).toContain("The machine's load average was 5.0 on 2 cores during the run");
    expect(goals(r).join('\n')).not.toContain('load average');
    expect(goals(r).join('\n')).toContain('- redis ≥ 1.0× the fastest published redis store, p99 no worse, on every workload and concurrency: not met in 1 of 1 cells: session-mix at 64: 0.90×, p99 2.00 ms vs 4.00 ms (client-bound)');
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
