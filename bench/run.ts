/**
 * Runs the benchmark matrix: for each workload and concurrency, several repetitions, with the
 * targets interleaved (A B A B, not A A B B) so drift in the machine hits every target alike.
 */
import { checkConformance } from '../suite/core.js';
import { checkHistory, monotonicClock } from '../suite/linearizability/index.js';
import { plannedOps, programs, runPrograms } from '../suite/linearizability/programs.js';
import { MemoryStore, SqliteStore } from '../stores/index.js';
import fc from 'fast-check';
import type { BenchTarget } from './targets.js';
import { closedLoop, openLoop, SESSION_TTL_MS, type Measurement, type OpenLoopMeasurement, type RunContext } from './measure.js';
import { median } from './stats.js';
import type { SessionData } from '../suite/contract.js';
import { formatBytes, generateOps, sessionPayload, WORKLOADS, type Workload, type WorkloadOptions } from './workloads.js';
import type { Progress } from '../cli/progress.js';
import { measureMicroCosts, type MicroCost } from './micro.js';

export interface BenchConfig {
  stores: string[];
  workloads: string[];
  concurrency: number[];
  durationMs: number;
  warmupMs: number;
  runs: number;
  sessions: number;
  /** JSON bytes per session: each size is a scenario of its own. */
  payloads: number[];
  popularity: 'uniform' | 'zipfian';
  skew: number;
  seed: number;
  openLoop: { enabled: boolean; rateFraction: number; maxInFlight: number };
  machinery: boolean;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

interface Scenario {
  workload: Workload;
  payloadBytes: number;
}

/** Cells of the same workload at the same payload size. */
export const sameScenario = (a: { workload: string; payloadBytes: number }, b: { workload: string; payloadBytes: number }): boolean =>
  a.workload === b.workload && a.payloadBytes === b.payloadBytes;

export interface CellResult {
  workload: string;
  payloadBytes: number;
  target: string;
  kind: BenchTarget['kind'];
  family: string;
  concurrency: number;
  runs: Measurement[];
  summary?: { opsPerSec: Spread; p50: number; p99: number; p999: number; ratioToCeiling?: number; clientBound: boolean; errors: number };
  failed?: string;
}

export interface OpenLoopResult {
  workload: string;
  payloadBytes: number;
  target: string;
  kind: BenchTarget['kind'];
  family: string;
  measurement?: OpenLoopMeasurement;
  failed?: string;
}

export interface CheckerFigure {
  operations: number;
  sessions: number;
  elapsedMs: number;
  opsPerSec: number;
}

export interface Machinery {
  /** The checker on a history spread over many sessions. */
  checker: CheckerFigure;
  /** The same number of operations on one session, as one user's tabs make: the search's worst shape. */
  hotIdChecker: CheckerFigure;
  suiteWallMs: Record<string, number>;
  micro: MicroCost[];
}

export interface BenchResults {
  results: CellResult[];
  openLoop: OpenLoopResult[];
  machinery?: Machinery;
}

const spread = (values: number[]): Spread => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

function summarize(cell: CellResult): void {
  const ok = cell.runs.filter((r) => r.ops > 0);
  if (ok.length === 0) {
    cell.failed ??= cell.runs[0]?.firstError ?? 'no operation completed';
    return;
  }
  const all = (key: 'p50' | 'p99' | 'p999') => median(ok.map((r) => r.latency.all?.[key] ?? NaN));
  cell.summary = {
    opsPerSec: spread(ok.map((r) => r.opsPerSec)),
    p50: all('p50'),
    p99: all('p99'),
    p999: all('p999'),
    clientBound: ok.some((r) => r.clientBound),
    errors: cell.runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

/** Each store's median throughput over its raw driver's, in the same cell. */
function addRatios(results: CellResult[]): void {
  for (const cell of results) {
    if (cell.kind !== 'store' || !cell.summary) continue;
    const ceiling = results.find((c) => c.kind === 'ceiling' && c.family === cell.family && sameScenario(c, cell) && c.concurrency === cell.concurrency);
    if (ceiling?.summary) cell.summary.ratioToCeiling = Number((cell.summary.opsPerSec.median / ceiling.summary.opsPerSec.median).toFixed(3));
  }
}

async function populate(ctx: RunContext, sessions: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < sessions) {
      const i = next++;
      await ctx.store.set(ctx.idOf(i), ctx.payloadOf(i), SESSION_TTL_MS);
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
}

export async function runBench(config: BenchConfig, targets: BenchTarget[], progress: Progress): Promise<BenchResults> {
  // A scenario is a workload at one payload size; every cell and open-loop run belongs to one.
  const scenarios = config.workloads.flatMap((name) => config.payloads.map((payloadBytes) => ({ workload: WORKLOADS.find((w) => w.name === name)!, payloadBytes })));
  const runPrefix = `bench-${process.pid}-`;
  const opsCache = new Map<string, RunContext['ops']>();
  const payloadCache = new Map<number, SessionData[]>();
  const contextFor = (store: RunContext['store'], { workload, payloadBytes }: Scenario): RunContext => {
    let ops = opsCache.get(workload.name);
    if (!ops) {
      const options: WorkloadOptions = { sessions: config.sessions, popularity: config.popularity, skew: config.skew, seed: config.seed, length: 50_000 };
      opsCache.set(workload.name, (ops = generateOps(workload, options)));
    }
    let payloads = payloadCache.get(payloadBytes);
    if (!payloads) payloadCache.set(payloadBytes, (payloads = Array.from({ length: Math.min(config.sessions, 1000) }, (_, i) => sessionPayload(payloadBytes, i))));
    return {
      store,
      ops,
      idOf: (i) => `${runPrefix}${i}`,
      missingIdOf: (i) => `${runPrefix}missing-${i}`,
      payloadOf: (i) => payloads[i % payloads.length]!,
    };
  };

  // Stores stay open for the whole run; one that cannot open is marked failed in every cell.
  const opened = new Map<string, Awaited<ReturnType<BenchTarget['open']>> | Error>();
  for (const target of targets) opened.set(target.name, await target.open().catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));

  const results: CellResult[] = [];
  const populated = new Set<string>();
  const cells = scenarios.length * config.concurrency.length * config.runs * targets.length;
  progress.start(cells + (config.openLoop.enabled ? scenarios.length * targets.length : 0));
  for (const scenario of scenarios) {
    const { workload, payloadBytes } = scenario;
    for (const concurrency of config.concurrency) {
      const row = targets.map((t): CellResult => ({ workload: workload.name, payloadBytes, target: t.name, kind: t.kind, family: t.family, concurrency, runs: [] }));
      results.push(...row);
      for (let run = 0; run < config.runs; run++) {
        for (const [i, target] of targets.entries()) {
          progress.tick(`${workload.name} · ${formatBytes(payloadBytes)} · ${target.name} · ${concurrency} in flight · run ${run + 1}/${config.runs}`);
          const store = opened.get(target.name)!;
          const cell = row[i]!;
          if (store instanceof Error) {
            cell.failed = `could not open: ${store.message}`;
            continue;
          }
          if (cell.failed) continue;
          try {
            const ctx = contextFor(store, scenario);
            // Fill the active set once per scenario and target: later cells start from what the last left.
            const key = `${workload.name}/${payloadBytes}/${target.name}`;
            if (!populated.has(key)) {
              await populate(ctx, config.sessions);
              populated.add(key);
            }
            cell.runs.push(await closedLoop(ctx, { concurrency, durationMs: config.durationMs, warmupMs: config.warmupMs }));
          } catch (error) {
            cell.failed = `failed mid-run: ${error instanceof Error ? error.message : String(error)}`;
          }
        }
      }
      for (const cell of row) summarize(cell);
    }
  }
  addRatios(results);

  const openLoopResults: OpenLoopResult[] = [];
  if (config.openLoop.enabled) {
    const reference = Math.max(...config.concurrency);
    for (const scenario of scenarios) {
      const { workload, payloadBytes } = scenario;
      for (const target of targets) {
        progress.tick(`open loop · ${workload.name} · ${formatBytes(payloadBytes)} · ${target.name}`);
        const base = { workload: workload.name, payloadBytes, target: target.name, kind: target.kind, family: target.family };
        const capacity = results.find((c) => sameScenario(c, base) && c.target === target.name && c.concurrency === reference)?.summary?.opsPerSec.median;
        const store = opened.get(target.name)!;
        if (!capacity || store instanceof Error) {
          openLoopResults.push({ ...base, failed: 'no measured capacity' });
          continue;
        }
        try {
          const ctx = contextFor(store, scenario);
          await populate(ctx, config.sessions);
          const ratePerSec = Math.max(1, Math.round(capacity * config.openLoop.rateFraction));
          openLoopResults.push({ ...base, measurement: await openLoop(ctx, { ratePerSec, durationMs: config.durationMs, maxInFlight: config.openLoop.maxInFlight }) });
        } catch (error) {
          openLoopResults.push({ ...base, failed: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }

  // Leave shared servers as they were found.
  for (const [, store] of opened) {
    if (store instanceof Error) continue;
    await Promise.allSettled(Array.from({ length: config.sessions }, (_, i) => store.pop(`${runPrefix}${i}`)));
    await store.close().catch(() => {});
  }
  progress.done();
  return { results, openLoop: openLoopResults, ...(config.machinery && { machinery: await measureMachinery({ seed: config.seed, payloadBytes: config.payloads[0]! }) }) };
}

/** Records about 10,000 operations of `clients` clients on the memory store over `sessions` ids and times the checker on them. */
async function timeChecker(seed: number, sessions: number, clients: number): Promise<CheckerFigure> {
  const ids = Array.from({ length: sessions }, (_, i) => `checker-${i}`);
  const op = plannedOps({ sessions, touch: true, update: true, shortTtl: false });
  const perClient = Math.ceil(10_000 / clients);
  const [progs] = fc.sample(programs(op, { min: clients, max: clients }, { min: perClient - 1, max: perClient }), { numRuns: 1, seed });
  const history = await runPrograms(progs!, { stores: [new MemoryStore()], ids, ttls: [SESSION_TTL_MS, SESSION_TTL_MS], clock: monotonicClock });
  const started = performance.now();
  const result = checkHistory(history);
  const elapsedMs = performance.now() - started;
  if (!result.ok) throw new Error('the checker rejected a history of the memory store');
  return { operations: history.length, sessions, elapsedMs: Number(elapsedMs.toFixed(1)), opsPerSec: Math.round((history.length / elapsedMs) * 1000) };
}

/** The conformance machinery's own speed: the checker on large real histories, and suite wall time. */
export async function measureMachinery(config: { seed: number; payloadBytes: number }): Promise<Machinery> {
  const checker = await timeChecker(config.seed, 100, 32);
  const hotIdChecker = await timeChecker(config.seed, 1, 4);
  const suiteWallMs: Record<string, number> = {};
  for (const [name, open] of [
    ['memory', ({ clock }: { clock: import('../suite/contract.js').Clock }) => new MemoryStore({ clock })],
    ['sqlite', ({ clock }: { clock: import('../suite/contract.js').Clock }) => new SqliteStore({ clock })],
  ] as const) {
    const t = performance.now();
    await checkConformance({ name, clock: 'injected', open }, { seed: config.seed, report: false });
    suiteWallMs[name] = Math.round(performance.now() - t);
  }
  return {
    checker,
    hotIdChecker,
    suiteWallMs,
    micro: await measureMicroCosts(config.payloadBytes),
  };
}
