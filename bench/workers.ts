/**
 * Load from several worker threads, so that one Node event loop is not what the bench measures on
 * a networked store. Each thread opens the target with its own connections and runs its share of
 * the operations in flight; their HDR histograms merge exactly into one measurement.
 */
import { Worker } from 'node:worker_threads';
import { OPS_LENGTH, type ScenarioSpec } from './context.js';
import { Recorder, toMeasurement, type ClientLoad, type ClosedLoopOptions, type Measurement, type Recorded } from './measure.js';
import type { Recipe } from './targets.js';

export interface WorkerJob {
  id: number;
  recipe: Recipe;
  scenario: ScenarioSpec;
  /** Prefix of the session ids, the same in every thread so that they share the populated sessions. */
  prefix: string;
  loop: ClosedLoopOptions;
}

export type WorkerReply = { id: number; recorded: Recorded; load: ClientLoad } | { id: number; error: string };

/** `total` operations in flight over at most `threads` threads, as evenly as they go; no empty shares. */
export function shares(total: number, threads: number): number[] {
  const used = Math.min(total, threads);
  return Array.from({ length: used }, (_, i) => Math.floor(total / used) + (i < total % used ? 1 : 0));
}

/** One measurement from the recordings of several threads that ran over the same window. */
export function mergeRecordings(parts: readonly { recorded: Recorded; load: ClientLoad }[]): Measurement {
  const recorder = new Recorder();
  for (const part of parts) recorder.merge(part.recorded);
  const elapsedMs = Math.max(...parts.map((p) => p.load.elapsedMs));
  return toMeasurement(recorder, {
    elapsedMs,
    // Cores busy in the client, all threads together.
    clientCpu: parts.reduce((sum, p) => sum + p.load.clientCpu * p.load.elapsedMs, 0) / elapsedMs,
    eventLoopDelayP99Ms: Math.max(...parts.map((p) => p.load.eventLoopDelayP99Ms)),
    clientBound: parts.some((p) => p.load.clientBound),
  });
}

export class LoadPool {
  readonly #workers: Worker[];
  readonly #pending = new Map<number, { resolve(reply: WorkerReply): void; reject(error: Error): void }>();
  #nextId = 0;

  constructor(readonly size: number) {
    this.#workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./worker.js', import.meta.url));
      worker.on('message', (reply: WorkerReply | 'closed') => {
        if (reply === 'closed') return;
        this.#pending.get(reply.id)?.resolve(reply);
        this.#pending.delete(reply.id);
      });
      // A thread that dies takes its jobs with it: they fail, the run goes on.
      worker.on('error', (error) => {
        for (const [, job] of this.#pending) job.reject(error);
        this.#pending.clear();
      });
      return worker;
    });
  }

  #ask(worker: Worker, job: Omit<WorkerJob, 'id'>): Promise<WorkerReply> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...job, id } satisfies WorkerJob);
    });
  }

  /** A closed loop with its operations in flight split over the threads; `threads` is how many took part. */
  async closedLoop(recipe: Recipe, scenario: ScenarioSpec, prefix: string, loop: ClosedLoopOptions): Promise<{ measurement: Measurement; threads: number }> {
    const split = shares(loop.concurrency, this.size);
    // Threads start apart in the planned operations, as one thread's concurrent clients do.
    const replies = await Promise.all(split.map((concurrency, i) => this.#ask(this.#workers[i]!, { recipe, scenario, prefix, loop: { ...loop, concurrency, offset: Math.floor((i * OPS_LENGTH) / split.length) } })));
    const failed = replies.find((r) => 'error' in r);
    if (failed && 'error' in failed) throw new Error(failed.error);
    return { measurement: mergeRecordings(replies as Extract<WorkerReply, { recorded: Recorded }>[]), threads: split.length };
  }

  /** Closes every store the threads opened, then ends the threads. */
  async close(): Promise<void> {
    await Promise.all(
      this.#workers.map(async (worker) => {
        const closed = new Promise<void>((resolve) => worker.on('message', (m) => m === 'closed' && resolve()));
        worker.postMessage('close');
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        await worker.terminate();
      }),
    );
  }
}
