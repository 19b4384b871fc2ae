/**
 * A hot session built by hand: thousands of operations on one id from four clients, each
 * overlapping its neighbours, correct by construction, so that one tampered operation is the only
 * thing wrong with it and a test knows exactly where the violation is.
 */
import type { SessionData } from '../../suite/contract.js';
import type { Operation } from '../../suite/linearizability/history.js';
import { INCREMENT } from '../../suite/linearizability/programs.js';

/**
 * One cycle of ten operations. Every fifth cycle pops at step 6 instead of setting, so its last
 * three reads see the session absent until the next cycle's set; every write is a value no other
 * write has.
 */
const CYCLE = ['set', 'get', 'get', 'touch', 'update', 'get', 'set', 'get', 'get', 'get'] as const;
const POP_EVERY = 5;
const TTL = 1e9;

/**
 * Operation i is called at 2i and returns at 2i + 3, so it overlaps operations i − 1 and i + 1;
 * taking effect at 2i + 1, in index order, explains every output, which is how they are computed.
 */
export function hotHistory(total: number, id = 'hot'): Operation[] {
  const ops: Operation[] = [];
  let value: SessionData | undefined;
  for (let i = 0; i < total; i++) {
    const step = i % CYCLE.length;
    const kind = step === 6 && Math.floor(i / CYCLE.length) % POP_EVERY === 0 ? 'pop' : CYCLE[step]!;
    const base = { client: i % 4, id, call: 2 * i, ret: 2 * i + 3 };
    switch (kind) {
      case 'set':
        value = { n: i };
        ops.push({ ...base, op: 'set', input: { data: value, ttlMs: TTL } });
        break;
      case 'get':
        ops.push({ ...base, op: 'get', input: {}, output: value });
        break;
      case 'pop':
        ops.push({ ...base, op: 'pop', input: {}, output: value });
        value = undefined;
        break;
      case 'touch':
        ops.push({ ...base, op: 'touch', input: { ttlMs: TTL }, output: value !== undefined });
        break;
      case 'update':
        value = value && INCREMENT.fn(value);
        ops.push({ ...base, op: 'update', input: { ...INCREMENT, ttlMs: TTL }, output: value });
        break;
    }
  }
  return ops;
}

/** The first operation at or after `from` that `matches`: where to tamper. */
export function findOp(ops: Operation[], from: number, matches: (op: Operation, i: number) => boolean): number {
  const i = ops.findIndex((op, j) => j >= from && matches(op, j));
  if (i < 0) throw new Error(`no operation from ${from} matches`);
  return i;
}
