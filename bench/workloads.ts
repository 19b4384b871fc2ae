/**
 * Session-shaped workloads, generated in advance from a seed so that every store sees exactly the
 * same sequence of operations.
 */
import type { SessionData } from '../suite/contract.js';

export type BenchOp = 'login' | 'view' | 'touch' | 'write' | 'logout' | 'miss';
export const BENCH_OPS: readonly BenchOp[] = ['login', 'view', 'touch', 'write', 'logout', 'miss'];

export interface Workload {
  name: string;
  description: string;
  /** Relative weights of each operation. */
  mix: Partial<Record<BenchOp, number>>;
  /** Share of page views that also touch the session. */
  viewTouchShare: number;
}

export const WORKLOADS: readonly Workload[] = [
  { name: 'read-heavy', description: '95% get, 5% touch', mix: { view: 95, touch: 5 }, viewTouchShare: 0 },
  { name: 'session-mix', description: '2% login, 85% page view (a tenth also touch), 8% write, 3% logout, 2% miss', mix: { login: 2, view: 85, write: 8, logout: 3, miss: 2 }, viewTouchShare: 0.1 },
  { name: 'write-heavy', description: 'YCSB-A-like: 50% get, 50% read-modify-write', mix: { view: 50, write: 50 }, viewTouchShare: 0 },
  { name: 'churn', description: '10% login, 10% logout, 80% page view', mix: { login: 10, logout: 10, view: 80 }, viewTouchShare: 0 },
];

export interface WorkloadOptions {
  /** Active sessions. */
  sessions: number;
  popularity: 'uniform' | 'zipfian';
  /** Zipfian skew: 0 is uniform; 0.99 is YCSB's default. */
  skew: number;
  seed: number;
  /** Length of the pre-generated operation sequence (workers cycle through it). */
  length: number;
}

export interface PlannedBenchOp {
  op: BenchOp;
  /** Index of the session; for `miss`, of an id never set. */
  session: number;
  /** A page view that also touches the session. */
  alsoTouch: boolean;
}

/** mulberry32: a small, fast, seeded PRNG; reproducible sequences are what matter here. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Samples ranks 0..n-1 with P(k) ∝ 1 / (k+1)^skew, by binary search over the cumulative weights. */
export function zipfSampler(n: number, skew: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cdf[k] = total += 1 / (k + 1) ** skew;
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function generateOps(workload: Workload, options: WorkloadOptions): PlannedBenchOp[] {
  const random = seededRandom(options.seed);
  const entries = Object.entries(workload.mix) as [BenchOp, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  const pickSession = options.popularity === 'zipfian' ? zipfSampler(options.sessions, options.skew, random) : () => Math.floor(random() * options.sessions);
  const ops: PlannedBenchOp[] = [];
  for (let i = 0; i < options.length; i++) {
    let roll = random() * total;
    let op = entries[entries.length - 1]![0];
    for (const [name, weight] of entries) {
      if ((roll -= weight) < 0) {
        op = name;
        break;
      }
    }
    const session = op === 'miss' ? i : pickSession();
    ops.push({ op, session, alsoTouch: op === 'view' && random() < workload.viewTouchShare });
  }
  return ops;
}

export const formatBytes = (bytes: number): string => (bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`);

/** A realistic session: user, flags, CSRF token, cart, padded to about `bytes` of JSON. */
export function sessionPayload(bytes: number, index: number): SessionData {
  const base: SessionData = { userId: index, roles: ['user'], csrf: 'c'.repeat(32), createdAt: 1_700_000_000_000 + index, cart: [], n: 0 };
  const padding = Math.max(0, bytes - Buffer.byteLength(JSON.stringify({ ...base, pad: '' })));
  return { ...base, pad: 'x'.repeat(padding) };
}
