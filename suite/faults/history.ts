/**
 * Checking what clients saw while faults fired, with the one history type and the one search of
 * the linearizability checker: a session's operations are explained by one register, or the
 * session is named with an anomaly of the one vocabulary. A call that failed or timed out is
 * indeterminate: it may or may not have taken effect, before it settled (a queued command can
 * still land after its caller gave up), or at any time after it was made if it never settled.
 */
import type { Anomaly } from '../anomaly.js';
import type { SessionData } from '../contract.js';
import { checkHistory, stuckAt, type CheckResult, type Undecided } from '../linearizability/check.js';
import type { Operation } from '../linearizability/history.js';

export interface FaultEvent {
  at: number;
  what: string;
}

/** A faults run stores `{ w: n }`, the n-th write of the run: a write number read back names the write. */
export const writeNumber = (data: unknown): number | null =>
  data === undefined || data === null ? null : typeof (data as SessionData).w === 'number' ? ((data as SessionData).w as number) : -1;

/** One session the search rejected: the operation it got stuck at, and what that could have read. */
export interface FaultFinding {
  anomaly: Anomaly;
  session: string;
  op: Operation;
  /** The write numbers the operation could have read (null: absent). */
  expected: (number | null)[];
}

export interface FaultCheck {
  findings: FaultFinding[];
  /** Sessions the search gave up on: neither explained nor named. */
  undecided: Undecided[];
  result: CheckResult;
}

/**
 * The search's time per session. Calls that never settled may take effect at any later point,
 * and many of them on one session can make the search exponential: one verification run took
 * 200 s on a loaded machine at the default budget of tries. Past this, the session is undecided.
 */
const SEARCH_MS_PER_SESSION = 250;

/** Every session no order of its operations explains, named after its anomaly, in the order they happened. */
export function checkFaultHistory(ops: readonly Operation[]): FaultCheck {
  const result = checkHistory([...ops], { timeoutMs: SEARCH_MS_PER_SESSION });
  const findings = result.violations.map((v): FaultFinding => {
    const op = stuckAt(v.ops, new Set(v.longestPrefix)) ?? v.evidence?.at(-1) ?? v.ops.at(-1)!;
    return { anomaly: v.anomaly, session: v.id, op, expected: (v.expected ?? []).map(writeNumber) };
  });
  return { findings: findings.sort((a, b) => a.op.call - b.op.call), undecided: result.undecided, result };
}

/** When a call's effect was certainly over: when it returned, or for a failed one when it settled (Infinity: never). */
export const settledAt = (op: Operation): number => (op.error === undefined ? op.ret : (op.settled ?? Infinity));

const show = (value: number | null | undefined) => (value === null || value === undefined ? 'absent' : `#${value}`);

/**
 * The session's operations up to the finding (the last `before` of them, and the acknowledged
 * write it contradicts if that came earlier), with the faults in between. `clientName` names a
 * client number as the run does (`client 3`, `read-back 1`).
 */
export function describeFinding(finding: FaultFinding, ops: readonly Operation[], events: readonly FaultEvent[], clientName: (client: number) => string, before = 6): string {
  const mine = ops.filter((op) => op.id === finding.session && op.call <= finding.op.call).sort((a, b) => a.call - b.call);
  const at = mine.indexOf(finding.op);
  const first = Math.max(0, at - before);
  const lastWrite = mine.findLastIndex((op, i) => i < at && op.error === undefined && op.op !== 'get');
  const time = (ms: number) => `+${String(Math.round(ms)).padStart(6)} ms`;
  const row = (op: Operation) => {
    const what = op.op === 'set' ? `set ${show(writeNumber(op.input.data))}` : op.op;
    const outcome = op.error !== undefined ? `failed (${op.error})` : op.op === 'set' ? 'ok' : `→ ${show(writeNumber(op.output))}`;
    const mark = op === finding.op ? `  ✗ ${finding.anomaly}: expected ${finding.expected.map(show).join(' or ')}` : '';
    return `${time(op.call)}  ${clientName(op.client).padEnd(12)} ${what.padEnd(10)} ${outcome}${mark}`;
  };
  // [time, tie-break, text]: rows in time order, a fault before the calls of its instant.
  const rows: [number, number, string][] = mine.slice(first, at + 1).map((op) => [op.call, 1, row(op)]);
  if (lastWrite >= 0 && lastWrite < first) {
    const anchor = mine[lastWrite]!;
    rows.push([anchor.call, 1, row(anchor)], [anchor.call, 2, `${' '.repeat(10)}  … ${first - lastWrite - 1} more calls`]);
  }
  const from = Math.min(...rows.map(([t]) => t));
  // A fault while the flagged call was in flight (a call starts, then waits its turn) is what it
  // met: shown just before it, at its own time.
  for (const event of events) if (event.at >= from && event.at <= finding.op.ret) rows.push([Math.min(event.at, finding.op.call), 0, `${time(event.at)}  ${'fault'.padEnd(12)} ${event.what}`]);
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return `session ${finding.session}:\n${rows.map(([, , text]) => `  ${text}`).join('\n')}`;
}
