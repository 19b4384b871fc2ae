/**
 * session-store-conformance/bench: the benchmark as a library. `runBench(options)` runs what
 * `npm run bench` runs, with the same defaults, and returns the report object (schema:
 * bench/report.schema.json); with `out` it also writes the report files.
 */
import { createProgress, type Progress } from '../command/progress.js';
import { BackendUnavailable, provision, type Backend, type ProvisionedServer } from '../servers/index.js';
import { parseBenchArgs } from './args.js';
import { describeEnvironment } from './environment.js';
import { closeSpecExports, specTargets } from './load-stores.js';
import { peerTargets } from './peers.js';
import { BENCH_SCHEMA_VERSION, writeBenchReport } from './report.js';
import type { BenchConfig, BenchReport } from './types.js';
import { runMatrix } from './run.js';
import { benchTargets, type BenchTarget, type TargetUrls } from './targets.js';
import { memcachedServerLimit, redisServerLimit } from './server-side.js';

export { BENCH_SCHEMA_VERSION } from './report.js';
export type { BenchConfig, BenchReport, CellResult, Machinery, OpenLoopResult } from './types.js';
export type { TargetUrls } from './targets.js';
export { compareReports, renderComparison, type CompareOptions, type CellComparison } from './compare.js';
export { validateBenchReport } from './schema.js';

export interface BenchOptions extends Partial<Omit<BenchConfig, 'openLoop'>> {
  openLoop?: Partial<BenchConfig['openLoop']>;
  /** Servers for the networked reference stores (and connect-redis); default REDIS_URL / MEMCACHED_URL. */
  urls?: TargetUrls;
  /** Start a server for a networked store when none is named (a binary on PATH, or a container). Default true. */
  provision?: boolean;
  /** Also write bench.json, bench.md, the charts and the CI views to this directory. */
  out?: string;
  /** Progress lines; default one line on stderr, redrawn. */
  progress?: Progress;
  /** What is run and what is skipped, a line each; default stderr. */
  log?: (line: string) => void;
}

const stderrLine = (line: string) => void process.stderr.write(`${line}\n`);

/** Finds servers for the networked stores asked for; a missing one is said on stderr and left out. */
async function findServers(stores: readonly string[], urls: TargetUrls, allowed: boolean, log: (line: string) => void): Promise<{ urls: TargetUrls; started: ProvisionedServer[] }> {
  const started: ProvisionedServer[] = [];
  const found: TargetUrls = { ...urls };
  for (const backend of ['redis', 'redis-cluster', 'memcached', 'postgres'] as const satisfies Backend[]) {
    if (!stores.includes(backend) || found[backend] || !allowed) continue;
    try {
      const server = await provision(backend);
      started.push(server);
      found[backend] = server.url;
    } catch (error) {
      if (!(error instanceof BackendUnavailable)) throw error;
      log(`note: skipping ${backend}: ${error.message}`);
    }
  }
  return { urls: found, started };
}

/** Published stores go right after the reference store (and raw driver) of their backend, so the runs interleave them. */
function besideTheirBackend(references: BenchTarget[], peers: BenchTarget[]): BenchTarget[] {
  const out = [...references];
  for (const peer of peers) {
    const last = out.findLastIndex((t) => t.family === peer.family);
    out.splice(last === -1 ? out.length : last + 1, 0, peer);
  }
  return out;
}

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const defaults = parseBenchArgs([]);
  const { urls: given, provision: allowed = true, out, progress = createProgress(), log = stderrLine, openLoop, ...overrides } = options;
  const config: BenchConfig = { ...defaults.config, ...overrides, openLoop: { ...defaults.config.openLoop, ...openLoop } };
  const servers = await findServers(config.stores, { ...defaults.urls, ...given }, allowed, log);
  // Ctrl-C must not leave a server this run started behind.
  const interrupted = (signal: NodeJS.Signals) => {
    void Promise.all(servers.started.map((s) => s.stop())).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  if (servers.started.length) {
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
  }
  try {
    const references = benchTargets(config.stores, servers.urls);
    // A server's own limit is measured only on a server this run started: its load tool writes keys of its own.
    const started = new Set(servers.started.map((s) => s.url));
    for (const target of references) {
      if (target.kind !== 'store' || target.recipe?.from !== 'reference' || target.recipe.driver || !started.has(target.recipe.url)) continue;
      const { backend, url } = target.recipe;
      if (backend === 'redis' || backend === 'redis-cluster') target.serverLimit = (payloadBytes) => redisServerLimit(url, payloadBytes);
      if (backend === 'memcached') target.serverLimit = (payloadBytes) => memcachedServerLimit(url, payloadBytes);
    }
    const stores = [...new Set(references.filter((t) => t.kind === 'store').map((t) => t.family))];
    // A published store runs only beside a reference store of its backend.
    const peers = config.peers ? peerTargets(servers.urls).filter((p) => stores.includes(p.family)) : [];
    const compared = besideTheirBackend(references, peers);
    const targets = [...compared, ...(await specTargets(config.storeSpecs, compared.map((t) => t.name)))];
    const others = targets.filter((t) => t.kind === 'custom' || t.kind === 'peer').map((t) => t.name);
    log(`benchmarking ${[...stores, ...others].join(', ')} (+ raw-driver ceilings and a no-op store) on ${config.workloads.join(', ')}`);
    const environment = await describeEnvironment(servers.urls);
    const results = await runMatrix({ ...config, stores }, targets, progress);
    const report: BenchReport = { schemaVersion: BENCH_SCHEMA_VERSION, generatedAt: new Date().toISOString(), environment, config: { ...config, stores }, ...results };
    if (out) await writeBenchReport(out, report);
    return report;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    for (const problem of await closeSpecExports()) log(`warning: ${problem}`);
    await Promise.all(servers.started.map((s) => s.stop()));
  }
}
