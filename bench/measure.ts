/**
 * Load generation and measurement: closed loop (C workers always busy: capacity) and open loop
 * (a fixed arrival rate, latency from the intended start: no coordinated omission).
 */
import { createHistogram, monitorEventLoopDelay, type RecordableHistogram } from 'node:perf_hooks';
import type { SessionData, SessionStore } from '../suite/contract.js';
import { BENCH_OPS, type BenchOp, type PlannedBenchOp } from './workloads.js';

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
  eventLoopDelayP99Ms: number;
  /** The client process itself was the bottleneck, not the store. */
  clientBound: boolean;
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

class Recorder {
  readonly histograms = new Map<BenchOp | 'all', RecordableHistogram>();
  ops = 0;
  errors = 0;
  misses = 0;
  firstError: string | undefined;

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
    this.firstError ??= error instanceof Error ? error.message : String(error);
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

/** Runs `body` while sampling client CPU and event-loop delay. */
async function observed(body: () => Promise<{ recorder: Recorder; elapsedMs: number }>): Promise<Measurement> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpuBefore = process.cpuUsage();
  const { recorder, elapsedMs } = await body();
  const cpu = process.cpuUsage(cpuBefore);
  loop.disable();
  const clientCpu = (cpu.user + cpu.system) / 1000 / Math.max(elapsedMs, 1);
  return {
    opsPerSec: Math.round((recorder.ops / elapsedMs) * 1000),
    ops: recorder.ops,
    errors: recorder.errors,
    misses: recorder.misses,
    elapsedMs: Math.round(elapsedMs),
    latency: recorder.summary(),
    clientCpu: Number(clientCpu.toFixed(2)),
    eventLoopDelayP99Ms: Number((loop.percentile(99) / 1e6).toFixed(2)),
    clientBound: clientCpu >= 0.9,
    ...(recorder.firstError && { firstError: recorder.firstError }),
  };
}

export interface ClosedLoopOptions {
  concurrency: number;
  durationMs: number;
  warmupMs: number;
}

/** C workers, each issuing its next operation as soon as the last one returns. */
export function closedLoop(ctx: RunContext, options: ClosedLoopOptions): Promise<Measurement> {
  return observed(async () => {
    let cursor = 0;
    let recorder: Recorder | undefined;
    const warmupEnds = performance.now() + options.warmupMs;
    const ends = warmupEnds + options.durationMs;
    const worker = async () => {
      for (let now = performance.now(); now < ends; now = performance.now()) {
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
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return { recorder: recorder ?? new Recorder(), elapsedMs: performance.now() - warmupEnds };
  });
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
