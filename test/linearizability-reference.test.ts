/**
 * The checker agrees with a brute-force reference on every small history, both ways: it rejects
 * nothing some order explains (no false alarm) and accepts nothing none does (no miss).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionData } from '../suite/contract.js';
import { checkHistory, type Operation } from '../suite/linearizability/index.js';
import { bruteForceLinearizable } from './support/brute-force-linearizability.js';

const INCREMENT = { fn: (d: SessionData): SessionData => ({ ...d, n: (typeof d.n === 'number' ? d.n : 0) + 1 }), fnLabel: 'n += 1' };

interface Planned {
  op: Operation['op'];
  call: number;
  duration: number;
  ttlMs: number;
  n: number;
  failed: boolean;
  /** Where inside the call (0 to 1) it takes effect; a failed call may land after it gave up. */
  at: number;
  late: number;
  readAt: number;
  slip: number;
}

const planned = fc.record({
  op: fc.constantFrom<Operation['op']>('get', 'get', 'set', 'set', 'pop', 'touch', 'update'),
  call: fc.nat({ max: 20 }),
  duration: fc.nat({ max: 8 }),
  ttlMs: fc.constantFrom(1, 2, 4, 8, 1e6),
  n: fc.nat({ max: 2 }),
  failed: fc.nat({ max: 3 }).map((k) => k === 0), // a quarter of the calls fail or time out
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  late: fc.constantFrom(0, 0, 0, 5),
  readAt: fc.double({ min: 0, max: 1, noNaN: true }),
  slip: fc.double({ min: -1, max: 1, noNaN: true }),
});

/**
 * Runs the planned calls against a register in one order of instants, so the history starts out
 * linearizable; `mutate` then changes one recorded result, which usually makes it not.
 */
function simulate(plans: Planned[], toleranceMs: number, atomicPop: boolean, mutate: number | null, mutation: unknown): Operation[] {
  type Effect = { i: number; t: number; part: 'whole' | 'read' | 'delete' };
  const effects: Effect[] = [];
  plans.forEach((p, i) => {
    const t = p.call + p.at * p.duration + (p.failed ? p.late : 0);
    if (p.op === 'pop' && !atomicPop && !p.failed) effects.push({ i, t: p.call + p.readAt * (t - p.call), part: 'read' }, { i, t, part: 'delete' });
    else effects.push({ i, t, part: 'whole' });
  });
  effects.sort((a, b) => a.t - b.t);
  let value: SessionData | undefined;
  let deadline = -Infinity;
  const outputs: unknown[] = plans.map(() => undefined);
  const live = (t: number) => value !== undefined && t < deadline;
  for (const { i, t, part } of effects) {
    const p = plans[i]!;
    // Expiry fires anywhere within the tolerance of instant + ttl.
    const write = (v: SessionData) => {
      value = v;
      deadline = t + p.ttlMs + p.slip * toleranceMs;
    };
    if (!live(t)) value = undefined;
    if (p.failed && p.at > 0.5) continue; // a failed call that never happened
    switch (part === 'whole' ? p.op : part) {
      case 'get':
      case 'read':
        outputs[i] = value;
        break;
      case 'set':
        write({ n: p.n });
        break;
      case 'pop':
        outputs[i] = value;
        value = undefined;
        break;
      case 'delete':
        value = undefined;
        break;
      case 'touch':
        outputs[i] = value !== undefined;
        if (value) write(value);
        break;
      case 'update':
        outputs[i] = value && INCREMENT.fn(value);
        if (value) write(INCREMENT.fn(value));
        break;
    }
  }
  return plans.map((p, i): Operation => {
    const input: Operation['input'] = p.op === 'set' ? { data: { n: p.n }, ttlMs: p.ttlMs } : p.op === 'touch' ? { ttlMs: p.ttlMs } : p.op === 'update' ? { ...INCREMENT, ttlMs: p.ttlMs } : {};
    const op: Operation = { client: i, op: p.op, id: 's', input, call: p.call, ret: p.call + p.duration };
    if (p.failed) return { ...op, error: 'timed out' };
    if (p.op === 'set') return op;
    return { ...op, output: i === mutate ? (p.op === 'touch' ? outputs[i] !== true : mutation) : outputs[i] };
  });
}

const histories = fc
  .record({
    plans: fc.array(planned, { minLength: 1, maxLength: 7 }),
    toleranceMs: fc.constantFrom(0, 0, 1, 2),
    atomicPop: fc.boolean(),
    mutate: fc.option(fc.nat(), { freq: 4 }),
    mutation: fc.constantFrom(undefined, { n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }),
    // Sliding one call in time keeps its result but not always the order that explained it.
    shift: fc.option(fc.record({ op: fc.nat(), by: fc.integer({ min: -12, max: 12 }) }), { freq: 3 }),
  })
  .map(({ plans, toleranceMs, atomicPop, mutate, mutation, shift }) => {
    const history = simulate(plans, toleranceMs, atomicPop, mutate === null ? null : mutate % plans.length, mutation);
    if (shift) {
      const op = history[shift.op % history.length]!;
      Object.assign(op, { call: op.call + shift.by, ret: op.ret + shift.by });
    }
    return { toleranceMs, atomicPop, history };
  });

describe('the checker against a brute-force reference', () => {
  it('rejects the history of the issue: a deadline counts from where the write took effect, not from its call', () => {
    const history: Operation[] = [
      { client: 0, op: 'set', id: 's', input: { data: { v: 1 }, ttlMs: 1e6 }, call: 0, ret: 1 },
      { client: 1, op: 'set', id: 's', input: { data: { v: 2 }, ttlMs: 10 }, call: 2, ret: 100 },
      { client: 2, op: 'get', id: 's', input: {}, output: { v: 1 }, call: 50, ret: 51 },
      { client: 3, op: 'get', id: 's', input: {}, output: undefined, call: 55, ret: 56 },
    ];
    expect(bruteForceLinearizable(history, { toleranceMs: 0, atomicPop: true })).toBe(false);
    expect(checkHistory(history).ok).toBe(false);
    // With the absent read late enough for v2 to have expired, both accept it.
    const later = history.map((op, i) => (i === 3 ? { ...op, call: 61, ret: 62 } : op));
    expect(bruteForceLinearizable(later, { toleranceMs: 0, atomicPop: true })).toBe(true);
    expect(checkHistory(later).ok).toBe(true);
  });

  it('rejects a read of a value past the deadline its write could have had, however late the write returned', () => {
    const history: Operation[] = [
      { client: 0, op: 'set', id: 's', input: { data: { v: 1 }, ttlMs: 10 }, call: 0, ret: 100 },
      { client: 1, op: 'get', id: 's', input: {}, output: { v: 1 }, call: 20, ret: 21 },
      { client: 2, op: 'get', id: 's', input: {}, output: { v: 1 }, call: 50, ret: 51 },
    ];
    expect(bruteForceLinearizable(history, { toleranceMs: 0, atomicPop: true })).toBe(false);
    expect(checkHistory(history).ok).toBe(false);
  });

  it('agrees on thousands of small random histories with TTLs, failures and timeouts, both ways', () => {
    const verdicts = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(histories, ({ history, toleranceMs, atomicPop }) => {
        const expected = bruteForceLinearizable(history, { toleranceMs, atomicPop });
        expect(checkHistory(history, { toleranceMs, atomicPop }).ok).toBe(expected);
        verdicts[expected ? 'accepted' : 'rejected']++;
      }),
      // Seeded like every run of this project's tests (vitest.config.ts).
      { numRuns: 5000, seed: Number(process.env.SESSION_CONFORMANCE_SEED) },
    );
    
    // Both ways, in earnest: neither verdict is rare.
    expect(verdicts.accepted).toBeGreaterThan(1000);
    expect(verdicts.rejected).toBeGreaterThan(1000);
  });
});
