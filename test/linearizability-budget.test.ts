/**
 * The checker's search budget: a history whose search blows up ends within seconds as undecided
 * (never a crash, a hang, or a pass), and a clause reports it as inconclusive.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clause } from '../suite/clause.js';
import { concurrency } from '../suite/clauses/concurrency.js';
import type { SessionData } from '../suite/contract.js';
import { ConformanceRun } from '../entry/index.js';
import { expectLinearizable } from '../suite/linearizability/expect.js';
import { checkHistory, DEFAULT_MAX_TRIES, TRIES_PER_OPERATION, monotonicClock, recordOp, type History, type Operation } from '../suite/linearizability/index.js';
import { checkProperty } from '../suite/property.js';
import { MemoryStore } from '../stores/index.js';

const TTL = 1e9;
const op = (o: Partial<Operation> & Pick<Operation, 'op' | 'call' | 'ret'>, id = 's'): Operation => ({ client: 0, id, input: {}, ...o });
const set = (v: number, call: number, ret: number, id = 's') => op({ op: 'set', input: { data: { v }, ttlMs: TTL }, call, ret }, id);
const get = (v: number, call: number, ret: number, id = 's') => op({ op: 'get', output: { v }, call, ret }, id);

/** Many identical concurrent reads and one read nothing explains: the search tries every subset of the reads. */
const manyReads = (reads: number, id = 's'): History => [set(1, 0, 1, id), ...Array.from({ length: reads }, () => get(1, 2, 100, id)), get(2, 2, 100, id)];

/** Many concurrent writes and a read of a value none wrote: the search tries every order of the writes. */
const manyWrites = (writes: number): History => [...Array.from({ length: writes }, (_, i) => set(i, 0, 100)), get(-1, 0, 100)];

/** An ordinary history: one write, then reads that see it. */
const ordinary: History = [set(1, 0, 1), get(1, 2, 3), get(1, 4, 5), get(1, 6, 7)];

describe('the search budget', () => {
  it.each([
    ['100 identical concurrent reads and one unexplainable read', manyReads(100)],
    ['30 concurrent writes and a read of a value none wrote', manyWrites(30)],
  ])('gives up on %s within seconds: undecided, not ok, no crash', (_, history) => {
    // Bounded by tries, not time: about 1.5 s here; unbounded, the first ran ~10 minutes, then
    // the memo Set overflowed.
    const result = checkHistory(history);
    expect(result).toMatchObject({ ok: false, violations: [], undecided: [{ id: 's', tries: DEFAULT_MAX_TRIES, operations: history.length }] });
  });

  it('grows the default budget with a long history: ten tries for each of its operations', () => {
    // 120,000 reads one after another (one try each), then the blow-up: a budget of 1,000,000
    // alone would be mostly spent on the long, linear part.
    const long = 120_000;
    const history = [set(1, 0, 1), ...Array.from({ length: long }, (_, i) => get(1, 2 + 2 * i, 3 + 2 * i)), ...manyReads(100).slice(1).map((o) => ({ ...o, call: o.call + 2 * long + 2, ret: o.ret + 2 * long + 2 }))];
    const result = checkHistory(history);
    expect(TRIES_PER_OPERATION * history.length).toBeGreaterThan(DEFAULT_MAX_TRIES);
    expect(result).toMatchObject({ ok: false, violations: [], undecided: [{ id: 's', tries: TRIES_PER_OPERATION * history.length, operations: history.length }] });
  });

  it('decides the same shape when it is small enough, so the budget is what gave up', () => {
    expect(checkHistory(manyReads(6))).toMatchObject({ ok: false, undecided: [], violations: [{ id: 's' }] });
  });

  it('gives up on an ordinary history under a tiny budget, and decides it under the default', () => {
    expect(checkHistory(ordinary, { maxTries: 2 })).toMatchObject({ ok: false, violations: [], undecided: [{ id: 's', tries: 2, operations: 4 }] });
    expect(checkHistory(ordinary)).toMatchObject({ ok: true, violations: [], undecided: [] });
  });

  it('still reports a violation on another id beside an undecided one', () => {
    const history = [...manyReads(30, 'hard'), set(1, 0, 1, 'bad'), set(2, 2, 3, 'bad'), get(1, 4, 5, 'bad')];
    const result = checkHistory(history, { maxTries: 10_000 });
    expect(result.ok).toBe(false);
    expect(result.undecided.map((u) => u.id)).toEqual(['hard']);
    expect(result.violations.map((v) => [v.id, v.anomaly])).toEqual([['bad', 'stale read']]);
  });
});

describe('expectLinearizable on an undecided history', () => {
  const reason = 'the linearizability search gave up on session "s" after 2 tries (4 operations)';

  it('reports it through inconclusive, with context', () => {
    const reasons: string[] = [];
    expectLinearizable(ordinary, { maxTries: 2, context: 'round 1', inconclusive: (r) => reasons.push(r) });
    expect(reasons).toEqual([`round 1: ${reason}`]);
  });

  it('throws without inconclusive, rather than pass', () => {
    expect(() => expectLinearizable(ordinary, { maxTries: 2 })).toThrow(`${reason}: the history was not checked in full`);
  });

  it('fails on a violation on another id, without calling inconclusive', () => {
    const reasons: string[] = [];
    const history = [...ordinary, set(1, 0, 1, 'bad'), set(2, 2, 3, 'bad'), get(1, 4, 5, 'bad')];
    expect(() => expectLinearizable(history, { maxTries: 5, inconclusive: (r) => reasons.push(r) })).toThrow(/stale read on session "bad"/);
    expect(reasons).toEqual([]);
  });

  it('inside a property (as interleavings checks), is no counterexample to shrink', async () => {
    const reasons: string[] = [];
    const property = fc.asyncProperty(fc.nat(), async () => expectLinearizable(ordinary, { maxTries: 2, inconclusive: (r) => reasons.push(r) }));
    await expect(checkProperty({ numRuns: 3, seed: 1, path: undefined }, property)).resolves.toBeUndefined();
    expect(reasons).toHaveLength(3);
  });
});

/** Answers one read, among many concurrent ones, with data nobody wrote. */
class OneBadRead extends MemoryStore {
  #reads = 0;
  override async get(id: string): Promise<SessionData | undefined> {
    const data = await super.get(id);
    return ++this.#reads === 50 ? { v: 2 } : data;
  }
}

describe('a clause whose history exceeds the budget', () => {
  it('is inconclusive, naming the session the search gave up on', async () => {
    const clause: Clause = {
      id: 'concurrency',
      title: 'a hundred concurrent reads',
      level: 'MUST',
      meaning: 'reads disagree',
      doc: concurrency.doc,
      check: (ctx) =>
        ctx.withStore((h) =>
          h.inScope(async (scope) => {
            const id = scope.id('x');
            const history: History = [];
            await recordOp(history, monotonicClock, h.store, 0, { op: 'set', id, input: { data: { v: 1 }, ttlMs: TTL } });
            await Promise.all(Array.from({ length: 100 }, (_, i) => recordOp(history, monotonicClock, h.store, i + 1, { op: 'get', id, input: {} })));
            expectLinearizable(history, { inconclusive: ctx.inconclusive });
          }),
        ),
    };
    const result = await new ConformanceRun(new OneBadRead()).runClause(clause);
    expect(result.status).toBe('inconclusive');
    expect(result.reason).toMatch(/^the linearizability search gave up on session ".*x" after 1000000 tries \(101 operations\)$/);
  });
});
