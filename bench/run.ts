/**
 * Runs the benchmark matrix: for each workload and concurrency, several repetitions, with the
 * targets interleaved (A B A B, not A A B B) so drift in the machine hits every target alike.
 */
import { checkConformance } from '../suite/run.js';
import { checkHistory, monotonicClock } from '../suite/linearizability/index.js';
import { plannedOps, programs, runPrograms } from '../suite/linearizability/programs.js';
import { MemoryStore, SqliteStore } from '../stores/index.js';
import fc from 'fast-check';
import type { BenchTarget } from './targets.js';
import { withTimeout } from '../stores/connection-error.js';
import { contextFactory, type ScenarioSpec } from './context.js';
import { closedLoop, openLoop, SESSION_TTL_MS, type Measurement, type RunContext } from './measure.js';
import { LoadPool } from './workers.js';
import { median } from './stats.js';
import { formatBytes, WORKLOADS, type Workload } from './workloads.js';
import type { Progress } from '../command/progress.js';
import { measureMicroCosts } from './micro.js';
import { workloadLimit, type ServerCpuSample, type ServerLimit } from './server-side.js';
import type { BenchConfig, BenchResults, CellResult, CheckerFigure, Machinery, OpenLoopResult, Spread } from './types.js';
import { messageOf } from '../suite/describe-value.js';

interface Scenario {
  workload: Workload;
  payloadBytes: number;
}

/** Cells of the same workload at the same payload size. */
export const sameScenario = (a: { workload: string; payloadBytes: number }, b: { workload: string; payloadBytes: number }): boolean =>
  a.workload === b.workload && a.payloadBytes === b.payloadBytes;

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
  const serverCpu = ok.map((r) => r.serverCpu).filter((c) => c !== undefined);
  if (serverCpu.length) cell.summary.serverCpu = Number(median(serverCpu).toFixed(2));
  cell.summary.clientCpuUsPerOp = Number(median(ok.map((r) => r.clientCpuUsPerOp)).toFixed(2));
  const commands = ok.map((r) => r.commandsPerOp).filter((c) => c !== undefined);
  if (commands.length) cell.summary.commandsPerOp = Number(median(commands).toFixed(3));
  const saturated = [...(cell.summary.clientBound ? ['client' as const] : []), ...((cell.summary.serverCpu ?? 0) >= 0.9 ? ['server' as const] : [])];
  if (serverCpu.length || saturated.length) cell.summary.saturated = saturated;
}

/** Cells measured side by side: same scenario, operations in flight and threads. */
const sameLane = (a: CellResult, b: CellResult): boolean => sameScenario(a, b) && a.concurrency === b.concurrency && a.oneWorker === b.oneWorker;

/** Each store's median throughput over its raw driver's, and over the fastest published store's on its backend. */
function addRatios(results: CellResult[], limits: readonly ServerLimit[]): void {
  const ratio = (a: CellResult, b: CellResult) => Number((a.summary!.opsPerSec.median / b.summary!.opsPerSec.median).toFixed(3));
  for (const cell of results) {
    const limit = limits.find((l) => l.backend === cell.family && l.payloadBytes === cell.payloadBytes);
    const workload = WORKLOADS.find((w) => w.name === cell.workload);
    if (limit && workload && cell.summary) cell.summary.ratioToServerLimit = Number((cell.summary.opsPerSec.median / workloadLimit(workload, limit)).toFixed(3));
    if (cell.kind !== 'store' || !cell.summary) continue;
    const ceiling = results.find((c) => c.kind === 'ceiling' && c.family === cell.family && sameLane(c, cell));
    if (ceiling?.summary) cell.summary.ratioToCeiling = ratio(cell, ceiling);
    const peers = results.filter((c) => c.kind === 'peer' && c.family === cell.family && c.summary && sameLane(c, cell));
    const fastest = peers.sort((a, b) => b.summary!.opsPerSec.median - a.summary!.opsPerSec.median)[0];
    if (fastest) cell.summary.ratioToFastestPeer = ratio(cell, fastest);
  }
}

/**
 * The server's side of one measurement, from its samples before and after: how busy its CPU was
 * and how many commands it executed per operation, over the warm-up and the window together
 * (the operations of both count).
 */
function serverFigures(before: ServerCpuSample, after: ServerCpuSample, seconds: number, m: Measurement): Pick<Measurement, 'serverCpu' | 'commandsPerOp'> {
  const serverCpu = (after.cpuSeconds - before.cpuSeconds) / seconds / after.threads;
  const commandsPerOp = (after.commands - before.commands) / (m.ops + m.errors + m.warmupOps);
  return {
    ...(Number.isFinite(serverCpu) && { serverCpu: Number(serverCpu.toFixed(2)) }),
    ...(Number.isFinite(commandsPerOp) && { commandsPerOp: Number(commandsPerOp.toFixed(3)) }),
  };
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

/** A target in one cell: at its usual number of threads, or at one beside it. */
interface Lane {
  target: BenchTarget;
  threads: number;
  oneWorker?: true;
}

/**
 * Who generates each target's load at `concurrency`: a store on a shared backend from the pool's
 * threads, anything else from the main thread; at the highest concurrency the reference stores
 * and their raw drivers on a server also run at one thread, for the comparison.
 */
function lanesOf(targets: readonly BenchTarget[], concurrency: number, top: number, pool: LoadPool | undefined): Lane[] {
  return targets.flatMap((target): Lane[] => {
    if (!pool || !target.recipe) return [{ target, threads: 1 }];
    const lane: Lane = { target, threads: pool.size };
    const compared = concurrency === top && concurrency > 1 && (target.kind === 'store' || target.kind === 'ceiling');
    return compared ? [lane, { target, threads: 1, oneWorker: true }] : [lane];
  });
}

/**
 * Runs the matrix on `targets`. A target that fails mid-run (or stops answering) is marked failed
 * from then on, and the others finish.
 */
export async function runMatrix(config: BenchConfig, targets: BenchTarget[], progress: Progress): Promise<BenchResults> {
  // A scenario is a workload at one payload size; every cell and open-loop run belongs to one.
  const scenarios = config.workloads.flatMap((name) => config.payloads.map((payloadBytes) => ({ workload: WORKLOADS.find((w) => w.name === name)!, payloadBytes })));
  const specOf = ({ workload, payloadBytes }: Scenario): ScenarioSpec => ({ workload: workload.name, payloadBytes, sessions: config.sessions, popularity: config.popularity, skew: config.skew, seed: config.seed });
  const prefix = `bench-${process.pid}-`;
  const contextOf = contextFactory(prefix);
  const contextFor = (store: RunContext['store'], scenario: Scenario) => contextOf(store, specOf(scenario));
  const pool = config.workers > 1 && targets.some((t) => t.recipe) ? new LoadPool(config.workers) : undefined;
  // A store that stops answering must not stall the run: each cell gets its time and a margin.
  const patience = config.warmupMs + config.durationMs + 30_000;

  // Stores stay open for the whole run; one that cannot open is marked failed in every cell.
  const opened = new Map<string, Awaited<ReturnType<BenchTarget['open']>> | Error>();
  for (const target of targets) opened.set(target.name, await target.open().catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
  const broken = new Map<string, string>();

  // The servers' own limits, per payload size, before the cells (not while another target loads the server).
  const serverLimits: ServerLimit[] = [];
  for (const target of targets.filter((t) => t.serverLimit)) {
    for (const payloadBytes of config.payloads) {
      const limit = await target.serverLimit!(payloadBytes).catch(() => undefined);
      if (limit) serverLimits.push(limit);
    }
  }

  const results: CellResult[] = [];
  const populated = new Set<string>();
  /** Targets that have run their unmeasured lap, per thread set (see below). */
  const warmedUp = new Set<string>();
  const top = Math.max(...config.concurrency);
  const cells = scenarios.reduce((sum) => sum + config.concurrency.reduce((n, c) => n + lanesOf(targets, c, top, pool).length, 0), 0) * config.runs;
  progress.start(cells + (config.openLoop.enabled ? scenarios.length * targets.length : 0));
  try {
    for (const scenario of scenarios) {
      const { workload, payloadBytes } = scenario;
      for (const concurrency of config.concurrency) {
        const lanes = lanesOf(targets, concurrency, top, pool);
        const row = lanes.map(({ target: t, threads, oneWorker }): CellResult => ({ workload: workload.name, payloadBytes, target: t.name, kind: t.kind, family: t.family, concurrency, workers: threads, ...(oneWorker && { oneWorker }), ...(!t.recipe && { inProcess: true as const }), runs: [] }));
        results.push(...row);
        for (let run = 0; run < config.runs; run++) {
          // Each repetition starts elsewhere in the row, so that no target always follows the same one
          // (an in-process store's garbage collection lands in whatever runs next).
          const shift = Math.floor((run * lanes.length) / config.runs);
          for (const i of lanes.map((_, k) => (k + shift) % lanes.length)) {
            const { target, threads } = lanes[i]!;
            progress.tick(`${workload.name} · ${formatBytes(payloadBytes)} · ${target.name} · ${concurrency} in flight${threads > 1 ? ` · ${threads} threads` : ''} · run ${run + 1}/${config.runs}`);
            const store = opened.get(target.name)!;
            const cell = row[i]!;
            if (store instanceof Error) {
              cell.failed = `could not open: ${store.message}`;
              continue;
            }
            if (broken.has(target.name)) cell.failed ??= `not run: ${broken.get(target.name)}`;
            if (cell.failed) continue;
            try {
              const ctx = contextFor(store, scenario);
              // Fill the active set once per scenario and target: later cells start from what the last left.
              const key = `${workload.name}/${payloadBytes}/${target.name}`;
              if (!populated.has(key)) {
                await withTimeout(populate(ctx, config.sessions), patience, () => `populating took over ${patience} ms`);
                populated.add(key);
              }
              const loop = { concurrency, durationMs: config.durationMs, warmupMs: config.warmupMs };
              const measure = () => withTimeout(threads > 1 ? pool!.closedLoop(target.recipe!, specOf(scenario), prefix, loop) : closedLoop(ctx, loop).then((measurement) => ({ measurement, threads: 1 })), patience, () => `no result within ${patience} ms`);
              // A target's first cell in a thread would also pay for compiling its code paths and for its
              // connections' first use, which the targets after it find done: a whole unmeasured lap first,
              // for every target alike, so that the order of the targets favours none of them.
              const lap = `${target.name}/${threads > 1 ? `pool of ${Math.min(concurrency, threads)}` : 'main'}`;
              if (!warmedUp.has(lap)) {
                await measure();
                warmedUp.add(lap);
              }
              const before = await target.serverCpu?.().catch(() => undefined);
              const wallBefore = performance.now();
              const { measurement, threads: used } = await measure();
              const after = before && (await target.serverCpu!().catch(() => undefined));
              cell.workers = used;
              cell.runs.push({ ...measurement, ...(before && after && serverFigures(before, after, (performance.now() - wallBefore) / 1000, measurement)) });
            } catch (error) {
              cell.failed = `failed mid-run: ${messageOf(error)}`;
              broken.set(target.name, `${target.name} failed earlier (${messageOf(error)})`);
            }
          }
        }
        for (const cell of row) summarize(cell);
      }
    }
    addRatios(results, serverLimits);

    const openLoopResults: OpenLoopResult[] = [];
    if (config.openLoop.enabled) {
      for (const scenario of scenarios) {
        const { workload, payloadBytes } = scenario;
        for (const target of targets) {
          progress.tick(`open loop · ${workload.name} · ${formatBytes(payloadBytes)} · ${target.name}`);
          const base = { workload: workload.name, payloadBytes, target: target.name, kind: target.kind, family: target.family };
          // The open loop runs in the main thread: its rate is a fraction of what one thread drove.
          const atTop = results.filter((c) => sameScenario(c, base) && c.target === target.name && c.concurrency === top);
          const capacity = (atTop.find((c) => c.workers === 1) ?? atTop[0])?.summary?.opsPerSec.median;
          const store = opened.get(target.name)!;
          if (!capacity || store instanceof Error || broken.has(target.name)) {
            openLoopResults.push({ ...base, failed: broken.get(target.name) ?? 'no measured capacity' });
            continue;
          }
          try {
            const ctx = contextFor(store, scenario);
            const ratePerSec = Math.max(1, Math.round(capacity * config.openLoop.rateFraction));
            const measured = populate(ctx, config.sessions).then(() => openLoop(ctx, { ratePerSec, durationMs: config.durationMs, maxInFlight: config.openLoop.maxInFlight }));
            openLoopResults.push({ ...base, measurement: await withTimeout(measured, patience * 2, () => `no result within ${patience * 2} ms`) });
          } catch (error) {
            openLoopResults.push({ ...base, failed: messageOf(error) });
          }
        }
      }
    }

    // Leave shared servers as they were found; a broken store is not waited for.
    for (const [name, store] of opened) {
      if (store instanceof Error || broken.has(name)) continue;
      await withTimeout(Promise.allSettled(Array.from({ length: config.sessions }, (_, i) => store.pop(`${prefix}${i}`))), patience, () => 'cleanup timed out').catch(() => {});
      await store.close().catch(() => {});
    }
    progress.done();
    return { results, ...(serverLimits.length && { serverLimits }), openLoop: openLoopResults, ...(config.machinery && { machinery: await measureMachinery({ seed: config.seed, payloadBytes: config.payloads[0]! }) }) };
  } finally {
    await pool?.close();
  }
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
