/**
 * Checking what clients saw while faults fired. Each session belongs to one client, which calls
 * it one operation at a time, so a session's history is sequential except for operations that
 * failed or timed out: those are indeterminate, and may take effect at any moment until they
 * settle (a queued command can still land after its caller gave up). A read must then return the
 * last acknowledged state or the effect of such a lingering operation; anything else is named.
 */

/** One operation on one session. Values are write numbers; null is absent. */
export interface FaultOp {
  session: string;
  /** Who called it: `client 3`, `read-back 1`. */
  client: string;
  kind: 'set' | 'get' | 'pop';
  /** set: the write number stored. */
  value?: number;
  /** Milliseconds since the run started. */
  start: number;
  /** When the call settled (even after its caller gave up), or Infinity if it never did. */
  end: number;
  /** `failed`: rejected or timed out, so it may or may not have taken effect. */
  outcome: 'ok' | 'failed';
  error?: string;
  /** get or pop acknowledged: the write number read, or null when absent. */
  result?: number | null;
  /** Called after the driver healed the backend. */
  healed: boolean;
}

export interface FaultEvent {
  at: number;
  what: string;
}

/**
 * lost: absent although a write was acknowledged (the user is logged out). rolled back: an older
 * value instead of the last acknowledged one (a failover to a replica that had not caught up);
 * after heal, when the backend should be whole again, that is a stale read. resurrected: a popped
 * session is back (a logout undone).
 */
export type FaultAnomaly = 'acknowledged write lost' | 'acknowledged write rolled back' | 'resurrected' | 'stale read after heal' | 'value never written';

export interface FaultFinding {
  anomaly: FaultAnomaly;
  session: string;
  op: FaultOp;
  /** What the read could have returned. */
  expected: (number | null)[];
}

const show = (value: number | null | undefined) => (value === null || value === undefined ? 'absent' : `#${value}`);

/** Every read whose result no order of the session's operations explains, named. */
export function checkFaultHistory(ops: readonly FaultOp[]): FaultFinding[] {
  const bySession = new Map<string, FaultOp[]>();
  for (const op of ops) {
    const history = bySession.get(op.session);
    if (history) history.push(op);
    else bySession.set(op.session, [op]);
  }
  const findings: FaultFinding[] = [];
  for (const [session, history] of bySession) {
    history.sort((a, b) => a.start - b.start);
    // The state the last acknowledged operation left, and when that operation started.
    let base: { value: number | null; since: number; byPop: boolean } = { value: null, since: -Infinity, byPop: false };
    const lingering: { value: number | null; start: number; end: number }[] = [];
    for (const op of history) {
      if (op.outcome === 'failed') {
        if (op.kind !== 'get') lingering.push({ value: op.kind === 'set' ? op.value! : null, start: op.start, end: op.end });
        continue;
      }
      if (op.kind === 'set') {
        base = { value: op.value!, since: op.start, byPop: false };
        continue;
      }
      // A lingering operation could have landed before this read returned, unless it had
      // settled before the acknowledged state was set.
      const possible = new Set([base.value, ...lingering.filter((l) => l.start < op.end && !(l.end < base.since)).map((l) => l.value)]);
      const result = op.result ?? null;
      if (!possible.has(result)) {
        const written = history.some((w) => w.kind === 'set' && w.value === result && w.start < op.end);
        const anomaly: FaultAnomaly =
          result === null ? 'acknowledged write lost' : !written ? 'value never written' : base.value === null && base.byPop ? 'resurrected' : op.healed ? 'stale read after heal' : 'acknowledged write rolled back';
        findings.push({ anomaly, session, op, expected: [...possible] });
      }
      // From here on, what was read is the state (after a violation too, so each is named once).
      base = { value: op.kind === 'pop' ? null : result, since: op.start, byPop: op.kind === 'pop' };
    }
  }
  return findings.sort((a, b) => a.op.start - b.op.start);
}

/**
 * The session's operations up to the finding (the last `before` of them, and the acknowledged
 * write it contradicts if that came earlier), with the faults in between.
 */
export function describeFinding(finding: FaultFinding, ops: readonly FaultOp[], events: readonly FaultEvent[], before = 6): string {
  const mine = ops.filter((op) => op.session === finding.session && op.start <= finding.op.start).sort((a, b) => a.start - b.start);
  const at = mine.indexOf(finding.op);
  const first = Math.max(0, at - before);
  const lastWrite = mine.findLastIndex((op, i) => i < at && op.outcome === 'ok' && op.kind !== 'get');
  const time = (ms: number) => `+${String(Math.round(ms)).padStart(6)} ms`;
  const row = (op: FaultOp) => {
    const what = op.kind === 'set' ? `set ${show(op.value)}` : op.kind;
    const outcome = op.outcome === 'failed' ? `failed (${op.error ?? 'no answer'})` : op.kind === 'set' ? 'ok' : `→ ${show(op.result)}`;
    const mark = op === finding.op ? `  ✗ ${finding.anomaly}: expected ${finding.expected.map(show).join(' or ')}` : '';
    return `${time(op.start)}  ${op.client.padEnd(12)} ${what.padEnd(10)} ${outcome}${mark}`;
  };
  // [time, tie-break, text]: rows in time order, a fault before the calls of its instant.
  const rows: [number, number, string][] = mine.slice(first, at + 1).map((op) => [op.start, 1, row(op)]);
  if (lastWrite >= 0 && lastWrite < first) {
    const anchor = mine[lastWrite]!;
    rows.push([anchor.start, 1, row(anchor)], [anchor.start, 2, `${' '.repeat(10)}  … ${first - lastWrite - 1} more calls`]);
  }
  const from = Math.min(...rows.map(([t]) => t));
  // A fault while the flagged call was in flight (a call starts, then waits its turn) is what it
  // met: shown just before it, at its own time.
  for (const event of events) if (event.at >= from && event.at <= finding.op.end) rows.push([Math.min(event.at, finding.op.start), 0, `${time(event.at)}  ${'fault'.padEnd(12)} ${event.what}`]);
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return `session ${finding.session}:\n${rows.map(([, , text]) => `  ${text}`).join('\n')}`;
}
