/**
 * A violation on a hot session is shown as an excerpt a person can read: where the search got
 * stuck, what was in flight with it, the operations the anomaly's name rests on, and counts of
 * the rest. A small one is shown in full, as it always was.
 */
import { describe, expect, it } from 'vitest';
import { excerpt } from '../suite/linearizability/excerpt.js';
import type { Operation } from '../suite/linearizability/history.js';
import { checkHistory, classify, describeViolation, type Violation } from '../suite/linearizability/index.js';
import { findOp, hotHistory } from './support/hot-history.js';

const TOTAL = 2000;
/** Rows of a rendering, whatever the history's size. */
const MAX_ROWS = 30;

const violationOf = (ops: Operation[]): Violation => {
  const result = checkHistory(ops);
  expect(result.ok).toBe(false);
  return result.violations[0]!;
};

/** A read at step 8 of a cycle that does not pop: the cycle's set at step 6 returned before it was called. */
const staleReadAt = (ops: Operation[], from: number) => findOp(ops, from, (op, i) => i % 10 === 8 && Math.floor(i / 10) % 5 !== 0);

/** A read two operations after the first pop from `from` sees the popped value; returns the pop's index. */
const resurrectAfterPop = (ops: Operation[], from: number): number => {
  const p = findOp(ops, from, (op) => op.op === 'pop');
  ops[p + 2] = { ...ops[p + 2]!, output: ops[p]!.output };
  return p;
};

/**
 * A touch that finds the live session absent, with the cycle's update in flight: no pattern names
 * it, so the search gets stuck where `explain` has nothing to say. Returns its index.
 */
const touchMissingAt = (ops: Operation[], from: number): number => {
  const t = findOp(ops, from, (op) => op.op === 'touch');
  ops[t] = { ...ops[t]!, output: false };
  return t;
};

/** The operations an excerpt shows, on the axis or off it. */
const shown = (v: Violation): Operation[] => excerpt(v).lines.flatMap((line) => (line.kind === 'window' ? line.ops : line.kind === 'far' ? [line.op] : []));

describe('a violation on a hot session', () => {
  it('shows a stale read with what was in flight around it, and counts the rest', () => {
    const ops = hotHistory(TOTAL);
    const k = staleReadAt(ops, TOTAL / 2);
    // The value before the cycle's set at step 6: its update at step 4.
    ops[k] = { ...ops[k]!, output: ops[k - 4]!.output };
    const v = violationOf(ops);
    const text = describeViolation(v, 'run 1');
    const lines = text.split('\n');
    expect(lines.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(lines[0]).toBe('stale read on session "hot" (run 1): no order of these operations is consistent with a single session register');
    // Four called before the read, the read, and the one called before it returned: the rest are counted.
    expect(lines[1]).toBe(`  … ${k - 4} earlier operations, all consistent with the model`);
    expect(text).toContain(`  … ${TOTAL - (k + 2)} later operations not shown\n`);
    expect(text).toMatch(new RegExp(`client ${k % 4} +\\[-+\\] +get\\(\\) → \\{"n":${k - 7}\\}  ✗ the longest prefix cannot place this  ← stale read\\n`));
    expect(text).toMatch(new RegExp(`update\\(n \\+= 1, 1000000000\\) → \\{"n":${k - 7}\\}  ← stale read\\n`));
    expect(text).toMatch(new RegExp(`set\\(\\{"n":${k - 2}\\}, 1000000000\\) → ok  ← stale read, last change in the prefix\\n`));
    expect(text).toContain(`  longest linearizable prefix (${k + 1} of ${TOTAL} operations):\n    … ${k + 1 - 5} earlier operations\n`);
    expect(lines.filter((line) => line.startsWith('    client '))).toHaveLength(5);
  });

  it('shows the write of a stale value from long before off the axis, with the counts between', () => {
    const ops = hotHistory(TOTAL);
    const k = staleReadAt(ops, TOTAL / 2);
    // The set four cycles back, and the update after it (the same client's next call) that overwrote it.
    const old = k - 48;
    ops[k] = { ...ops[k]!, output: ops[old]!.input.data };
    const v = violationOf(ops);
    expect(v.anomaly).toBe('stale read');
    const lines = describeViolation(v).split('\n');
    expect(lines.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(lines.slice(1, 6)).toEqual([
      `  … ${old} earlier operations, all consistent with the model`,
      `  client ${old % 4} ◂${' '.repeat(40)} set({"n":${old}}, 1000000000) → ok  ← stale read`,
      '  … 3 more operations, all consistent with the model',
      `  client ${old % 4} ◂${' '.repeat(40)} update(n += 1, 1000000000) → {"n":${old + 1}}  ← stale read`,
      `  … ${k - 4 - (old + 5)} more operations, all consistent with the model`,
    ]);
  });

  it('shows a resurrection after pop with the pop, on an axis spanning only what is shown', () => {
    const ops = hotHistory(TOTAL);
    // Two reads after the pop returned, and before the next set was called.
    resurrectAfterPop(ops, TOTAL / 2);
    const v = violationOf(ops);
    const text = describeViolation(v);
    expect(text.split('\n').length).toBeLessThanOrEqual(MAX_ROWS);
    expect(text).toMatch(/^resurrection after pop on session "hot"/);
    expect(text).toMatch(/ pop\(\) → \{"n":\d+\}  ← resurrection after pop, last change in the prefix\n/);
    expect(text).toMatch(/ get\(\) → \{"n":\d+\}  ✗ the longest prefix cannot place this  ← resurrection after pop\n/);
    // Six operations of 2,000: on the whole history's axis each would be a dot; on the window's, a bar.
    expect(text).toMatch(/^  client \d \[-{5,}\] /m);
    expect(text).toMatch(/^  client \d +\[-{5,}\]  \S/m);
  });

  it('names a read of the popped value a resurrection though the next set is in flight with it', () => {
    const ops = hotHistory(TOTAL);
    const p = findOp(ops, TOTAL / 2, (op) => op.op === 'pop');
    // The cycle's last read, called after the next cycle's set: only a write of the popped value could explain it.
    ops[p + 3] = { ...ops[p + 3]!, output: ops[p]!.output };
    const v = violationOf(ops);
    expect(v.anomaly).toBe('resurrection after pop');
    expect(v.evidence).toEqual([ops[p], ops[p + 3]]);
  });

  it('names its anomaly from the operations it shows', () => {
    for (const tamper of [
      (ops: Operation[]) => {
        const k = staleReadAt(ops, 700);
        ops[k] = { ...ops[k]!, output: ops[k - 48]!.input.data };
      },
      (ops: Operation[]) => resurrectAfterPop(ops, 700),
    ]) {
      const ops = hotHistory(TOTAL);
      tamper(ops);
      const v = violationOf(ops);
      expect(classify(shown(v))).toBe(v.anomaly);
    }
  });

  it('names the anomaly where the search got stuck, not the first pattern found in the history', () => {
    const ops = hotHistory(TOTAL);
    const k = staleReadAt(ops, 500);
    ops[k] = { ...ops[k]!, output: ops[k - 4]!.output };
    resurrectAfterPop(ops, 1500);
    const v = violationOf(ops);
    expect(v.anomaly).toBe('stale read');
    expect(v.evidence).toContain(v.ops[k]);
    expect(describeViolation(v)).toMatch(/get\(\) → \{"n":\d+\}  ✗ the longest prefix cannot place this  ← stale read\n/);
  });

  it('names the anomaly nearest where the search got stuck when none involves the stuck operation', () => {
    const ops = hotHistory(TOTAL);
    const t = touchMissingAt(ops, 1000);
    const k = staleReadAt(ops, 1200);
    ops[k] = { ...ops[k]!, output: ops[k - 4]!.output };
    resurrectAfterPop(ops, 1500);
    const v = violationOf(ops);
    expect(excerpt(v).stuck).toBe(ops[t]);
    expect(v.anomaly).toBe('stale read');
    expect(v.evidence).toContain(ops[k]);
  });

  it('shows evidence found after the point where the search got stuck on the far side', () => {
    const ops = hotHistory(TOTAL);
    // The search gets stuck at the touch, which no pattern names; the resurrection later is the nearest that one does.
    const k = touchMissingAt(ops, 500);
    const p = resurrectAfterPop(ops, 1500);
    const v = violationOf(ops);
    expect(v.anomaly).toBe('resurrection after pop');
    const lines = describeViolation(v).split('\n');
    expect(lines.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(lines.find((line) => line.includes('✗'))).toMatch(/touch\(1000000000\) → false  ✗ the longest prefix cannot place this$/);
    const far = lines.filter((line) => line.includes('▸'));
    expect(far).toHaveLength(2);
    expect(far[0]).toMatch(/ pop\(\) → \{"n":\d+\}  ← resurrection after pop$/);
    expect(lines).toContain(`  … ${p - (k + 2)} later operations not shown`);
    expect(lines).toContain('  … 1 later operation not shown');
    expect(lines).toContain(`  … ${TOTAL - (p + 3)} later operations not shown`);
  });

  it('keeps its bound when more operations are in flight with the stuck one than it has rows for', () => {
    const set: Operation = { client: 0, id: 's', op: 'set', input: { data: { v: 1 }, ttlMs: 1e9 }, call: 0, ret: 1 };
    // A dozen: the search tries every subset of them, so not a hundred.
    const reads = Array.from({ length: 12 }, (_, i): Operation => ({ client: i + 1, id: 's', op: 'get', input: {}, output: { v: 1 }, call: 2 + i, ret: 500 }));
    // A value no one wrote, read while the others were all in flight.
    const bad: Operation = { client: 13, id: 's', op: 'get', input: {}, output: { v: 2 }, call: 4.5, ret: 60 };
    const tail = Array.from({ length: 20 }, (_, i): Operation => ({ client: 14, id: 's', op: 'get', input: {}, output: { v: 1 }, call: 600 + i, ret: 600.5 + i }));
    const lines = describeViolation(violationOf([set, ...reads, bad, ...tail])).split('\n');
    expect(lines.length).toBeLessThanOrEqual(MAX_ROWS);
    // Four called before it (the set and three reads), it, and seven of the nine reads called while it ran.
    expect(lines[1]).toMatch(/^  client 0 \[/);
    // No write stored {"v":2}: not a stale read, a value never written.
    expect(lines.find((line) => line.includes('✗'))).toMatch(/get\(\) → \{"v":2\}  ✗ the longest prefix cannot place this  ← value never written$/);
    expect(lines).toContain('  … 22 later operations not shown');
  });

  it('does not call the earlier operations consistent when one of them is not in the prefix', () => {
    const ops = hotHistory(TOTAL);
    const k = staleReadAt(ops, TOTAL / 2);
    ops[k] = { ...ops[k]!, output: ops[k - 4]!.output };
    // Called first, it can only take effect after the next cycle's set, which the search never reaches.
    const next = ops[k + 2]!;
    const early: Operation = { client: 4, id: 'hot', op: 'get', input: {}, output: next.input.data, call: 1, ret: next.ret + 1 };
    const lines = describeViolation(violationOf([...ops, early])).split('\n');
    expect(lines[1]).toBe(`  … ${k - 3} earlier operations, ${k - 4} of them in the longest linearizable prefix`);
  });
});

describe('a violation on a small history', () => {
  it('is shown in full, exactly as before', () => {
    const ops = hotHistory(20);
    ops[18] = { ...ops[18]!, output: ops[14]!.output };
    expect(describeViolation(violationOf(ops)).split('\n')).toEqual([
      'stale read on session "hot": no order of these operations is consistent with a single session register',
      '  client 0 [--]                                      set({"n":0}, 1000000000) → ok',
      '  client 0         [-]                               update(n += 1, 1000000000) → {"n":1}',
      '  client 0                [--]                       get() → undefined',
      '  client 0                        [--]               get() → {"n":10}',
      '  client 0                               [--]        set({"n":16}, 1000000000) → ok',
      '  client 1   [--]                                    get() → {"n":0}',
      '  client 1           [-]                             get() → {"n":1}',
      '  client 1                  [--]                     get() → undefined',
      '  client 1                          [--]             touch(1000000000) → true',
      '  client 1                                 [--]      get() → {"n":16}',
      '  client 2     [--]                                  get() → {"n":0}',
      '  client 2            [--]                           pop() → {"n":1}',
      '  client 2                    [--]                   set({"n":10}, 1000000000) → ok',
      '  client 2                            [-]            update(n += 1, 1000000000) → {"n":11}',
      '  client 2                                   [--]    get() → {"n":11}',
      '  client 3       [--]                                touch(1000000000) → true',
      '  client 3              [--]                         get() → undefined',
      '  client 3                      [--]                 get() → {"n":10}',
      '  client 3                              [-]          get() → {"n":11}',
      '  client 3                                     [--]  get() → {"n":16}',
      '  longest linearizable prefix (19 of 20 operations):',
      '    client 0: set({"n":0}, 1000000000) → ok',
      '    client 1: get() → {"n":0}',
      '    client 2: get() → {"n":0}',
      '    client 3: touch(1000000000) → true',
      '    client 0: update(n += 1, 1000000000) → {"n":1}',
      '    client 1: get() → {"n":1}',
      '    client 2: pop() → {"n":1}',
      '    client 3: get() → undefined',
      '    client 0: get() → undefined',
      '    client 1: get() → undefined',
      '    client 2: set({"n":10}, 1000000000) → ok',
      '    client 3: get() → {"n":10}',
      '    client 0: get() → {"n":10}',
      '    client 1: touch(1000000000) → true',
      '    client 2: update(n += 1, 1000000000) → {"n":11}',
      '    client 3: get() → {"n":11}',
      '    client 0: set({"n":16}, 1000000000) → ok',
      '    client 1: get() → {"n":16}',
      '    client 3: get() → {"n":16}',
    ]);
  });
});
