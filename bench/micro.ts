/**
 * Per-operation micro costs, with tinybench: what the store's own work adds on top of JSON, one
 * call at a time. (Throughput under concurrency comes from the closed loop, on the wall clock:
 * tinybench's per-sample throughput understates concurrent rates.)
 */
import { MemoryStore } from '../stores/memory.js';
import { decodeSession, encodeSession } from '../stores/session-codec.js';
import { sessionPayload } from './workloads.js';

export interface MicroCost {
  name: string;
  meanNs: number;
  p99Ns: number;
  samples: number;
}

export async function measureMicroCosts(payloadBytes: number, timeMs = 250): Promise<MicroCost[]> {
  // tinybench is our dev dependency: where it is not installed (the published bench) there are no micro costs.
  const tinybench = await import('tinybench').catch(() => undefined);
  if (!tinybench) return [];
  const { Bench } = tinybench;
  const data = sessionPayload(payloadBytes, 1);
  const json = JSON.stringify(data);
  const store = new MemoryStore();
  await store.set('micro', data, 3_600_000);
  const bench = new Bench({ time: timeMs });
  bench
    .add('JSON.stringify of a session (the floor)', () => void JSON.stringify(data))
    .add('encodeSession: validate and serialize', () => void encodeSession(data))
    .add('JSON.parse of a session (the floor)', () => void JSON.parse(json))
    .add('decodeSession', () => void decodeSession(json))
    .add('MemoryStore.get (one call, awaited)', async () => void (await store.get('micro')))
    .add('MemoryStore.set (one call, awaited)', async () => void (await store.set('micro', data, 3_600_000)));
  await bench.run();
  return bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`micro benchmark "${task.name}" ended ${result.state}`);
    return { name: task.name, meanNs: Math.round(result.latency.mean * 1e6), p99Ns: Math.round(result.latency.p99 * 1e6), samples: result.latency.samplesCount };
  });
}
