/** What a conformance run produces, as data: one result per clause and the report around them. */
import type { Anomaly } from './anomaly.js';
import type { ClauseId, ClauseLevel, Json } from './contract.js';
import type { FaultDrawing, HistoryDrawing } from './drawing.js';
import type { LoopDelayCauses } from './loop-watch.js';
import type { ClauseStatus } from './verdict.js';

export type { ClauseStatus } from './verdict.js';

/** What the suite found out about a store by opening it. */
export interface Capabilities {
  touch: boolean;
  update: boolean;
  /** The store makes its own session ids (`createId`). */
  createId: boolean;
}

/** What a report says of the target: the declarations its verdicts depend on. */
export interface ReportedTarget {
  clock: 'injected' | 'system';
  ttlResolutionMs: number;
  maxDataBytes: number;
  sharedBackend: boolean;
  atomicPop: boolean;
}

export interface FailedCall {
  /** The call as code: `store.set("a", {"n":1}, 1000)`. */
  call: string;
  /** What the store rejected or threw with (or the harness's account: threw synchronously, hung). */
  error: string;
}

export interface ClauseResult {
  id: ClauseId;
  title: string;
  level: ClauseLevel;
  status: ClauseStatus;
  /** Why a clause was skipped, or what kept it from judging (inconclusive). */
  reason?: string;
  durationMs: number;
  seed: number;
  numRuns: number;
  /** What broke: the message of a fail, warn or info. */
  error?: string;
  /** With an error: what the app's users see, and the usual cause (the clause's own words). */
  meaning?: string;
  cause?: string;
  /** For concurrency and faults clauses: the named anomaly, the nearest where the check got stuck. */
  anomaly?: Anomaly;
  /** Every anomaly type the history showed, `anomaly` first (Elle's :anomaly-types). */
  anomalyTypes?: Anomaly[];
  counterexample?: string;
  path?: string;
  shrinks?: number;
  /** The options that replay this failure. */
  replay?: string;
  /**
   * When what broke is a store call that rejected, threw or hung (not a wrong result): the call
   * and the store's error. `meaning` and `cause` then speak of that call, not of the clause.
   */
  failedCall?: FailedCall;
  /**
   * The clauses, this one included and first the one the report explains it under, whose failure
   * has the same cause as this one's (the same store error, the same message but for ids and
   * numbers): a report leads with the cause once.
   */
  sharedCause?: ClauseId[];
  /** Failures of other kinds the clause found after the first (which `error` … `replay` describe), each with its own counterexample and replay. */
  furtherCauses?: Cause[];
  findings?: Record<string, Json>;
  /** A platform bug (Node, V8) that can explain this failure: the store may be blameless. */
  platformNote?: string;
  /** The violating history (concurrency clauses) or faults run, as data: the HTML report draws it. */
  history?: HistoryDrawing;
  faults?: FaultDrawing;
  /**
   * For a clause that waits on real time: the longest the event loop was held during its own
   * timed waits (by the suite, the store, GC or a loaded machine), in ms. A store's timers could be
   * that late through no fault of its own.
   */
  loopDelayMs?: number;
  /** What held the loop during that longest stretch, in ms: the parts add up to loopDelayMs. */
  loopDelayCauses?: LoopDelayCauses;
  /** The longest the suite's own work held the loop during the clause's timed waits, in ms: it stays within a few ms on an idle machine. */
  suiteHeldMs?: number;
  /** The longest the store's own synchronous calls held it meanwhile, in ms. */
  storeHeldMs?: number;
}

/** One cause of a clause's failure. */
export type Cause = Pick<ClauseResult, 'error' | 'meaning' | 'cause' | 'anomaly' | 'anomalyTypes' | 'counterexample' | 'path' | 'shrinks' | 'replay' | 'failedCall' | 'history' | 'faults'>;

export interface ConformanceReport {
  /** 3: `anomalyTypes`, anomaly names of one vocabulary (2: statuses warn, inconclusive and info; `ok` and `strict`). See suite/report.schema.json. */
  schemaVersion: 3;
  /** No clause failed: no MUST failure, and under `strict` no SHOULD failure and nothing inconclusive. */
  ok: boolean;
  strict: boolean;
  store: string;
  date: string;
  seed: number;
  numRuns: number;
  target: ReportedTarget;
  capabilities: Capabilities | null;
  versions: Record<string, string>;
  summary: Record<ClauseStatus, number>;
  clauses: ClauseResult[];
}
