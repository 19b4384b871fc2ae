/** Command-line flags of `npm run bench`, checked with messages that say what was wrong. */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { UsageError } from '../command/usage-error.js';
import { DEFAULT_COMPARE } from './compare.js';
import type { BenchConfig } from './types.js';
import type { TargetUrls } from './targets.js';
import { WORKLOADS } from './workloads.js';

export const ALL_STORES = ['memory', 'sqlite', 'redis', 'redis-cluster', 'memcached', 'postgres'];

export const HELP = `Usage: npm run bench -- [options]
       npm run bench -- compare <base.json> <head.json> [compare options]

Benchmarks the reference session stores, and any store named with --store, on session-shaped
workloads and writes a Markdown and JSON report (with SVG charts and CI views) to --out. Each
reference store runs beside its raw driver (the ceiling) and a no-op store (the harness's
ceiling). Memory and SQLite always run; Redis, Redis Cluster, Memcached and PostgreSQL run when a
server is found (REDIS_URL / REDIS_CLUSTER_URL / MEMCACHED_URL / POSTGRES_URL, binaries on this
machine, or a container runtime for all but the cluster).

Options:
  --stores <list>         stores to run: ${ALL_STORES.join(', ')} (default: all that are available)
  --workloads <list>      ${WORKLOADS.map((w) => w.name).join(', ')} (default: all)
  --concurrency <list>    operations in flight, closed loop (default: 1,16,64)
  --duration <ms>         measured time per run (default: 750)
  --warmup <ms>           unmeasured time before each run (default: 150)
  --runs <n>              repetitions per cell, targets interleaved (default: 3)
  --payload <list>        JSON bytes per session, each size a scenario: e.g. 200,1KiB,10KiB (default: 1KiB)
  --sessions <n>          active sessions (default: 10000)
  --popularity <kind>     uniform or zipfian (default: zipfian)
  --skew <s>              zipfian skew (default: 0.8)
  --seed <n>              workload seed (default: 42)
  --open-loop-fraction <f> open-loop arrival rate as a fraction of capacity (default: 0.5)
  --max-in-flight <n>     open-loop cap on operations in flight (default: 64)
  --no-open-loop          skip the open-loop runs
  --no-machinery          skip timing the checker and the conformance suite
  --store <module|url>    also benchmark this store (repeatable): a module whose default export is a
                          store, a target { name, open() }, an express-session or a koa-session store
                          (as session-store-conformance check loads it), or a store URL
  --peers                 also benchmark published stores beside the reference of their backend:
                          express-session's MemoryStore, memorystore, connect-redis 11 on node-redis
                          (with Redis), connect-pg-simple (with PostgreSQL); the Redis, Redis
                          Cluster and Memcached servers' own limits are measured on servers the run
                          starts (redis-benchmark, with --cluster on the cluster; a raw pipelined
                          client for Memcached)
  --workers <n>           threads generating load on stores on a shared backend (default: the number
                          of CPUs, here ${availableParallelism()}); in-process stores always run in one thread
  --redis-url <url>       Redis to use (default: $REDIS_URL, else provisioned)
  --redis-cluster-url <url> Redis Cluster to use, redis+cluster://host:port,host:port
                          (default: $REDIS_CLUSTER_URL, else 3 local masters)
  --memcached-url <url>   Memcached to use (default: $MEMCACHED_URL, else provisioned)
  --postgres-url <url>    PostgreSQL to use (default: $POSTGRES_URL, else provisioned)
  --out <dir>             report directory (default: reports)
  --quick                 a smoke run of a few seconds: session-mix, memory + SQLite, 1 and 16 in flight
  -h, --help              show this help

Compare options:
  --throughput-threshold <percent>  throughput drop that counts (default: ${DEFAULT_COMPARE.throughputThreshold})
  --p99-threshold <percent>         p99 rise that counts (default: ${DEFAULT_COMPARE.p99Threshold})
  --alpha <p>                       significance level (default: ${DEFAULT_COMPARE.alpha})
`;

const list = (value: string | undefined, fallback: string[]) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : fallback);

export function positiveNumber(value: string | undefined, flag: string, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  return n;
}

export function parseBytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kib|kb|k|mib|mb|m)?$/i.exec(value.trim());
  if (!match) throw new UsageError(`--payload must be a size such as 200, 1KiB or 10KiB, got "${value}"`);
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  return Math.round(Number(match[1]) * factor);
}

export function parseBenchArgs(argv: string[]): { config: BenchConfig; out: string; urls: TargetUrls; help: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stores: { type: 'string' }, workloads: { type: 'string' }, concurrency: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' },
      runs: { type: 'string' }, payload: { type: 'string' }, sessions: { type: 'string' }, popularity: { type: 'string' }, skew: { type: 'string' },
      seed: { type: 'string' }, 'open-loop-fraction': { type: 'string' }, 'max-in-flight': { type: 'string' }, 'no-open-loop': { type: 'boolean' },
      'no-machinery': { type: 'boolean' }, 'redis-url': { type: 'string' }, 'redis-cluster-url': { type: 'string' }, 'memcached-url': { type: 'string' }, 'postgres-url': { type: 'string' }, out: { type: 'string' },
      quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      store: { type: 'string', multiple: true }, peers: { type: 'boolean' }, workers: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (did you mean: compare <base.json> <head.json>?)`);
  const quick = values.quick === true;
  const stores = list(values.stores, quick ? ['memory', 'sqlite'] : ALL_STORES);
  for (const s of stores) if (!ALL_STORES.includes(s)) throw new UsageError(`unknown store "${s}"; stores: ${ALL_STORES.join(', ')}`);
  const workloads = list(values.workloads, quick ? ['session-mix'] : WORKLOADS.map((w) => w.name));
  for (const w of workloads) if (!WORKLOADS.some((x) => x.name === w)) throw new UsageError(`unknown workload "${w}"; workloads: ${WORKLOADS.map((x) => x.name).join(', ')}`);
  const concurrency = list(values.concurrency, quick ? ['1', '16'] : ['1', '16', '64']).map((c) => positiveNumber(c, '--concurrency', 1));
  const popularity = values.popularity ?? 'zipfian';
  if (popularity !== 'uniform' && popularity !== 'zipfian') throw new UsageError(`--popularity must be uniform or zipfian, got "${popularity}"`);
  const skew = values.skew === undefined ? 0.8 : Number(values.skew);
  if (!(skew >= 0 && skew < 10)) throw new UsageError(`--skew must be a number from 0 to 10, got "${values.skew}"`);
  const rateFraction = positiveNumber(values['open-loop-fraction'], '--open-loop-fraction', 0.5, false);
  if (rateFraction > 1) throw new UsageError('--open-loop-fraction must be at most 1');
  return {
    config: {
      stores,
      workloads,
      concurrency,
      durationMs: positiveNumber(values.duration, '--duration', quick ? 300 : 750),
      warmupMs: positiveNumber(values.warmup, '--warmup', quick ? 100 : 150),
      runs: positiveNumber(values.runs, '--runs', quick ? 2 : 3),
      sessions: positiveNumber(values.sessions, '--sessions', quick ? 2000 : 10_000),
      payloads: list(values.payload, ['1KiB']).map(parseBytes),
      popularity,
      skew,
      seed: values.seed === undefined ? 42 : positiveNumber(values.seed, '--seed', 42),
      openLoop: { enabled: values['no-open-loop'] !== true, rateFraction, maxInFlight: positiveNumber(values['max-in-flight'], '--max-in-flight', 64) },
      machinery: values['no-machinery'] !== true && !quick,
      workers: positiveNumber(values.workers, '--workers', availableParallelism()),
      storeSpecs: values.store ?? [],
      peers: values.peers === true,
    },
    out: values.out ?? 'reports',
    urls: {
      redis: values['redis-url'] ?? process.env.REDIS_URL,
      'redis-cluster': values['redis-cluster-url'] ?? process.env.REDIS_CLUSTER_URL,
      memcached: values['memcached-url'] ?? process.env.MEMCACHED_URL,
      postgres: values['postgres-url'] ?? process.env.POSTGRES_URL,
    },
    help: values.help === true,
  };
}

