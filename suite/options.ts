/** What a run is asked to do: the options as given, and as resolved with their defaults. */
import type { ClauseId } from './contract.js';
import type { ClauseResult } from './result.js';

export interface ConformanceOptions {
  /** Runs per property. Default 50. */
  numRuns?: number;
  /** fast-check seed; default env SESSION_CONFORMANCE_SEED, else random. Printed with every failure. */
  seed?: number;
  /** fast-check replay path printed with a failure; use together with `seed` and `only`. */
  path?: string;
  /** fast-check's replayPath printed with a failing model sequence; use with `seed`, `path` and `only: ['model']`. */
  replayPath?: string;
  only?: ClauseId[];
  skip?: ClauseId[];
  /** Directory for conformance-<store>.json, .md and .html. Default: env SESSION_CONFORMANCE_REPORT_DIR, else none. */
  report?: string | false;
  /** A store call that has not settled after this long fails the clause. Default 10,000 ms. */
  operationTimeoutMs?: number;
  /**
   * Fail on SHOULD failures and on clauses that could not judge, not only on MUST failures.
   * Default: env SESSION_CONFORMANCE_STRICT=1, else false.
   */
  strict?: boolean;
  /** Called as each clause finishes, for progress on long runs (the CLI prints a line per clause). */
  onClauseDone?: (result: ClauseResult) => void;
}

export interface ResolvedOptions {
  numRuns: number;
  seed: number;
  path: string | undefined;
  replayPath: string | undefined;
  clauses: ReadonlySet<ClauseId>;
  report: string | undefined;
  operationTimeoutMs: number;
  strict: boolean;
  onClauseDone: ((result: ClauseResult) => void) | undefined;
}
