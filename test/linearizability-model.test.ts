/**
 * The search is generic over a model: a model other than the session register (a counter) is
 * checked by the same search, partitioned by its own key; a budget in time answers 'unknown';
 * and checkHistory's result lists every anomaly type, grouped, not only the first.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory, search, type Call, type Model, type Operation } from '../suite/linearizability/index.js';

/** A counter per name: `add` returns nothing, `read` returns the count. */
interface CounterOp extends Call {
  name: string;
  kind: 'add' | 'read';
  value?: number;
}
const counter: Model<number, CounterOp> = {
  partition: (op) => op.name,
  init: () => 0,
  step: (count, { op }) => {
    if (op.kind === 'add') return op.error === undefined ? [count + 1] : [count, count + 1];
    return op.error !== undefined || op.value === count ? [count] : [];
  },
  key: (count) => String(count),
  describeOperation: (op) => `${op.kind}(${op.name})`,
};
const add = (name: string, call: number, ret: number, extra: Partial<CounterOp> = {}): CounterOp => ({ name, kind: 'add', call, ret, ...extra });
const read = (name: string, value: number, call: number, ret: number): CounterOp => ({ name, kind: 'read', value, call, ret });

describe('the search with a model of its own', () => {
  it('accepts a counter history some order explains, and rejects one none does, per partition', () => {
    // Two concurrent adds and a read of 1 between them: one add took effect first.
    const results = search(counter, [add('a', 0, 10), add('a', 1, 20), read('a', 1, 5, 15), add('b', 0, 1), read('b', 2, 2, 3)]);
    expect(results.map((r) => [r.partition, r.valid])).toEqual([['a', true], ['b', false]]);
    const b = results.find((r) => r.partition === 'b')!;
    // Stuck after the add: the read of 2 sees a count of 1.
    expect(b.longest.map((s) => s.op.kind)).toEqual(['add']);
    expect(b.statesAfterLongest).toEqual([1]);
  });

  it('lets a failed call take effect or not until it settled, and at any time when it never did', () => {
    expect(search(counter, [add('a', 0, 1, { error: 'timeout' }), read('a', 0, 2, 3), read('a', 1, 4, 5)])[0]!.valid).toBe(true);
    // Settled before the first read: it either happened before both reads or never.
    expect(search(counter, [add('a', 0, 1, { error: 'refused', settled: 1 }), read('a', 0, 2, 3), read('a', 1, 4, 5)])[0]!.valid).toBe(false);
  });

  it('answers unknown when its time runs out, as when its tries do', () => {
    // Many concurrent adds and a read no count explains: the search tries every order of the adds.
    const hard = [...Array.from({ length: 40 }, () => add('a', 0, 100)), read('a', -1, 0, 100)];
    expect(search(counter, hard, { timeoutMs: 0 })[0]).toMatchObject({ valid: 'unknown' });
    expect(search(counter, hard, { maxTries: 100 })[0]).toMatchObject({ valid: 'unknown', tries: 100 });
  });
});

describe("checkHistory's result, as Elle's", () => {
  const op = (o: Partial<Operation> & Pick<Operation, 'op' | 'id' | 'call' | 'ret'>): Operation => ({ client: 0, input: {}, ...o });
  const set = (id: string, v: number, call: number, ret: number) => op({ op: 'set', id, input: { data: { v }, ttlMs: 1e9 }, call, ret });
  const get = (id: string, v: number | undefined, call: number, ret: number) => op({ op: 'get', id, output: v === undefined ? undefined : { v }, call, ret });
  const pop = (id: string, v: number, call: number, ret: number) => op({ op: 'pop', id, output: { v }, call, ret });

  it('lists every anomaly type found, each violation grouped under its type', () => {
    const history = [set('a', 1, 0, 1), get('a', undefined, 2, 3), set('b', 1, 0, 1), pop('b', 1, 2, 3), pop('b', 1, 4, 5), set('c', 1, 0, 1), set('c', 2, 2, 3), get('c', 1, 4, 5), set('d', 1, 0, 1), get('d', undefined, 2, 3)];
    const result = checkHistory(history);
    expect(result).toMatchObject({ valid: false, ok: false, anomalyTypes: ['lost write', 'double pop', 'stale read'] });
    expect(Object.fromEntries(Object.entries(result.anomalies).map(([type, vs]) => [type, vs!.map((v) => v.id)]))).toEqual({ 'lost write': ['a', 'd'], 'double pop': ['b'], 'stale read': ['c'] });
    expect(result.violations.find((v) => v.id === 'a')!.expected).toEqual([{ v: 1 }]);
  });

  it('is valid, with nothing listed, when every session is explained; unknown when the search gave up on one', () => {
    expect(checkHistory([set('a', 1, 0, 1), get('a', 1, 2, 3)])).toMatchObject({ valid: true, ok: true, anomalyTypes: [], anomalies: {} });
    expect(checkHistory([set('a', 1, 0, 1), get('a', 1, 2, 3), get('a', 1, 4, 5)], { maxTries: 1 })).toMatchObject({ valid: 'unknown', ok: false, anomalyTypes: [] });
  });
});
