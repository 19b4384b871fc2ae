/** The bench command as users run it: built JavaScript, real process, exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/types.js';
import { validateBenchReport } from '../../bench/schema.js';
import { copyBuild } from '../support/pack.js';

const root = resolve(import.meta.dirname, '../..');
// A copy of the run's build of our own, where the test writes its store modules.
const out = join(root, '.tmp', `cli-${process.pid}`);
const cli = join(out, 'bench', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: out, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

function report(opsPerSec: number[]): object {
  const measurement = (ops: number) => ({
    opsPerSec: ops, ops, errors: 0, misses: 0, elapsedMs: 1000, clientCpu: 0.5, clientCpuUsPerOp: 500, warmupOps: 0, eventLoopDelayP99Ms: 1, clientBound: false,
    latency: { all: { count: ops, p50: 0.1, p90: 0.2, p99: 1, p999: 2, max: 3 } },
  });
  return {
    schemaVersion: 2,
    generatedAt: '2030-01-01T00:00:00.000Z',
    environment: { node: 'v20', os: 'Linux', cpus: { model: 'x', count: 2 }, loadAverage: [0, 0, 0], memoryGiB: 24, gitCommit: null, packages: {}, servers: {} },
    config: { stores: ['memory'], workloads: ['session-mix'], concurrency: [16], durationMs: 1000, warmupMs: 200, runs: 5, sessions: 10, payloads: [1024], popularity: 'zipfian', skew: 0.8, seed: 1, openLoop: { enabled: false, rateFraction: 0.5, maxInFlight: 64 }, machinery: false, workers: 1, storeSpecs: [], peers: false },
    results: [{ workload: 'session-mix', payloadBytes: 1024, target: 'memory', kind: 'store', family: 'memory', concurrency: 16, workers: 1, runs: opsPerSec.map(measurement) }],
    openLoop: [],
  };
}

beforeAll(async () => {
  await copyBuild(out);
  mkdirSync(join(out, 'reports'), { recursive: true });
  const modules: Record<string, string> = {
    // Declares a shared backend so that its load comes from the threads (each thread's Map is its own: all misses there, which is fine).
    'per-thread-map.mjs': `import { MemoryStore } from './stores/memory.js';\nexport default { name: 'per-thread map', sharedBackend: true, open: () => new MemoryStore() };\n`,
    'express-memory.cjs': `const session = require('express-session');\nmodule.exports = new session.MemoryStore();\n`,
    'broken.mjs': `export default { async get() {}, async set() { throw new Error('disk full'); }, async pop() {} };\n`,
  };
  for (const [name, text] of Object.entries(modules)) writeFileSync(join(out, name), text);
  writeFileSync(join(out, 'base.json'), JSON.stringify(report([1000, 1010, 990, 1005, 995])));
  writeFileSync(join(out, 'slower.json'), JSON.stringify(report([800, 810, 790, 805, 795])));
  writeFileSync(join(out, 'same.json'), JSON.stringify(report([1002, 1008, 992, 1003, 997])));
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench', () => {
  it('--help documents every flag', () => {
    const { stdout, status } = run('--help');
    expect(status).toBe(0);
    for (const flag of ['--store <module|url>', '--peers', '--workers', '--stores', '--workloads', '--concurrency', '--duration', '--warmup', '--runs', '--payload', '--sessions', '--popularity', '--skew', '--seed', '--open-loop-fraction', '--max-in-flight', '--no-open-loop', '--no-machinery', '--redis-url', '--memcached-url', '--postgres-url', '--out', '--quick', 'compare <base.json> <head.json>', '--throughput-threshold', '--p99-threshold', '--alpha']) {
      expect(stdout).toContain(flag);
    }
  });

  it('a bad flag exits 2 with a message saying what was wrong', () => {
    const { stderr, status } = run('--concurrency', 'many');
    expect(status).toBe(2);
    expect(stderr).toContain('bench: --concurrency must be a positive integer, got "many"');
    expect(stderr).toContain('--help');
    expect(run('--frobnicate').stderr).toMatch(/bench: Unknown option '--frobnicate'/);
  });

  it('compare exits 1 on a significant regression and 0 on noise, printing a Markdown diff', () => {
    const regression = run('compare', 'base.json', 'slower.json');
    expect(regression.status).toBe(1);
    expect(regression.stdout).toContain('| session-mix · 1 KiB · memory · 16 in flight | ops/s | 1,000 | 800 | -20% |');
    expect(regression.stdout).toContain('🔴 regression');
    const noise = run('compare', 'base.json', 'same.json');
    expect(noise.status).toBe(0);
    expect(noise.stdout).toContain('0 regressions');
  });

  it('compare refuses a file that is not a benchmark report', () => {
    writeFileSync(join(out, 'future.json'), JSON.stringify({ schemaVersion: 7 }));
    const future = run('compare', 'base.json', 'future.json');
    expect(future.status).toBe(2);
    expect(future.stderr).toContain('future.json has schemaVersion 7; this version of the tool reads schemaVersion 2');
    writeFileSync(join(out, 'partial.json'), JSON.stringify({ schemaVersion: 2 }));
    const partial = run('compare', 'base.json', 'partial.json');
    expect(partial.status).toBe(2);
    expect(partial.stderr).toContain('partial.json is not a benchmark report (schema version 2): $: missing generatedAt');
  });

  it('--quick writes the report files on the embedded stores, with no server', { timeout: 120_000 }, () => {
    const { status, stderr } = run('--quick', '--duration', '50', '--warmup', '10', '--sessions', '100', '--out', 'quick');
    expect(status, stderr).toBe(0);
    expect(stderr).toContain('benchmarking memory, sqlite');
    expect(stderr).toMatch(/\[\d+\/\d+\] session-mix · 1 KiB · memory · 1 in flight · run 1\/2/);
    const json = JSON.parse(readFileSync(join(out, 'quick', 'bench.json'), 'utf8')) as { results: { target: string }[] };
    expect(new Set(json.results.map((r) => r.target)).has('sqlite (raw better-sqlite3)')).toBe(true);
    expect(readFileSync(join(out, 'quick', 'bench.html'), 'utf8')).toMatch(/^<!doctype html>[\s\S]*<svg [\s\S]*<\/html>\n$/);
  });

  it('--store runs third-party modules beside the references, from threads when they declare a shared backend; a broken one fails alone', { timeout: 120_000 }, () => {
    const { status, stderr } = run('--stores', 'memory', '--store', './per-thread-map.mjs', '--store', './express-memory.cjs', '--store', './broken.mjs', '--workers', '2', '--workloads', 'session-mix', '--concurrency', '1,4', '--duration', '40', '--warmup', '10', '--runs', '1', '--sessions', '100', '--no-open-loop', '--no-machinery', '--out', 'any');
    expect(status, stderr).toBe(0);
    expect(stderr).toContain('benchmarking memory, per-thread map, express:MemoryStore, store');
    const report = JSON.parse(readFileSync(join(out, 'any', 'bench.json'), 'utf8')) as BenchReport;
    expect(validateBenchReport(report)).toEqual([]);
    const cell = (target: string, concurrency: number) => report.results.find((c) => c.target === target && c.concurrency === concurrency)!;
    expect(cell('per-thread map', 4)).toMatchObject({ kind: 'custom', workers: 2 });
    expect(cell('per-thread map', 4).inProcess).toBeUndefined();
    // Every operation of both threads is in the merged histogram.
    const run4 = cell('per-thread map', 4).runs[0]!;
    expect(run4.latency.all!.count).toBe(run4.ops);
    expect(cell('express:MemoryStore', 4)).toMatchObject({ kind: 'custom', workers: 1, inProcess: true });
    expect(cell('store', 1).failed).toBe('failed mid-run: disk full');
    expect(cell('store', 4).failed).toBe('not run: store failed earlier (disk full)');
    expect(cell('memory', 4).summary).toBeDefined();
    expect(readFileSync(join(out, 'any', 'bench.md'), 'utf8')).toContain('Load: closed loops from 2 threads on stores on a shared backend');
  });

  it('--store refuses what it cannot load with exit 2', () => {
    const missing = run('--store', './nope.mjs');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('bench: no module at');
    const unknown = run('--store', 'mongodb://db/sessions');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('redis+cluster://');
    const unreachable = run('--store', 'redis://:secret@127.0.0.1:1');
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/^bench: RedisStore could not use redis:\/\/:\*\*\*@127\.0\.0\.1:1: /);
    expect(unreachable.stderr).not.toContain('secret');
  });

  it.skipIf(!process.env.REDIS_URL)('--peers runs the published stores beside the reference of their backend, and Redis at 1 and 2 threads', { timeout: 120_000 }, () => {
    const { status, stderr } = run('--stores', 'memory,redis', '--peers', '--workers', '2', '--workloads', 'read-heavy', '--concurrency', '2', '--duration', '40', '--warmup', '10', '--runs', '1', '--sessions', '100', '--no-open-loop', '--no-machinery', '--out', 'peers');
    expect(status, stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'peers', 'bench.json'), 'utf8')) as BenchReport;
    expect(validateBenchReport(report)).toEqual([]);
    const peers = report.results.filter((c) => c.kind === 'peer');
    expect(peers.map((c) => `${c.target} (${c.family})`)).toEqual(['express-session MemoryStore (memory)', 'memorystore (memory)', 'connect-redis (redis)']);
    for (const c of peers) expect(c.summary, c.failed).toBeDefined();
    const references = report.results.filter((c) => c.kind === 'store' && !c.oneWorker);
    for (const c of references) expect(c.summary?.ratioToFastestPeer, c.target).toBeGreaterThan(0);
    expect(report.results.filter((c) => c.target === 'redis').map((c) => c.workers).sort()).toEqual([1, 2]);
    const md = readFileSync(join(out, 'peers', 'bench.md'), 'utf8');
    expect(md).toContain('## vs published stores');
    expect(md).toContain('## One thread vs 2 threads');
    expect(md).toMatch(/\| redis \| read-heavy \| 1 KiB \| 2 \| \*\*redis\*\* \| [\d,]+ · p99 [\d.]+ ms[^|]* \| [\d.]+×/);
  });

  // Longer runs than the Redis test's: a PostgreSQL call on a loaded machine can outlast 40 ms.
  it.skipIf(!process.env.POSTGRES_URL)('--stores postgres --peers runs PostgresStore beside raw pg and connect-pg-simple', { timeout: 120_000 }, () => {
    const { status, stderr } = run('--stores', 'postgres', '--peers', '--workers', '2', '--workloads', 'session-mix', '--concurrency', '2', '--duration', '250', '--warmup', '50', '--runs', '1', '--sessions', '100', '--no-open-loop', '--no-machinery', '--out', 'postgres');
    expect(status, stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'postgres', 'bench.json'), 'utf8')) as BenchReport;
    expect(validateBenchReport(report)).toEqual([]);
    const targets = new Set(report.results.filter((c) => c.family === 'postgres').map((c) => `${c.target} (${c.kind})`));
    expect([...targets]).toEqual(['postgres (store)', 'postgres (raw pg) (ceiling)', 'connect-pg-simple (peer)']);
    for (const c of report.results.filter((c) => c.family === 'postgres')) expect(c.summary, c.failed).toBeDefined();
    expect(report.environment.servers.postgres).toMatch(/^\d+/);
  });
});
