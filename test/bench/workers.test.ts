/**
 * Load from several threads is merged exactly: the HDR histograms of the parts, after crossing a
 * thread boundary as worker replies do, add up to the histogram of all samples recorded in one.
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Recorder, type Recorded } from '../../bench/measure.js';
import { mergeRecordings, shares } from '../../bench/workers.js';
import { BENCH_OPS, seededRandom } from '../../bench/workloads.js';

/** What a worker's reply carries, after the structured clone of postMessage. */
function acrossThreads(recorded: Recorded): Promise<Recorded> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.once('message', (message: Recorded) => {
      port1.close();
      resolve(message);
    });
    port1.postMessage({ histograms: recorded.histograms, ops: recorded.ops, errors: recorded.errors, misses: recorded.misses, firstError: recorded.firstError });
  });
}

const figures = (r: Recorded) =>
  Object.fromEntries([...r.histograms].map(([key, h]) => [key, { count: h.count, min: h.min, max: h.max, mean: h.mean, stddev: h.stddev, percentiles: [...h.percentiles] }]));

describe('worker merge', () => {
  it('merged histograms equal a single histogram of all samples', async () => {
    const random = seededRandom(7);
    const whole = new Recorder();
    const parts = [new Recorder(), new Recorder(), new Recorder()];
    for (let i = 0; i < 30_000; i++) {
      const op = BENCH_OPS[Math.floor(random() * BENCH_OPS.length)]!;
      // Latencies over five orders of magnitude, as a stalled store's tail has.
      const micros = Math.exp(random() * 12);
      whole.record(op, micros);
      parts[i % 3 === 0 ? 0 : random() < 0.7 ? 1 : 2]!.record(op, micros);
    }
    parts[2]!.fail(new Error('one error'));
    whole.fail(new Error('one error'));
    const merged = new Recorder();
    for (const part of parts) merged.merge(await acrossThreads(part));
    expect(figures(merged)).toEqual(figures(whole));
    expect(merged.summary()).toEqual(whole.summary());
    expect({ ops: merged.ops, errors: merged.errors, firstError: merged.firstError }).toEqual({ ops: 30_000, errors: 1, firstError: 'one error' });
  });

  it('a merged measurement counts every thread: throughput over the longest window, CPU summed, client-bound if any thread was', () => {
    const part = (ops: number, elapsedMs: number, clientCpu: number) => {
      const recorder = new Recorder();
      for (let i = 0; i < ops; i++) recorder.record('view', 100);
      return { recorded: recorder, load: { elapsedMs, clientCpu, eventLoopDelayP99Ms: clientCpu * 10, clientBound: clientCpu >= 0.9 } };
    };
    const m = mergeRecordings([part(1000, 1000, 0.5), part(900, 990, 0.95)]);
    expect(m).toMatchObject({ ops: 1900, opsPerSec: 1900, elapsedMs: 1000, clientBound: true, eventLoopDelayP99Ms: 9.5 });
    expect(m.clientCpu).toBeCloseTo(0.5 + (0.95 * 990) / 1000, 2);
    expect(m.latency.view?.count).toBe(1900);
  });

  it('splits the operations in flight over the threads, with no empty share', () => {
    expect(shares(64, 4)).toEqual([16, 16, 16, 16]);
    expect(shares(10, 4)).toEqual([3, 3, 2, 2]);
    expect(shares(1, 8)).toEqual([1]);
  });
});
