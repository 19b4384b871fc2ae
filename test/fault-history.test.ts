/** The fault history checker on hand-written histories: each anomaly named, and lingering calls allowed for. */
import { describe, expect, it } from 'vitest';
import { checkFaultHistory, describeFinding, type FaultOp } from '../suite/faults/history.js';

let clock = 0;
/** A sequential history of one session: each call takes 1 ms. */
function op(kind: FaultOp['kind'], value: number | null, extra: Partial<FaultOp> = {}): FaultOp {
  const start = (clock += 10);
  const base: FaultOp = { session: 's', client: 'client 0', kind, start, end: start + 1, outcome: 'ok', healed: false };
  return kind === 'set' ? { ...base, value: value!, ...extra } : { ...base, result: value, ...extra };
}

const anomalies = (ops: FaultOp[]) => checkFaultHistory(ops).map((f) => f.anomaly);

describe('checkFaultHistory', () => {
  it('accepts a history where every read returns the last acknowledged state', () => {
    expect(anomalies([op('get', null), op('set', 1), op('get', 1), op('set', 2), op('pop', 2), op('get', null)])).toEqual([]);
  });

  it('names an acknowledged write read back as absent: a session lost', () => {
    expect(anomalies([op('set', 1), op('get', null)])).toEqual(['acknowledged write lost']);
  });

  it('names a popped session read back: resurrected (a logout undone)', () => {
    expect(anomalies([op('set', 1), op('pop', 1), op('get', 1)])).toEqual(['resurrected']);
  });

  it('names an older value: a write rolled back, or after heal a stale read', () => {
    expect(anomalies([op('set', 1), op('set', 2), op('get', 1)])).toEqual(['acknowledged write rolled back']);
    expect(anomalies([op('set', 1), op('set', 2), op('get', 1, { healed: true })])).toEqual(['stale read after heal']);
  });

  it('names a value no write to the session stored', () => {
    expect(anomalies([op('set', 1), op('get', 7)])).toEqual(['value never written']);
  });

  it('allows a failed call to have taken effect, or not, until it settled', () => {
    // A timed-out write that never settled may land any time later.
    expect(anomalies([op('set', 1), op('set', 2, { outcome: 'failed', end: Infinity }), op('get', 1), op('get', 2), op('get', 2)])).toEqual([]);
    // A failed pop: the session may be gone.
    expect(anomalies([op('set', 1), op('pop', null, { outcome: 'failed' }), op('get', null)])).toEqual([]);
    // But a failed write that settled before a later acknowledged write cannot override it.
    expect(anomalies([op('set', 1, { outcome: 'failed' }), op('set', 2), op('get', 1)])).toEqual(['acknowledged write rolled back']);
  });

  it('names each violation once, then checks on from what was read', () => {
    expect(anomalies([op('set', 1), op('get', null), op('get', null), op('set', 3), op('get', 3)])).toEqual(['acknowledged write lost']);
  });

  it('describes a finding with the session timeline and the faults in it', () => {
    clock = 0;
    const ops = [op('set', 1), op('get', 1), op('get', null)];
    const [finding] = checkFaultHistory(ops);
    const text = describeFinding(finding!, ops, [{ at: 25, what: 'restart' }]);
    expect(text).toBe(
      [
        'session s:',
        '  +    10 ms  client 0     set #1     ok',
        '  +    20 ms  client 0     get        → #1',
        '  +    25 ms  fault        restart',
        '  +    30 ms  client 0     get        → absent  ✗ acknowledged write lost: expected #1',
      ].join('\n'),
    );
  });

  it('keeps the contradicted write in the timeline when many calls came after it', () => {
    clock = 0;
    const ops = [op('set', 1), ...Array.from({ length: 9 }, () => op('get', 1)), op('get', null)];
    const [finding] = checkFaultHistory(ops);
    const lines = describeFinding(finding!, ops, [{ at: 15, what: 'kill' }], 2).split('\n');
    expect(lines).toEqual([
      'session s:',
      '  +    10 ms  client 0     set #1     ok',
      '              … 7 more calls',
      '  +    15 ms  fault        kill',
      '  +    90 ms  client 0     get        → #1',
      '  +   100 ms  client 0     get        → #1',
      '  +   110 ms  client 0     get        → absent  ✗ acknowledged write lost: expected #1',
    ]);
  });
});
