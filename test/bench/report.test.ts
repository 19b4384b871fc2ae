/**
 * The benchmark's outputs, from a real (very short) run on the embedded stores: the JSON
 * validates against the published schema, and the Markdown, charts and CI views are there.
 * Nothing here asserts a speed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, parseBytes } from '../../bench/args.js';
import { describeEnvironment } from '../../bench/environment.js';
import { BENCH_SCHEMA_VERSION, writeBenchReport } from '../../bench/report.js';
import type { BenchReport } from '../../bench/types.js';
import { measureMachinery, runMatrix } from '../../bench/run.js';
import { validateBenchReport } from '../../bench/schema.js';
import { benchTargets } from '../../bench/targets.js';
import { tempDir } from '../support/temp-dir.js';

const silent = { start: () => {}, tick: () => {}, done: () => {} };

describe('benchmark report', () => {
  it('a short run writes a report that validates against bench/report.schema.json', { timeout: 60_000 }, async () => {
    const { config } = parseBenchArgs(['--quick', '--duration', '40', '--warmup', '10', '--runs', '2', '--sessions', '200', '--concurrency', '1,4', '--payload', '200,1KiB']);
    const targets = benchTargets(config.stores, {});
    const results = await runMatrix(config, targets, silent);
    const report: BenchReport = { schemaVersion: BENCH_SCHEMA_VERSION, generatedAt: new Date().toISOString(), environment: await describeEnvironment({}), config, ...results };
    expect(validateBenchReport(report)).toEqual([]);
    expect(validateBenchReport({ ...report, schemaVersion: 1 })).toEqual(['$.schemaVersion: expected 2']);

    // Every store and ceiling measured in every cell, runs interleaved, ratios to the raw driver present.
    expect(new Set(report.results.map((c) => c.target))).toEqual(new Set(['no-op', 'memory', 'memory (raw Map)', 'sqlite', 'sqlite (raw better-sqlite3)']));
    for (const cell of report.results) {
      expect(cell.failed).toBeUndefined();
      expect(cell.runs).toHaveLength(2);
      expect(cell.summary!.opsPerSec.min).toBeLessThanOrEqual(cell.summary!.opsPerSec.median);
    }
    expect(report.results.filter((c) => c.kind === 'store').every((c) => typeof c.summary?.ratioToCeiling === 'number')).toBe(true);
    // Five targets, two payload sizes: each size is a scenario of its own.
    expect(report.openLoop.length).toBe(10);
    expect(new Set(report.results.map((c) => c.payloadBytes))).toEqual(new Set([200, 1024]));

    const dir = tempDir('bench');
    const files = await writeBenchReport(dir, report);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'bench-latency-session-mix-1024B.svg', 'bench-latency-session-mix-200B.svg', 'bench-throughput-session-mix-1024B.svg', 'bench-throughput-session-mix-200B.svg', 'bench.html', 'bench.json', 'bench.md', 'bencher.json',
      'github-action-benchmark-latency.json', 'github-action-benchmark-throughput.json',
    ]);
    const md = readFileSync(join(dir, 'bench.md'), 'utf8');
    expect(md).toContain('| Store | In flight | Threads | ops/s median [min–max] | p50 | p99 | p99.9 | Ratio to ceiling | Notes |');
    expect(md).toContain('![bench-throughput-session-mix-200B.svg](bench-throughput-session-mix-200B.svg)');
    expect(md).toContain('## session-mix · 1 KiB sessions');
    expect(md).toContain('**Noise.**');
    const chart = readFileSync(join(dir, 'bench-throughput-session-mix-1024B.svg'), 'utf8');
    expect(chart).toMatch(/^<svg [^>]*>[\s\S]*<rect [\s\S]*<\/svg>\n$/);
    // The report tells the chart which ceiling is whose: the raw driver's hatched bar follows its store's, in its hue.
    expect(chart).toMatch(/<rect [^>]*fill="(#\w+)"><title>sqlite, 4 in flight[^<]*<\/title><\/rect>\n<rect [^>]*fill="url\(#[\w-]+\)" stroke="\1"><title>sqlite \(raw better-sqlite3\), 4 in flight/);
    const gab = JSON.parse(readFileSync(join(dir, 'github-action-benchmark-throughput.json'), 'utf8')) as { name: string; unit: string; value: number }[];
    expect(gab[0]).toMatchObject({ unit: 'ops/s' });
    const bmf = JSON.parse(readFileSync(join(dir, 'bencher.json'), 'utf8')) as Record<string, { throughput: { value: number }; latency: { value: number } }>;
    expect(Object.values(bmf)[0]).toHaveProperty('throughput.value');
  });

  it('a store that cannot open is marked failed and the others still finish', { timeout: 30_000 }, async () => {
    const { config } = parseBenchArgs(['--quick', '--duration', '20', '--warmup', '5', '--runs', '1', '--sessions', '50', '--concurrency', '2', '--no-open-loop']);
    const broken = { name: 'broken', kind: 'store' as const, family: 'broken', open: () => Promise.reject(new Error('connection refused')) };
    const results = await runMatrix(config, [...benchTargets(['memory'], {}), broken], silent);
    expect(results.results.find((c) => c.target === 'broken')?.failed).toBe('could not open: connection refused');
    expect(results.results.find((c) => c.target === 'memory')?.summary).toBeDefined();
  });
});

/** A valid report with no results, to validate one section at a time. */
function minimalReport(): BenchReport {
  const { config } = parseBenchArgs(['--quick']);
  return {
    schemaVersion: BENCH_SCHEMA_VERSION,
    generatedAt: '2030-01-01T00:00:00.000Z',
    environment: { node: 'v20', os: 'Linux', cpus: { model: 'x', count: 2 }, loadAverage: [0, 0, 0], memoryGiB: 24, gitCommit: null, packages: {}, servers: {} },
    config,
    results: [],
    openLoop: [],
  };
}

describe('conformance machinery figures', () => {
  it('checks recorded 10,000-operation histories over 100 sessions and on one, times the suite per store and measures micro costs', { timeout: 60_000 }, async () => {
    const machinery = await measureMachinery({ seed: 1, payloadBytes: 1024 });
    expect(validateBenchReport({ ...minimalReport(), machinery })).toEqual([]);
    const { checker, hotIdChecker, suiteWallMs, micro } = machinery;
    expect(micro.map((m) => m.name)).toContain('encodeSession: validate and serialize');
    expect(micro.every((m) => m.samples > 0)).toBe(true);
    expect(checker.operations).toBeGreaterThanOrEqual(9_900);
    expect(checker.sessions).toBe(100);
    expect(checker.opsPerSec).toBeGreaterThan(0);
    expect(hotIdChecker.operations).toBeGreaterThanOrEqual(9_900);
    expect(hotIdChecker.sessions).toBe(1);
    expect(Object.keys(suiteWallMs)).toEqual(['memory', 'sqlite']);
  });
});

describe('bench flags', () => {
  it('parses sizes and lists', () => {
    expect(parseBytes('200')).toBe(200);
    expect(parseBytes('1KiB')).toBe(1024);
    expect(parseBytes('10kib')).toBe(10240);
    expect(parseBenchArgs(['--concurrency', '2,8']).config.concurrency).toEqual([2, 8]);
    expect(parseBenchArgs(['--payload', '200,1KiB,10KiB']).config.payloads).toEqual([200, 1024, 10240]);
  });

  it.each([
    [['--stores', 'mongo'], /unknown store "mongo"; stores: memory, sqlite, redis, redis-cluster, memcached/],
    [['--workloads', 'nope'], /unknown workload "nope"/],
    [['--concurrency', '0'], /--concurrency must be a positive integer, got "0"/],
    [['--payload', 'big'], /--payload must be a size such as 200, 1KiB or 10KiB/],
    [['--popularity', 'pareto'], /--popularity must be uniform or zipfian/],
    [['extra'], /unexpected argument "extra"/],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
