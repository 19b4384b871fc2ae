/**
 * A linearizability checker for session-store histories: Wing & Gong's search with Lowe's
 * memoisation, as porcupine does it, over each session id on its own (linearizability is
 * compositional). The memo key is exactly the search state: which steps are placed, and the set
 * of model states (values with their zones of instants), so a memo hit never hides an order.
 */
import { explain } from './anomalies.js';
import type { History, Operation } from './history.js';
import { initialState, nextAll, type State, type Step } from './model.js';

export interface CheckOptions {
  /** How far expiry may fire before or after its instant + ttl (the target's TTL resolution). */
  toleranceMs?: number;
  /**
   * Whether pop is one atomic step (default). When false, as for a store that pops with a get
   * and a delete, each pop is a read and then a delete at its own instant inside the call.
   */
  atomicPop?: boolean;
  /**
   * The most tries the search may spend on one session id. Some histories take it exponential
   * time, as many identical concurrent reads and one read nothing explains: it tries every subset
   * of the reads. Past the budget it gives up on that id, which is then undecided: neither a
   * violation nor linearizable. Default: DEFAULT_MAX_TRIES, or TRIES_PER_OPERATION for each of the
   * id's operations when that is more, so that a long history the search takes in linear time
   * (about one try per operation) is always decided.
   */
  maxTries?: number;
}

/**
 * About 1.5 s of search (0.6-0.9 million tries a second where measured). The suite's own
 * clauses stay far below it: their costliest history, a double pop among 16 concurrent pops,
 * takes about 61,000 tries; a correct history about one try per operation (40,000 operations on
 * one id: 40,000 tries).
 */
export const DEFAULT_MAX_TRIES = 1_000_000;

/** The default budget's floor per operation of a session id: ten times what a linear search takes. */
export const TRIES_PER_OPERATION = 10;

/**
 * The memo holds at most one entry per try, but a Set holds at most 2^24 entries: past that it
 * throws. A budget above it (or Infinity) still gives up before the Set is full, not with a crash.
 */
const MEMO_LIMIT = 16_000_000;

export type Anomaly = 'value never written' | 'double pop' | 'resurrection after pop' | 'resurrection after expiry' | 'lost write' | 'flip-flop' | 'stale read' | 'not linearizable';

export interface Violation {
  id: string;
  anomaly: Anomaly;
  ops: Operation[];
  /** The longest order of operations the model accepts before it gets stuck. */
  longestPrefix: Operation[];
  /**
   * The operations the anomaly's name rests on, oldest call first (none for 'not linearizable'):
   * a rendering of a long history shows them wherever they are. Optional: a violation built by
   * hand renders without them.
   */
  evidence?: Operation[];
}

/** A session id whose search ran out of budget: not known to be either linearizable or violated. */
export interface Undecided {
  id: string;
  /** The tries spent on it before giving up. */
  tries: number;
  /** Its operations, as checked (a failed read is left out: it tells nothing). */
  operations: number;
}

export interface CheckResult {
  /** Every session id was checked in full and is linearizable: no violation and nothing undecided. */
  ok: boolean;
  operations: number;
  violations: Violation[];
  /** Ids the search gave up on; `ok` is false while any is. A violation on another id still stands. */
  undecided: Undecided[];
  /** How many times the search tried to place a step: its cost, independent of the machine. */
  steps: number;
}

/** The steps of one session's operations, in order of call. */
function stepsOf(ops: Operation[], atomicPop: boolean): Step[] {
  const steps: Step[] = [];
  for (const op of ops) {
    const failed = op.error !== undefined;
    const base = { op, call: op.call, ret: failed ? Infinity : op.ret, optional: failed };
    // A failed pop deletes or does nothing either way: it stays one step.
    if (!atomicPop && op.op === 'pop' && !failed) {
      const read: Step = { ...base, part: 'read' };
      steps.push(read, { ...base, part: 'delete', after: read });
    }
    else steps.push({ ...base, part: 'whole' });
  }
  return steps.sort((a, b) => a.call - b.call);
}

interface Entry {
  step: number;
  isCall: boolean;
  time: number;
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

function buildList(steps: Step[]): Entry {
  const entries: Entry[] = [];
  steps.forEach((s, i) => {
    const call: Entry = { step: i, isCall: true, time: s.call, match: null, prev: null, next: null };
    const ret: Entry = { step: i, isCall: false, time: s.ret, match: null, prev: null, next: null };
    call.match = ret;
    entries.push(call, ret);
  });
  // Calls before returns at equal times: simultaneous operations are treated as concurrent.
  entries.sort((a, b) => a.time - b.time || Number(b.isCall) - Number(a.isCall) || a.step - b.step);
  const head: Entry = { step: -1, isCall: false, time: -Infinity, match: null, prev: null, next: null };
  let last = head;
  for (const entry of entries) {
    last.next = entry;
    entry.prev = last;
    last = entry;
  }
  return head;
}

function lift(entry: Entry): void {
  for (const e of [entry, entry.match!]) {
    e.prev!.next = e.next;
    if (e.next) e.next.prev = e.prev;
  }
}

function unlift(entry: Entry): void {
  for (const e of [entry.match!, entry]) {
    e.prev!.next = e;
    if (e.next) e.next.prev = e;
  }
}

/**
 * Which steps are placed, in a key as long as the stretch of the history still in play: every
 * required step before the first unplaced one is placed, and a step placed after it was called
 * before it returned (the search never places a step past a return it has not placed).
 */
class Placed {
  readonly #steps: Step[];
  readonly #placed: Uint8Array;
  readonly #optional: number[];
  /** The first unplaced required step. */
  #first = 0;

  constructor(steps: Step[]) {
    this.#steps = steps;
    this.#placed = new Uint8Array(steps.length);
    this.#optional = steps.flatMap((s, i) => (s.optional ? [i] : []));
    this.#skip();
  }

  has(i: number): boolean {
    return this.#placed[i] === 1;
  }

  place(i: number): void {
    this.#placed[i] = 1;
    if (i === this.#first) this.#skip();
  }

  unplace(i: number): void {
    this.#placed[i] = 0;
    if (!this.#steps[i]!.optional && i < this.#first) this.#first = i;
  }

  #skip(): void {
    while (this.#first < this.#steps.length && (this.#placed[this.#first] === 1 || this.#steps[this.#first]!.optional)) this.#first++;
  }

  key(): string {
    const first = this.#first;
    let key = `${first}:`;
    const until = this.#steps[first]?.ret ?? -Infinity;
    for (let i = first + 1; i < this.#steps.length && this.#steps[i]!.call <= until; i++) key += this.#placed[i];
    key += ':';
    for (const i of this.#optional) if (i < first && this.#placed[i] === 0) key += `${i},`;
    return key;
  }
}

/** One choice on the search's stack, linked to the one below: the longest prefix is just a pointer. */
interface Frame {
  entry: Entry;
  states: State[];
  below: Frame | null;
  depth: number;
}

const depthOf = (frame: Frame | null): number => frame?.depth ?? 0;

type Verdict = 'linearizable' | 'violation' | 'undecided';

/** Searches for a linearization of one session's steps; returns the longest prefix found on failure. */
function linearize(steps: Step[], tolerance: number, maxTries: number): { verdict: Verdict; longest: Step[]; tries: number } {
  const head = buildList(steps);
  const indexOf = new Map(steps.map((s, i) => [s, i]));
  const placed = new Placed(steps);
  let required = steps.filter((s) => !s.optional).length;
  let states: State[] = [initialState()];
  const seen = new Set<string>();
  let top: Frame | null = null;
  let longest: Frame | null = null;
  let tries = 0;
  const result = (verdict: Verdict) => {
    const prefix: Step[] = [];
    for (let f = longest; f; f = f.below) prefix.push(steps[f.entry.step]!);
    return { verdict, longest: prefix.reverse(), tries };
  };
  let entry = head.next;
  for (;;) {
    if (required === 0) return result('linearizable');
    if (entry === null) return result('violation');
    const step = steps[entry.step]!;
    if (entry.isCall) {
      if (tries >= maxTries || seen.size >= MEMO_LIMIT) return result('undecided');
      const ready = step.after === undefined || placed.has(indexOf.get(step.after)!);
      const next = ready ? nextAll(states, step, tolerance) : [];
      tries++;
      if (next.length > 0) {
        placed.place(entry.step);
        const key = `${placed.key()}|${next.length === 1 ? next[0]!.key : next.map((s) => s.key).sort().join(',')}`;
        if (!seen.has(key)) {
          seen.add(key);
          top = { entry, states, below: top, depth: depthOf(top) + 1 };
          if (top.depth > depthOf(longest)) longest = top;
          states = next;
          if (!step.optional) required--;
          lift(entry);
          entry = head.next;
          continue;
        }
        placed.unplace(entry.step);
      }
      entry = entry.next;
    } else {
      // A step returned before any order could place it: undo the last choice.
      if (!top) return result('violation');
      const undone: Frame = top;
      top = undone.below;
      states = undone.states;
      placed.unplace(undone.entry.step);
      if (!steps[undone.entry.step]!.optional) required++;
      unlift(undone.entry);
      entry = undone.entry.next;
    }
  }
}

/** The operations a prefix of steps placed in full, in order (a pop split in two counts at its delete). */
function operationsOf(prefix: Step[]): Operation[] {
  return prefix.filter((s) => s.part !== 'read').map((s) => s.op);
}

/**
 * After the longest prefix the search tried each operation called before the first unplaced one
 * returned, and none led on: that one, the earliest return among the operations it must place, is
 * where it got stuck. A failed call may never have happened, so it never holds the search up.
 */
export function stuckAt(ops: Operation[], placed: Set<Operation>): Operation | undefined {
  let stuck: Operation | undefined;
  for (const op of ops) {
    if (placed.has(op) || op.error !== undefined) continue;
    if (!stuck || op.ret < stuck.ret || (op.ret === stuck.ret && op.call < stuck.call)) stuck = op;
  }
  return stuck;
}

/** A violation of one session id, named after the anomaly where the search got stuck. */
function violationOf(id: string, ops: Operation[], longest: Step[], tolerance: number, atomicPop: boolean): Violation {
  const longestPrefix = operationsOf(longest);
  const stuck = stuckAt(ops, new Set(longestPrefix));
  return { id, ...explain(ops, tolerance, atomicPop, stuck), ops, longestPrefix };
}

export function checkHistory(history: History, options: CheckOptions = {}): CheckResult {
  const tolerance = options.toleranceMs ?? 0;
  const atomicPop = options.atomicPop ?? true;
  const byId = new Map<string, Operation[]>();
  // A failed read changed nothing and tells nothing.
  for (const op of history) {
    if (op.op === 'get' && op.error !== undefined) continue;
    const ops = byId.get(op.id);
    if (ops) ops.push(op);
    else byId.set(op.id, [op]);
  }
  const violations: Violation[] = [];
  const undecided: Undecided[] = [];
  let steps = 0;
  for (const [id, ops] of byId) {
    const sessionSteps = stepsOf(ops, atomicPop);
    const result = linearize(sessionSteps, tolerance, options.maxTries ?? Math.max(DEFAULT_MAX_TRIES, TRIES_PER_OPERATION * sessionSteps.length));
    steps += result.tries;
    if (result.verdict === 'violation') violations.push(violationOf(id, ops, result.longest, tolerance, atomicPop));
    else if (result.verdict === 'undecided') undecided.push({ id, tries: result.tries, operations: ops.length });
  }
  return { ok: violations.length === 0 && undecided.length === 0, operations: history.length, violations, undecided, steps };
}
