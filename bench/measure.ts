/**
 * Load generation and measurement: closed loop (C workers always busy: capacity) and open loop
 * (a fixed arrival rate, latency from the intended start: no coordinated omission).
 */
import { createHistogram, monitorEventLoopDelay, type RecordableHistogram } from 'node:perf_hooks';
import type { SessionData, SessionStore } from '../suite/contract.js';
import { BENCH_OPS, type BenchOp, type PlannedBenchOp } from './workloads.js';
import { messageOf } from '../suite/describe-value.js';

export const SESSION_TTL_MS = 30 * 60_000;

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface Measurement {
  opsPerSec: number;
  ops: number;
  errors: number;
  misses: number;
  elapsedMs: number;
  /** Milliseconds, per operation type and over all. */
  latency: Partial<Record<BenchOp | 'all', LatencySummary>>;
  /** Client CPU time over wall time (1 = one core busy). */
  clientCpu: number;
  /** Client CPU time per measured operation, all load threads together: the client's work per operation. */
  clientCpuUsPerOp: number;
  /** Operations completed in the unmeasured warm-up before the window: with `ops`, what the server served between its samples. */
  warmupOps: number;
  eventLoopDelayP99Ms: number;
  /** The client process itself was the bottleneck, not the store. */
  clientBound: boolean;
  /** The server's CPU time over wall time while the cell ran, per command-executing thread (1 = saturated). */
  serverCpu?: number;
  /** Commands the server executed over the warm-up and the window, per operation (what the store asks of the server). */
  commandsPerOp?: number;
  firstError?: string;
}

export interface RunContext {
  store: SessionStore;
  ops: readonly PlannedBenchOp[];
  idOf(session: number): string;
  missingIdOf(index: number): string;
  payloadOf(session: number): SessionData;
}

const increment = (d: SessionData): SessionData => ({ ...d, n: (typeof d.n === 'number' ? d.n : 0) + 1 });

/** Performs one planned operation; resolves true on a hit, false on a miss. */
export async function perform(ctx: RunContext, planned: PlannedBenchOp): Promise<boolean> {
  const { store } = ctx;
  const id = ctx.idOf(planned.session);
  switch (planned.op) {
    case 'login':
      await store.set(id, ctx.payloadOf(planned.session), SESSION_TTL_MS);
      return true;
    case 'view': {
      const data = await store.get(id);
      if (data && planned.alsoTouch && store.touch) await store.touch(id, SESSION_TTL_MS);
      return data !== undefined;
    }
    case 'touch':
      return store.touch ? store.touch(id, SESSION_TTL_MS) : (await store.get(id)) !== undefined;
    case 'write': {
      // Read-modify-write as applications do it: get, then set (see the lost-update clause).
      const data = await store.get(id);
      if (data) await store.set(id, increment(data), SESSION_TTL_MS);
      return data !== undefined;
    }
    case 'logout':
      return (await store.pop(id)) !== undefined;
    case 'miss':
      return (await store.get(ctx.missingIdOf(planned.session))) === undefined;
  }
}

/**
 * This thread's CPU time: load generators run in worker threads, where process.cpuUsage() counts
 * every thread. (Node before 22.19 has no threadCpuUsage; there the process figure stands in.)
 */
const threadCpu = (since?: NodeJS.CpuUsage): NodeJS.CpuUsage => (process.threadCpuUsage ? process.threadCpuUsage(since) : process.cpuUsage(since));

/** What one load generator recorded: the raw histograms (cloneable across threads), not percentiles. */
export interface Recorded {
  histograms: Map<BenchOp | 'all', RecordableHistogram>;
  ops: number;
  errors: number;
  misses: number;
  warmupOps: number;
  firstError: string | undefined;
}

export class Recorder implements Recorded {
  readonly histograms = new Map<BenchOp | 'all', RecordableHistogram>();
  ops = 0;
  errors = 0;
  misses = 0;
  warmupOps = 0;
  firstError: string | undefined;
  /** CPU at the start of the measured window, so that warm-up is not charged to it. */
  readonly cpuStart = threadCpu();

  /**
   * Adds another generator's recording. HDR histograms merge exactly (bucket counts add), so the
   * merged percentiles are those of all samples together, not an average of percentiles.
   */
  merge(other: Recorded): void {
    for (const [key, h] of other.histograms) {
      const mine = this.histograms.get(key);
      if (mine) mine.add(h);
      else {
        const copy = createHistogram();
        copy.add(h);
        this.histograms.set(key, copy);
      }
    }
    this.ops += other.ops;
    this.errors += other.errors;
    this.misses += other.misses;
    this.warmupOps += other.warmupOps;
    this.firstError ??= other.firstError;
  }

  record(op: BenchOp, micros: number): void {
    const value = Math.max(1, Math.round(micros));
    for (const key of [op, 'all'] as const) {
      let h = this.histograms.get(key);
      if (!h) this.histograms.set(key, (h = createHistogram()));
      h.record(value);
    }
    this.ops++;
  }

  fail(error: unknown): void {
    this.errors++;
    this.firstError ??= messageOf(error);
  }

  summary(): Measurement['latency'] {
    const ms = (micros: number) => Number((micros / 1000).toFixed(3));
    const latency: Measurement['latency'] = {};
    for (const key of [...BENCH_OPS, 'all'] as const) {
      const h = this.histograms.get(key);
      if (h && h.count > 0) {
        latency[key] = { count: h.count, p50: ms(h.percentile(50)), p90: ms(h.percentile(90)), p99: ms(h.percentile(99)), p999: ms(h.percentile(99.9)), max: ms(h.max) };
      }
    }
    return latency;
  }
}

/** How busy the client was over a measured window. */
export interface ClientLoad {
  elapsedMs: number;
  /** CPU time over wall time (1 = one core busy). */
  clientCpu: number;
  eventLoopDelayP99Ms: number;
  clientBound: boolean;
}

export function toMeasurement(recorder: Recorder, load: ClientLoad): Measurement {
  return {
    opsPerSec: Math.round((recorder.ops / load.elapsedMs) * 1000),
    ops: recorder.ops,
    errors: recorder.errors,
    misses: recorder.misses,
    elapsedMs: Math.round(load.elapsedMs),
    latency: recorder.summary(),
    clientCpu: Number(load.clientCpu.toFixed(2)),
    clientCpuUsPerOp: recorder.ops > 0 ? Number(((load.clientCpu * load.elapsedMs * 1000) / recorder.ops).toFixed(2)) : 0,
    warmupOps: recorder.warmupOps,
    eventLoopDelayP99Ms: Number(load.eventLoopDelayP99Ms.toFixed(2)),
    clientBound: load.clientBound,
    ...(recorder.firstError && { firstError: recorder.firstError }),
  };
}

/** Runs `body` while sampling this thread's CPU (from the measured window's start) and event-loop delay. */
export async function observedLoad<T extends { recorder: Recorder; elapsedMs: number }>(body: () => Promise<T>): Promise<T & { load: ClientLoad }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const result = await body();
  const cpu = threadCpu(result.recorder.cpuStart);
  loop.disable();
  const clientCpu = (cpu.user + cpu.system) / 1000 / Math.max(result.elapsedMs, 1);
  return { ...result, load: { elapsedMs: result.elapsedMs, clientCpu, eventLoopDelayP99Ms: loop.percentile(99) / 1e6, clientBound: clientCpu >= 0.9 } };
}

async function observed(body: () => Promise<{ recorder: Recorder; elapsedMs: number }>): Promise<Measurement> {
  const { recorder, load } = await observedLoad(body);
  return toMeasurement(recorder, load);
}

export interface ClosedLoopOptions {
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  /** Where in the planned operations to start; load generators in other threads start apart. */
  offset?: number;
}

/** C workers, each issuing its next operation as soon as the last one returns; the raw recording. */
export async function closedLoopRecorded(ctx: RunContext, options: ClosedLoopOptions): Promise<{ recorder: Recorder; elapsedMs: number }> {
  let cursor = options.offset ?? 0;
  let recorder: Recorder | undefined;
  let warmupOps = 0;
  const warmupEnds = performance.now() + options.warmupMs;
  const ends = warmupEnds + options.durationMs;
  const worker = async () => {
    // A worker goes on past the window until it has measured one operation: on a machine that
    // stalls longer than a short window (a GC pause, a busy core), an operation begun in the warmup
    // can end after the window, and a cell of no operation says nothing. The elapsed time counts
    // the overrun, so the rate stays true.
    let measured = false;
    for (let now = performance.now(); now < ends || !measured; now = performance.now()) {
      const planned = ctx.ops[cursor++ % ctx.ops.length]!;
      const active = now >= warmupEnds ? (recorder ??= new Recorder()) : undefined;
      try {
        const hit = await perform(ctx, planned);
        if (active) {
          active.record(planned.op, (performance.now() - now) * 1000);
          if (!hit) active.misses++;
        }
      } catch (error) {
        active?.fail(error);
      }
      if (!active) warmupOps++;
      measured ||= active !== undefined;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const result = recorder ?? new Recorder();
  result.warmupOps = warmupOps;
  return { recorder: result, elapsedMs: performance.now() - warmupEnds };
}

export function closedLoop(ctx: RunContext, options: ClosedLoopOptions): Promise<Measurement> {
  return observed(() => closedLoopRecorded(ctx, options));
}

export interface OpenLoopOptions {
  ratePerSec: number;
  durationMs: number;
  maxInFlight: number;
}

export interface OpenLoopMeasurement extends Measurement {
  targetRate: number;
  /** The client could not issue operations as fast as asked: latencies would be meaningless. */
  rateShortfall: boolean;
}

/**
 * Issues operations at fixed intended start times. Latency counts from the intended start, so a
 * stalled store is charged for the operations it delayed (coordinated omission corrected).
 */
export function openLoop(ctx: RunContext, options: OpenLoopOptions): Promise<OpenLoopMeasurement> {
  let issued = 0;
  const result = observed(async () => {
    const recorder = new Recorder();
    const interval = 1000 / options.ratePerSec;
    const start = performance.now();
    const total = Math.floor((options.durationMs / 1000) * options.ratePerSec);
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < total; i++) {
      const intended = start + i * interval;
      const wait = intended - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      else if (wait > 0) await new Promise((resolve) => setImmediate(resolve));
      while (inFlight.size >= options.maxInFlight) await Promise.race(inFlight);
      const planned = ctx.ops[i % ctx.ops.length]!;
      const task = perform(ctx, planned).then(
        (hit) => {
          recorder.record(planned.op, (performance.now() - intended) * 1000);
          if (!hit) recorder.misses++;
        },
        (error: unknown) => recorder.fail(error),
      );
      const tracked = task.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      issued++;
    }
    await Promise.all(inFlight);
    return { recorder, elapsedMs: performance.now() - start };
  });
  return result.then((m) => ({ ...m, targetRate: options.ratePerSec, rateShortfall: m.opsPerSec < options.ratePerSec * 0.95 || issued === 0 }));
}
