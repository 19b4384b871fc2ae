/**
 * The first target of a run is not disadvantaged: code that all targets share is compiled, and a
 * connection warmed, by whichever runs first, so each target gets an unmeasured lap before its
 * first cell. Here two stores start cold together (as a process's JIT does): their first reads
 * are slow and fail, and no measured cell of either may see one, whichever of them runs first.
 */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/args.js';
import { runMatrix } from '../../bench/run.js';
import type { BenchTarget, OpenedStore } from '../../bench/targets.js';
import { MemoryStore } from '../../stores/index.js';

const silent = { start: () => {}, tick: () => {}, done: () => {} };

/**
 * Memory stores whose reads, over all of them together, fail for `coldMs` after the first one: a
 * process's shared warm-up, paid by whoever comes first, made visible as errors. Deliberately
 * broken at the start, not a model of any real store. Counted in wall time, not in reads, so that
 * how fast a loaded machine runs the loop does not change what the test proves.
 */
function coldTogether(names: string[], coldMs: number): BenchTarget[] {
  let warmFrom: number | undefined;
  const read = <T>(call: () => Promise<T>): Promise<T> => {
    warmFrom ??= performance.now() + coldMs;
    return performance.now() >= warmFrom ? call() : Promise.reject(new Error('still cold'));
  };
  const open = async (): Promise<OpenedStore> => {
    const store = new MemoryStore();
    return {
      get: (id) => read(() => store.get(id)),
      set: (id, data, ttl) => store.set(id, data, ttl),
      pop: (id) => read(() => store.pop(id)),
      touch: (id, ttl) => read(() => store.touch(id, ttl)),
      close: async () => store.close(),
    };
  };
  return names.map((name) => ({ name, kind: 'custom', family: name, open }));
}

describe('warm-up lap', () => {
  it('no measured cell sees the cold start of the first target: it is paid in an unmeasured lap', { timeout: 60_000 }, async () => {
    // 300 ms of cold reads outlast a cell's own 20 ms warm-up, not the 620 ms lap before the first cell.
    const { config } = parseBenchArgs(['--workloads', 'read-heavy', '--stores', 'memory', '--concurrency', '1,4', '--duration', '600', '--warmup', '20', '--runs', '2', '--sessions', '10', '--no-open-loop', '--no-machinery']);
    const { results } = await runMatrix(config, coldTogether(['first', 'second'], 300), silent);
    expect(results.map((c) => [c.target, c.concurrency, c.summary?.errors])).toEqual([
      ['first', 1, 0], ['second', 1, 0],
      ['first', 4, 0], ['second', 4, 0],
    ]);
  });
});
