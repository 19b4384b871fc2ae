/**
 * A reference checker that is slow and plain on purpose, to keep the real one honest: it tries
 * every order of the operations (and every subset of the failed ones, and every outcome of a
 * failed call), writes down what that order demands of the instants and deadlines as difference
 * constraints, and asks Bellman-Ford whether any choice of instants meets them all. No zones, no
 * memo, no frontier: nothing it shares with suite/linearizability/ but the history format.
 */
import type { SessionData } from '../../suite/contract.js';
import { jsonEqual } from '../../suite/json-equal.js';
import type { Operation } from '../../suite/linearizability/index.js';

/** x[to] − x[from] ≤ weight, or < weight when strict. */
interface Constraint {
  from: number;
  to: number;
  weight: number;
  strict: boolean;
}

/** Variable 0 is the constant zero; instants and deadlines get the next numbers. */
function feasible(variables: number, constraints: Constraint[]): boolean {
  // Shortest paths from a virtual source at distance 0 to every variable; weights are c − k·ε.
  const dist = Array.from({ length: variables }, () => ({ w: 0, k: 0 }));
  const shorter = (w: number, k: number, than: { w: number; k: number }) => w < than.w || (w === than.w && k > than.k);
  for (let round = 0; round <= variables; round++) {
    let changed = false;
    for (const c of constraints) {
      const w = dist[c.from]!.w + c.weight;
      const k = dist[c.from]!.k + (c.strict ? 1 : 0);
      if (shorter(w, k, dist[c.to]!)) {
        dist[c.to] = { w, k };
        changed = true;
      }
    }
    if (!changed) return true;
  }
  return false; // still relaxing after |V| rounds: a negative cycle
}

interface Event {
  op: Operation;
  part: 'whole' | 'read' | 'delete';
  /** The read half that must come first. */
  after?: Event;
}

interface Path {
  variables: number;
  constraints: Constraint[];
  /** The instant variable of the last event placed. */
  last: number;
  value: SessionData | undefined;
  /** The deadline variable of the current value. */
  deadline: number;
}

export function bruteForceLinearizable(history: Operation[], options: { toleranceMs: number; atomicPop: boolean }): boolean {
  const byId = new Map<string, Operation[]>();
  for (const op of history) if (!(op.op === 'get' && op.error !== undefined)) byId.set(op.id, [...(byId.get(op.id) ?? []), op]);
  return [...byId.values()].every((ops) => sessionLinearizable(ops, options));
}

function sessionLinearizable(ops: Operation[], { toleranceMs, atomicPop }: { toleranceMs: number; atomicPop: boolean }): boolean {
  const events: Event[] = [];
  for (const op of ops) {
    if (!atomicPop && op.op === 'pop' && op.error === undefined) {
      const read: Event = { op, part: 'read' };
      events.push(read, { op, part: 'delete', after: read });
    } else events.push({ op, part: 'whole' });
  }
  const placed = new Set<Event>();

  const search = (path: Path): boolean => {
    if (!feasible(path.variables, path.constraints)) return false;
    // Done when every event of a call that succeeded is placed; failed calls may never have happened.
    if (events.every((e) => placed.has(e) || e.op.error !== undefined)) return true;
    for (const e of events) {
      if (placed.has(e) || (e.after && !placed.has(e.after))) continue;
      placed.add(e);
      const found = outcomes(path, e).some(search);
      placed.delete(e);
      if (found) return true;
    }
    return false;
  };

  /** The paths that placing `e` next can lead to: one per outcome its result allows. */
  const outcomes = (path: Path, e: Event): Path[] => {
    const { op } = e;
    const failed = op.error !== undefined;
    const t = path.variables;
    const base: Constraint[] = [
      ...path.constraints,
      { from: t, to: 0, weight: -op.call, strict: false }, // t ≥ call
      ...(path.last < 0 ? [] : [{ from: t, to: path.last, weight: 0, strict: false }]), // t ≥ the previous instant
    ];
    if (!failed) base.push({ from: 0, to: t, weight: op.ret, strict: false }); // t ≤ ret
    const at = { ...path, variables: t + 1, constraints: base, last: t };
    const live = (): Path | null =>
      path.value === undefined ? null : { ...at, constraints: [...at.constraints, { from: path.deadline, to: t, weight: 0, strict: true }] }; // t < d
    const expired = (): Path => ({
      ...at,
      value: undefined,
      constraints: path.value === undefined ? at.constraints : [...at.constraints, { from: t, to: path.deadline, weight: 0, strict: false }], // d ≤ t
    });
    const write = (from: Path, value: SessionData): Path => {
      const d = from.variables;
      const ttl = op.input.ttlMs!;
      return {
        ...from,
        variables: d + 1,
        value,
        deadline: d,
        constraints: [
          ...from.constraints,
          { from: t, to: d, weight: ttl + toleranceMs, strict: false }, // d − t ≤ ttl + tolerance
          { from: d, to: t, weight: -(ttl - toleranceMs), strict: false }, // t − d ≤ −(ttl − tolerance)
        ],
      };
    };
    const sees = (expected: unknown) => failed || jsonEqual(op.output, expected);
    const result: Path[] = [];
    const l = live();
    switch (e.part === 'whole' ? op.op : e.part) {
      case 'get':
      case 'read':
        if (l && sees(path.value)) result.push(l);
        if (sees(undefined)) result.push(expired());
        break;
      case 'set':
        result.push(write(at, op.input.data!));
        break;
      case 'pop':
        if (l && sees(path.value)) result.push({ ...l, value: undefined });
        if (sees(undefined)) result.push(expired());
        break;
      case 'delete':
        result.push({ ...at, value: undefined });
        break;
      case 'touch':
        if (l && sees(true)) result.push(write(l, path.value!));
        if (sees(false)) result.push(expired());
        break;
      case 'update':
        if (l) {
          const updated = op.input.fn!(structuredClone(path.value!));
          if (sees(updated)) result.push(write(l, updated));
        }
        if (sees(undefined)) result.push(expired());
        break;
    }
    return result;
  };

  return search({ variables: 1, constraints: [], last: -1, value: undefined, deadline: -1 });
}
