/**
 * Names what went wrong in a history the search rejected, from the most specific pattern to the
 * most general. Each pattern asks "is there a pair of operations with no write between them", and
 * is answered with sorted arrays and running extremes: O(n log n) on a session of n operations.
 */
import type { Operation } from './history.js';
import type { Anomaly } from '../anomaly.js';

/** A JSON value as a string that equal values share, whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const sawSession = (op: Operation): boolean => (op.op === 'touch' ? op.output === true : op.op !== 'set' && op.output !== undefined);
const sawAbsent = (op: Operation): boolean => (op.op === 'touch' ? op.output === false : op.op !== 'set' && op.output === undefined);
const writes = (op: Operation): boolean => op.op === 'set' || (op.op === 'update' && op.output !== undefined);
const written = (op: Operation): unknown => (op.op === 'set' ? op.input.data : op.output);

/** The last index whose key is below `bound` in an ascending array of keys, or -1. */
function lastBelow(keys: number[], bound: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Operations sorted by one time, with running extremes of another, for "is there one before t with …". */
class Sweep {
  readonly keys: number[];
  readonly ops: Operation[];
  /** ops[best[i]] has the largest score among ops[0..i]; second[i] the next largest (or -1). */
  readonly #best: number[] = [];
  readonly #second: number[] = [];
  readonly #score: (op: Operation) => number;

  constructor(ops: Operation[], key: (op: Operation) => number, score: (op: Operation) => number) {
    this.ops = [...ops].sort((a, b) => key(a) - key(b));
    this.keys = this.ops.map(key);
    this.#score = score;
    let best = -1;
    let second = -1;
    this.ops.forEach((op, i) => {
      if (best < 0 || score(op) > score(this.ops[best]!)) [best, second] = [i, best];
      else if (second < 0 || score(op) > score(this.ops[second]!)) second = i;
      this.#best.push(best);
      this.#second.push(second);
    });
  }

  /** The best-scoring operation whose key is below `bound`, other than `except`. */
  bestBelow(bound: number, except?: Operation): Operation | undefined {
    const i = lastBelow(this.keys, bound);
    if (i < 0) return undefined;
    const best = this.ops[this.#best[i]!]!;
    if (best !== except) return best;
    const second = this.#second[i]!;
    return second < 0 ? undefined : this.ops[second];
  }

  maxBelow(bound: number, except?: Operation): number {
    const op = this.bestBelow(bound, except);
    return op ? this.#score(op) : -Infinity;
  }
}

/** The first index whose key is above `bound` in an ascending array of keys, or keys.length. */
function firstAbove(keys: number[], bound: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! <= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** For operations sorted by call: at each index, the one that returns first from there on. */
function suffixFirstReturn(byCall: Operation[]): Operation[] {
  const first: Operation[] = [];
  for (let i = byCall.length - 1; i >= 0; i--) {
    const later = first[i + 1];
    first[i] = later && later.ret < byCall[i]!.ret ? later : byCall[i]!;
  }
  return first;
}

function groupBy(ops: Operation[], key: (op: Operation) => string): Map<string, Operation[]> {
  const groups = new Map<string, Operation[]>();
  for (const op of ops) {
    const k = key(op);
    const group = groups.get(k);
    if (group) group.push(op);
    else groups.set(k, [op]);
  }
  return groups;
}

/** An anomaly's name, with the operations it rests on (none for 'not linearizable'), oldest call first. */
export interface Explanation {
  anomaly: Anomaly;
  evidence: Operation[];
}

const found = (anomaly: Anomaly, ...evidence: Operation[]): Explanation => ({ anomaly, evidence: evidence.sort((a, b) => a.call - b.call) });

/** `atomicPop` false: pop may be a read and a delete, so a double pop is no anomaly (see CheckOptions). */
export function classify(ops: Operation[], tolerance = 0, atomicPop = true): Anomaly {
  return explain(ops, tolerance, atomicPop).anomaly;
}

/**
 * What `classify` names, and the pair (or three) of operations that match its pattern: a failure
 * that shows only part of a hot session's history must still show these. With `stuck`, the
 * operation the search could not place (see stuckAt), the match that explains it: a history may
 * hold two anomalies, and a name resting on operations far from where the search got stuck
 * describes a failure the excerpt does not show. Without it, the first match.
 */
export function explain(ops: Operation[], tolerance = 0, atomicPop = true, stuck?: Operation): Explanation {
  const all = matches(ops, tolerance, atomicPop);
  return (stuck ? nearest(all, stuck) : all.next().value) ?? found('not linearizable');
}

/** How far apart two operations are in time: 0 when they overlap. */
const gap = (a: Operation, b: Operation): number => Math.max(0, a.call - b.ret, b.call - a.ret);

/**
 * The first match whose evidence holds `stuck`, else the one whose evidence comes nearest it in
 * time (on a tie, the first: the more specific pattern).
 */
function nearest(candidates: Iterable<Explanation>, stuck: Operation): Explanation | undefined {
  let best: Explanation | undefined;
  let bestGap = Infinity;
  for (const candidate of candidates) {
    if (candidate.evidence.includes(stuck)) return candidate;
    const distance = candidate.evidence.reduce((d, op) => Math.min(d, gap(op, stuck)), Infinity);
    if (distance < bestGap) [best, bestGap] = [candidate, distance];
  }
  return best;
}

/**
 * Every match of every pattern, the most specific pattern first: each pattern finds its matches in
 * O(n log n), and one match takes O(1) to yield, so all of them cost no more than looking for one.
 */
function* matches(ops: Operation[], tolerance: number, atomicPop: boolean): Generator<Explanation, void> {
  const done = ops.filter((o) => o.error === undefined).sort((a, b) => a.call - b.call);
  const allWrites = done.filter(writes);
  // A write that could take effect after `a` started and before `b` returned: w.ret > a.call && w.call < b.ret.
  const writesByCall = new Sweep(allWrites, (w) => w.call, (w) => w.ret);
  const writeBetween = (a: Operation, b: Operation, except?: Operation) => writesByCall.maxBelow(b.ret, except) > a.call;
  // From each index of writesByCall on, the write that returns first: "is a write done between a and b" in O(log n).
  const writesFrom = suffixFirstReturn(writesByCall.ops);
  const pops = done.filter((o) => o.op === 'pop' && o.output !== undefined);

  // A value no write stored (a store that adds a key of its own, such as a last-access stamp):
  // no order of operations explains it, stale or not. A failed set may have written its value;
  // a failed update, some value no one knows, which leaves this pattern out.
  if (!ops.some((o) => o.op === 'update' && o.error !== undefined)) {
    const everWritten = new Set(ops.filter((o) => o.op === 'set' || (o.op === 'update' && o.error === undefined && o.output !== undefined)).map((w) => canonical(written(w))));
    for (const q of done.filter((o) => (o.op === 'get' || o.op === 'pop') && o.output !== undefined)) {
      if (!everWritten.has(canonical(q.output))) yield found('value never written', q);
    }
  }

  // Two pops of one value with no write called in between (legal when pop is a read and a delete).
  if (atomicPop) {
    for (const group of groupBy(pops, (p) => canonical(p.output)).values()) {
      for (let i = 1; i < group.length; i++) {
        const [p1, p2] = [group[i - 1]!, group[i]!];
        const next = firstAbove(writesByCall.keys, p1.call);
        if (next === writesByCall.keys.length || writesByCall.keys[next]! >= p2.ret) yield found('double pop', p1, p2);
      }
    }
  }

  const popsByRet = new Sweep(pops, (p) => p.ret, (p) => p.call);
  const writesOf = new Map([...groupBy(allWrites, (w) => canonical(written(w)))].map(([value, ws]) => [value, new Sweep(ws, (w) => w.call, (w) => w.ret)]));
  /**
   * Whether a write may account for the session q saw after the pop p. When q read again the value
   * p took, only a write of that value can have brought it back: a write of another value in flight
   * with q may have taken effect after q read. A write certainly between them (called after p
   * returned, done before q was called) also rules the name out: q then read a stale value, not a
   * resurrected one. Otherwise, as before, any write in between may account for it.
   */
  const rewrittenBetween = (p: Operation, q: Operation): boolean => {
    if ((q.op !== 'get' && q.op !== 'pop') || canonical(q.output) !== canonical(p.output)) return writeBetween(p, q);
    const restored = (writesOf.get(canonical(q.output))?.maxBelow(q.ret) ?? -Infinity) > p.call;
    return restored || (writesFrom[firstAbove(writesByCall.keys, p.ret)]?.ret ?? Infinity) < q.call;
  };
  const extenders = new Sweep(done.filter((w) => writes(w) || (w.op === 'touch' && w.output === true)), (w) => w.call, (w) => w.ret + w.input.ttlMs! + tolerance);
  for (const q of done.filter(sawSession)) {
    // The pop that finished before q started and started last leaves the least room for a write.
    const p = popsByRet.bestBelow(q.call);
    if (p && !rewrittenBetween(p, q)) yield found('resurrection after pop', p, q);
    const latestDeadline = extenders.maxBelow(q.ret);
    if (latestDeadline > -Infinity && q.call >= latestDeadline) yield found('resurrection after expiry', extenders.bestBelow(q.ret)!, q);
  }

  const gets = done.filter((o) => o.op === 'get');
  const absentGets = new Sweep(gets.filter(sawAbsent), (g) => g.ret, (g) => g.call);
  for (const g2 of gets.filter(sawSession)) {
    const g1 = absentGets.bestBelow(g2.call);
    if (g1 && !writeBetween(g1, g2)) yield found('flip-flop', g1, g2);
  }

  // For each write, the absent read called after it returned that returned first: the least room for a write.
  const absentByCall = done.filter(sawAbsent);
  const absentCalls = absentByCall.map((q) => q.call);
  const firstReturnFrom = suffixFirstReturn(absentByCall);
  const anyPopByCall = new Sweep(done.filter((o) => o.op === 'pop'), (p) => p.call, (p) => p.ret);
  const popsOf = groupBy(pops, (p) => canonical(p.output));
  for (const s of allWrites) {
    const q = firstReturnFrom[firstAbove(absentCalls, s.ret)];
    if (!q || q.ret >= s.call + s.input.ttlMs! - tolerance) continue;
    // A pop that returned s's value took it; a pop that is a read and a delete may have deleted it blind.
    const removedBy = atomicPop ? (popsOf.get(canonical(written(s))) ?? []).some((p) => p.ret > s.call && p.call < q.ret) : anyPopByCall.maxBelow(q.ret) > s.call;
    if (!removedBy && !writeBetween(s, q, s)) yield found('lost write', s, q);
  }

  // Per value, the write of it that returned last.
  const lastSource = new Map<string, Operation>();
  for (const w of allWrites) {
    const k = canonical(written(w));
    const last = lastSource.get(k);
    if (!last || w.ret > last.ret) lastSource.set(k, w);
  }
  for (const q of done.filter((o) => sawSession(o) && o.op !== 'touch')) {
    // A write called after every write of q's value had returned, and done before q started.
    const source = lastSource.get(canonical(q.output));
    const w = writesFrom[firstAbove(writesByCall.keys, source?.ret ?? -Infinity)];
    if (w && w.ret < q.call) yield source ? found('stale read', source, w, q) : found('stale read', w, q);
  }
}
