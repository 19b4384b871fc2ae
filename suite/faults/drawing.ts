/**
 * A faults run as data for the HTML report: the faults and the heal, the unavailability window,
 * and per-session lanes, harmed sessions first. Capped, so that a run of many thousand calls still
 * makes a report small enough to attach to a CI run.
 */
import type { DrawnFaultOp, FaultDrawing } from '../drawing.js';
import type { Operation } from '../linearizability/history.js';
import { settledAt, writeNumber, type FaultEvent, type FaultFinding } from './history.js';

/** Sessions drawn at most, of which unharmed ones (for contrast) at most; calls per session at most. */
const MAX_SESSIONS = 12;
const UNHARMED = 3;
const MAX_OPS = 80;
/** Of those, kept after the last finding, and at the session's end. */
const AFTER = 20;
const TAIL = 10;

export interface FaultRunRecord {
  ops: readonly Operation[];
  events: readonly FaultEvent[];
  findings: readonly FaultFinding[];
  unavailable: { from: number; to: number } | null;
  afterFaults: FaultDrawing['afterFaults'];
  /** A client number as the run names it: `client 3`, `read-back 1`. */
  clientName: (client: number) => string;
}

export function drawFaultRun(run: FaultRunRecord): FaultDrawing {
  const bySession = new Map<string, Operation[]>();
  for (const op of run.ops) bySession.set(op.id, [...(bySession.get(op.id) ?? []), op]);
  const findingOf = new Map(run.findings.map((f) => [f.op, f]));
  const harmed = [...new Set(run.findings.map((f) => f.session))];
  const unharmed = [...bySession.keys()].filter((s) => !harmed.includes(s)).slice(0, UNHARMED);
  const shown = [...harmed.slice(0, MAX_SESSIONS - Math.min(UNHARMED, unharmed.length)), ...unharmed];
  const durationMs = run.ops.reduce((t, op) => Math.max(t, op.call, Number.isFinite(settledAt(op)) ? settledAt(op) : op.call), run.events.at(-1)?.at ?? 0);
  const healedAt = run.events.find((e) => e.what === 'healed')?.at ?? Infinity;
  const sessions = shown.map((session) => {
    const ops = [...bySession.get(session)!].sort((a, b) => a.call - b.call);
    // The calls up to the last finding matter most, then the session's last calls (the read-back after heal).
    const last = ops.findLastIndex((op) => findingOf.has(op));
    const from = Math.max(0, Math.min(last - MAX_OPS + AFTER + TAIL, ops.length - MAX_OPS));
    const kept = ops.length <= MAX_OPS ? ops : [...ops.slice(from, from + MAX_OPS - TAIL), ...ops.slice(Math.max(from + MAX_OPS - TAIL, ops.length - TAIL))];
    return {
      session,
      anomalies: [...new Set(run.findings.filter((f) => f.session === session).map((f) => f.anomaly))],
      ops: kept.map((op): DrawnFaultOp => {
        const finding = findingOf.get(op);
        const end = settledAt(op);
        const acknowledged = op.error === undefined;
        return {
          client: run.clientName(op.client),
          kind: op.op as DrawnFaultOp['kind'],
          ...(op.op === 'set' && { value: writeNumber(op.input.data)! }),
          start: round(op.call),
          end: Number.isFinite(end) ? round(end) : null,
          outcome: acknowledged ? 'ok' : 'failed',
          ...(op.error !== undefined && { error: op.error }),
          ...(acknowledged && op.op !== 'set' && { result: writeNumber(op.output) }),
          healed: op.call >= healedAt,
          ...(finding && { finding: finding.anomaly, expected: finding.expected }),
        };
      }),
      omitted: ops.length - kept.length,
    };
  });
  return {
    durationMs: round(durationMs),
    events: run.events.map((e) => ({ at: round(e.at), what: e.what })),
    unavailable: run.unavailable && { from: round(run.unavailable.from), to: round(run.unavailable.to) },
    sessions,
    totalSessions: bySession.size,
    harmedSessions: harmed.length,
    omittedSessions: bySession.size - sessions.length,
    afterFaults: run.afterFaults,
  };
}

/** Tenths of a millisecond: finer says nothing about a run of seconds, and costs bytes. */
const round = (ms: number): number => Math.round(ms * 10) / 10;
