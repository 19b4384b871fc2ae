/**
 * The faults check on hand-written histories: the same Operation history and the same search as
 * the linearizability checker, each harmed session named in the one vocabulary, and failed calls
 * allowed to take effect until they settled (or any time, if they never did).
 */
import { describe, expect, it } from 'vitest';
import { checkFaultHistory, describeFinding } from '../suite/faults/history.js';
import type { Operation } from '../suite/linearizability/index.js';
import { LONG_TTL_MS } from '../suite/harness.js';

let clock = 0;
/** A sequential history of one session: each call takes 1 ms. A failed call settles when it returns unless told otherwise. */
function op(kind: 'set' | 'get' | 'pop', value: number | null, extra: Partial<Operation> = {}): Operation {
  const call = (clock += 10);
  const base: Operation = { client: 0, op: kind, id: 's', input: {}, call, ret: call + 1 };
  const effect = kind === 'set' ? { input: { data: { w: value! }, ttlMs: LONG_TTL_MS } } : { output: value === null ? undefined : { w: value } };
  const failed = extra.error === undefined ? {} : { settled: call + 1, output: undefined };
  return { ...base, ...effect, ...failed, ...extra };
}
const failed = { error: 'connection lost' };

const anomalies = (ops: Operation[]) => checkFaultHistory(ops).findings.map((f) => f.anomaly);

describe('checkFaultHistory', () => {
  it('accepts a history where every read returns the last acknowledged state', () => {
    expect(anomalies([op('get', null), op('set', 1), op('get', 1), op('set', 2), op('pop', 2), op('get', null)])).toEqual([]);
  });

  it('names an acknowledged write read back as absent: a lost write (the user logged out)', () => {
    expect(anomalies([op('set', 1), op('get', null)])).toEqual(['lost write']);
  });

  it('names a popped session read back: a resurrection after pop (a logout undone)', () => {
    expect(anomalies([op('set', 1), op('pop', 1), op('get', 1)])).toEqual(['resurrection after pop']);
  });

  it('names an older value read after a newer acknowledged write: a stale read (a write rolled back)', () => {
    expect(anomalies([op('set', 1), op('set', 2), op('get', 1)])).toEqual(['stale read']);
  });

  it('names a value no write to the session stored', () => {
    expect(anomalies([op('set', 1), op('get', 7)])).toEqual(['value never written']);
  });

  it('allows a failed call to have taken effect, or not, until it settled', () => {
    // A timed-out write that never settled may land any time later.
    expect(anomalies([op('set', 1), op('set', 2, { ...failed, settled: undefined }), op('get', 1), op('get', 2), op('get', 2)])).toEqual([]);
    // A failed pop: the session may be gone.
    expect(anomalies([op('set', 1), op('pop', null, failed), op('get', null)])).toEqual([]);
    // But a failed write that settled before a later acknowledged write cannot override it.
    expect(anomalies([op('set', 1, failed), op('set', 2), op('get', 1)])).toEqual(['stale read']);
  });

  it('names each harmed session once, with what its stuck read could have seen', () => {
    const { findings } = checkFaultHistory([op('set', 1), op('get', null), op('get', null), op('set', 3), op('get', 3)]);
    expect(findings.map((f) => [f.anomaly, f.op.call, f.expected])).toEqual([['lost write', clock - 30, [1]]]);
  });

  it('checks each session on its own, and counts them all', () => {
    const other = (o: Operation): Operation => ({ ...o, id: 't' });
    expect(anomalies([op('set', 1), other(op('set', 2)), op('get', null), other(op('set', 3)), other(op('get', 2))])).toEqual(['lost write', 'stale read']);
  });

  const named = (client: number) => `client ${client}`;

  it('describes a finding with the session timeline and the faults in it', () => {
    clock = 0;
    const ops = [op('set', 1), op('get', 1), op('get', null)];
    const [finding] = checkFaultHistory(ops).findings;
    const text = describeFinding(finding!, ops, [{ at: 25, what: 'restart' }], named);
    expect(text).toBe(
      [
        'session s:',
        '  +    10 ms  client 0     set #1     ok',
        '  +    20 ms  client 0     get        → #1',
        '  +    25 ms  fault        restart',
        '  +    30 ms  client 0     get        → absent  ✗ lost write: expected #1',
      ].join('\n'),
    );
  });

  it('keeps the contradicted write in the timeline when many calls came after it', () => {
    clock = 0;
    const ops = [op('set', 1), ...Array.from({ length: 9 }, () => op('get', 1)), op('get', null)];
    const [finding] = checkFaultHistory(ops).findings;
    const lines = describeFinding(finding!, ops, [{ at: 15, what: 'kill' }], named, 2).split('\n');
    expect(lines).toEqual([
      'session s:',
      '  +    10 ms  client 0     set #1     ok',
      '              … 7 more calls',
      '  +    15 ms  fault        kill',
      '  +    90 ms  client 0     get        → #1',
      '  +   100 ms  client 0     get        → #1',
      '  +   110 ms  client 0     get        → absent  ✗ lost write: expected #1',
    ]);
  });
});
