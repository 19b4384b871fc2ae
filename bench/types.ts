/** The benchmark's data, apart from the code that makes it or renders it: configuration, cells, the report. */
import type { Environment } from './environment.js';
import type { Measurement, OpenLoopMeasurement } from './measure.js';
import type { MicroCost } from './micro.js';
import type { ServerLimit } from './server-side.js';
import type { BenchTarget } from './targets.js';

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
  /** Load-generating threads for stores on a shared backend; in-process stores always get one. */
  workers: number;
  /** Modules or store URLs named with --store, as given. */
  storeSpecs: string[];
  /** Published stores (--peers) beside the reference store of their backend. */
  peers: boolean;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface CellResult {
  workload: string;
  payloadBytes: number;
  target: string;
  kind: BenchTarget['kind'];
  family: string;
  concurrency: number;
  /** Threads that generated the load: more than one only for a store on a shared backend. */
  workers: number;
  /** The same target at one thread, beside its cell at `config.workers` threads: what one client can drive. */
  oneWorker?: true;
  /** The store lives in the bench process (a Map, a SQLite handle): it cannot be shared across threads, so it runs in one. */
  inProcess?: true;
  runs: Measurement[];
  summary?: {
    opsPerSec: Spread;
    p50: number;
    p99: number;
    p999: number;
    ratioToCeiling?: number;
    /** A reference store's median over the fastest published store's on its backend (with --peers). */
    ratioToFastestPeer?: number;
    /** The median over the server's own limit for this workload and payload (see ServerLimit). */
    ratioToServerLimit?: number;
    /** The server's CPU while the cell ran, median of the runs, per command-executing thread (1 = saturated). */
    serverCpu?: number;
    /** What ran at its limit: the client's event loop (a load thread's CPU ≥ 0.9), the server's CPU (≥ 0.9). */
    saturated?: ('client' | 'server')[];
    /** Client CPU microseconds per operation, median of the runs: the client's work per operation. */
    clientCpuUsPerOp?: number;
    /** Server commands per operation, median of the runs (where the server counts its commands). */
    commandsPerOp?: number;
    clientBound: boolean;
    errors: number;
  };
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
  /** Each networked backend's own limit per payload size, measured in the same run (servers the run started). */
  serverLimits?: ServerLimit[];
  openLoop: OpenLoopResult[];
  machinery?: Machinery;
}

export interface BenchReport extends BenchResults {
  /** 2: cells carry `workers` (threads of load), `oneWorker`, `inProcess`, `ratioToFastestPeer`; kinds `custom` and `peer`; config `workers`, `storeSpecs`, `peers`. */
  schemaVersion: 2;
  generatedAt: string;
  environment: Environment;
  config: BenchConfig;
}
