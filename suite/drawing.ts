/**
 * What a failure carries for drawing it (the HTML report): the violating history of one session,
 * or a faults run, as plain JSON. The text of a failure says the same for people reading a log;
 * these say it for a page that draws lanes and bars.
 */
import type { Anomaly } from './anomaly.js';

/** One operation of a violating history, as the report draws it. Times are on the history's clock. */
export interface DrawnOperation {
  /** Its place in the session's history, in order of call (0 is the first call). */
  index: number;
  client: number;
  op: 'get' | 'set' | 'pop' | 'touch' | 'update';
  /** The arguments shown (data, function label, TTL), short. */
  args: string;
  /** What it returned (or `✗ error`), short. */
  result: string;
  call: number;
  ret: number;
  /** Its place in the longest linearizable prefix, when it is in it. */
  prefixIndex?: number;
  /** The first operation the longest prefix could not place: where the search got stuck. */
  stuck?: true;
  /** One of the operations the anomaly's name rests on. */
  evidence?: true;
  /** The prefix's last write or pop: what the register held when the search got stuck. */
  lastChange?: true;
  /** For a write with a TTL: where its deadline can lie (expiry may fire up to the tolerance early or late). */
  deadline?: { earliest: number; latest: number };
}

export interface HistoryDrawing {
  session: string;
  anomaly: Anomaly;
  /** Which race or run this was. */
  context?: string;
  /** `ms`: monotonic milliseconds (real time); `logical`: a counter of calls and returns (a scheduled run). */
  clock: 'ms' | 'logical';
  /** How far expiry may fire before or after its deadline, in the history's units. */
  toleranceMs: number;
  /** The operations drawn: all of them, or an excerpt around the stuck one of a long history. */
  operations: DrawnOperation[];
  /** The session's operations in all, and how many of them the longest linearizable prefix placed. */
  total: number;
  prefixLength: number;
  /** Operations of a long history left out of `operations`, before and after the excerpt. */
  omitted: { before: number; after: number };
}

/** One call on one session during a faults run. Times are ms since the run started. */
export interface DrawnFaultOp {
  client: string;
  kind: 'set' | 'get' | 'pop';
  /** set: the write number stored. */
  value?: number;
  start: number;
  /** When the call settled, or null if it never did. */
  end: number | null;
  outcome: 'ok' | 'failed';
  error?: string;
  /** get or pop acknowledged: the write number read, or null when absent. */
  result?: number | null;
  healed: boolean;
  /** When this read is a finding: its anomaly, and what it could have returned. */
  finding?: Anomaly;
  expected?: (number | null)[];
}

export interface FaultDrawing {
  durationMs: number;
  /** Faults fired, then `heal` and `healed`, ms since the run started. */
  events: { at: number; what: string }[];
  /** The longest stretch after the first fault with no call acknowledged. */
  unavailable: { from: number; to: number } | null;
  /**
   * Sessions with findings first, then a few unharmed ones; each with its calls, or of a long
   * history those around its last finding and its last calls (the read-back).
   */
  sessions: { session: string; anomalies: Anomaly[]; ops: DrawnFaultOp[]; omitted: number }[];
  /** Sessions in the run, how many of them have findings, and how many the drawing leaves out. */
  totalSessions: number;
  harmedSessions: number;
  omittedSessions: number;
  /** Per fault: the sessions it affected and how long until they were served, and written, again. */
  afterFaults: Record<string, { affectedSessions: number; servedAgainAfterMs: number | null; writesResumedAfterMs: number | null }>;
}
