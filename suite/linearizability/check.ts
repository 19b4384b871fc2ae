/**
 * Checking a session-store history: one register per session id (register.ts) through the one
 * search (search.ts), and each session the search rejects named after the anomaly where it got
 * stuck. The result is data, as Elle's: valid or not or unknown, every anomaly type found, the
 * anomalies grouped by type; rendering them is render.ts's job.
 */
import type { Anomaly } from '../anomaly.js';
import type { SessionData } from '../contract.js';
import { explain } from './anomalies.js';
import type { History, Operation } from './history.js';
import type { Step } from './model.js';
import { sessionRegister, type RegisterOptions, type State } from './register.js';
import { search, type Budget } from './search.js';

export interface CheckOptions extends RegisterOptions, Budget {}

export interface Violation {
  id: string;
  anomaly: Anomaly;
  ops: Operation[];
  /** The longest order of operations the model accepts before it gets stuck. */
  longestPrefix: Operation[];
  /**
   * The operations the anomaly's name rests on, oldest call first (none for 'not linearizable'):
   * a rendering of a long history shows them wherever they are. Optional: a violation built by
   * hand renders without them.
   */
  evidence?: Operation[];
  /** What the session could hold after the longest prefix (undefined: absent): what the operation it got stuck at could have seen. */
  expected?: (SessionData | undefined)[];
}

/** A session id whose search ran out of budget: not known to be either linearizable or violated. */
export interface Undecided {
  id: string;
  /** The tries spent on it before giving up. */
  tries: number;
  /** Its operations, as checked (a failed read is left out: it tells nothing). */
  operations: number;
}

export interface CheckResult {
  /** false: some session is violated; 'unknown': none is, but the search gave up on some; true: every one is linearizable. */
  valid: boolean | 'unknown';
  /** Every anomaly type found, each once, in the order of `violations`. */
  anomalyTypes: Anomaly[];
  /** The violations grouped by anomaly type. */
  anomalies: Partial<Record<Anomaly, Violation[]>>;
  /** Every session id was checked in full and is linearizable: `valid === true`. */
  ok: boolean;
  operations: number;
  /** One per violated session id, in the order the ids first appear. */
  violations: Violation[];
  /** Ids the search gave up on; `ok` is false while any is. A violation on another id still stands. */
  undecided: Undecided[];
  /** How many times the search tried to place a step: its cost, independent of the machine. */
  steps: number;
}

/** The operations a prefix of steps placed in full, in order (a pop split in two counts at its delete). */
function operationsOf(prefix: Step<Operation>[]): Operation[] {
  return prefix.filter((s) => s.part !== 'read').map((s) => s.op);
}

/**
 * After the longest prefix the search tried each operation called before the first unplaced one
 * returned, and none led on: that one, the earliest return among the operations it must place, is
 * where it got stuck. A failed call may never have happened, so it never holds the search up.
 */
export function stuckAt(ops: Operation[], placed: Set<Operation>): Operation | undefined {
  let stuck: Operation | undefined;
  for (const op of ops) {
    if (placed.has(op) || op.error !== undefined) continue;
    if (!stuck || op.ret < stuck.ret || (op.ret === stuck.ret && op.call < stuck.call)) stuck = op;
  }
  return stuck;
}

/** The distinct values of `states`, in the order first seen. */
function valuesOf(states: State[]): (SessionData | undefined)[] {
  return [...new Map(states.map((s) => [s.json, s.value])).values()];
}

export function checkHistory(history: History, options: CheckOptions = {}): CheckResult {
  const tolerance = options.toleranceMs ?? 0;
  const atomicPop = options.atomicPop ?? true;
  // A failed read changed nothing and tells nothing.
  const relevant = history.filter((op) => !(op.op === 'get' && op.error !== undefined));
  const violations: Violation[] = [];
  const undecided: Undecided[] = [];
  let steps = 0;
  for (const result of search(sessionRegister(options), relevant, options)) {
    steps += result.tries;
    const { partition: id, ops } = result;
    if (result.valid === 'unknown') undecided.push({ id, tries: result.tries, operations: ops.length });
    else if (!result.valid) {
      const longestPrefix = operationsOf(result.longest);
      const stuck = stuckAt(ops, new Set(longestPrefix));
      violations.push({ id, ...explain(ops, tolerance, atomicPop, stuck), ops, longestPrefix, expected: valuesOf(result.statesAfterLongest) });
    }
  }
  const anomalies: Partial<Record<Anomaly, Violation[]>> = {};
  for (const v of violations) (anomalies[v.anomaly] ??= []).push(v);
  const valid = violations.length > 0 ? false : undecided.length > 0 ? 'unknown' : true;
  return { valid, anomalyTypes: Object.keys(anomalies) as Anomaly[], anomalies, ok: valid === true, operations: history.length, violations, undecided, steps };
}
