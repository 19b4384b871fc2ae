/**
 * The linearizability search: Wing & Gong's, with Lowe's memoisation, as porcupine does it,
 * generic over a model (model.ts), over each partition on its own (linearizability is
 * compositional). The memo key is exactly the search state: which steps are placed, and the set
 * of model states, so a memo hit never hides an order. Past its budget it answers 'unknown'.
 */
import { monotonicNow } from './history.js';
import { stepAll, stepsOf, type Call, type Model, type Step } from './model.js';

export interface Budget {
  /**
   * The most tries the search may spend on one partition. Some histories take it exponential
   * time, as many identical concurrent reads and one read nothing explains: it tries every subset
   * of the reads. Past the budget it gives up on that partition, which is then unknown: neither a
   * violation nor linearizable. Default: DEFAULT_MAX_TRIES, or TRIES_PER_OPERATION for each of the
   * partition's operations when that is more, so that a long history the search takes in linear
   * time (about one try per operation) is always decided.
   */
  maxTries?: number;
  /** The most milliseconds the search may spend on one partition; past it, unknown as well. Default: no limit. */
  timeoutMs?: number;
}

/**
 * About 1.5 s of search (0.6-0.9 million tries a second where measured). The suite's own
 * clauses stay far below it: their costliest history, a double pop among 16 concurrent pops,
 * takes about 61,000 tries; a correct history about one try per operation (40,000 operations on
 * one id: 40,000 tries).
 */
export const DEFAULT_MAX_TRIES = 1_000_000;

/** The default budget's floor per operation of a partition: ten times what a linear search takes. */
export const TRIES_PER_OPERATION = 10;

/**
 * The memo holds at most one entry per try, but a Set holds at most 2^24 entries: past that it
 * throws. A budget above it (or Infinity) still gives up before the Set is full, not with a crash.
 */
const MEMO_LIMIT = 16_000_000;

/** How often (in tries) the search looks at the clock: reading it on every try would cost more than the try. */
const CLOCK_EVERY = 1024;

/** One partition's answer: linearizable (true), not (false), or unknown when the budget ran out. */
export interface PartitionResult<State, Op extends Call> {
  partition: string;
  valid: boolean | 'unknown';
  /** Its operations, in the order they were recorded. */
  ops: Op[];
  /** The longest order of steps the model accepts before it gets stuck (or before the search gave up). */
  longest: Step<Op>[];
  /** The states the model may be in after `longest`: what the next operation could have seen. */
  statesAfterLongest: State[];
  /** How many times the search tried to place a step: its cost, independent of the machine. */
  tries: number;
}

interface Entry {
  step: number;
  isCall: boolean;
  time: number;
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

function buildList(steps: Step<Call>[]): Entry {
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
  readonly #steps: Step<Call>[];
  readonly #placed: Uint8Array;
  readonly #optional: number[];
  /** The first unplaced required step. */
  #first = 0;

  constructor(steps: Step<Call>[]) {
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
interface Frame<State> {
  entry: Entry;
  /** The states before this step, and after it. */
  states: State[];
  after: State[];
  below: Frame<State> | null;
  depth: number;
}

const depthOf = (frame: Frame<unknown> | null): number => frame?.depth ?? 0;

/** Searches for a linearization of one partition's steps; returns the longest prefix found on failure. */
function linearize<State, Op extends Call>(model: Model<State, Op>, steps: Step<Op>[], maxTries: number, timeoutMs: number) {
  const head = buildList(steps);
  const indexOf = new Map(steps.map((s, i) => [s, i]));
  const placed = new Placed(steps);
  const deadline = monotonicNow() + timeoutMs;
  let required = steps.filter((s) => !s.optional).length;
  const initial = [model.init()];
  let states: State[] = initial;
  const seen = new Set<string>();
  let top: Frame<State> | null = null;
  let longest: Frame<State> | null = null;
  let tries = 0;
  const result = (valid: boolean | 'unknown') => {
    const prefix: Step<Op>[] = [];
    for (let f = longest; f; f = f.below) prefix.push(steps[f.entry.step]!);
    return { valid, longest: prefix.reverse(), statesAfterLongest: longest?.after ?? initial, tries };
  };
  const keyOf = (next: State[]) => (next.length === 1 ? model.key(next[0]!) : next.map(model.key).sort().join(','));
  let entry = head.next;
  for (;;) {
    if (required === 0) return result(true);
    if (entry === null) return result(false);
    const step = steps[entry.step]!;
    if (entry.isCall) {
      if (tries >= maxTries || seen.size >= MEMO_LIMIT || (tries % CLOCK_EVERY === 0 && monotonicNow() > deadline)) return result('unknown');
      const ready = step.after === undefined || placed.has(indexOf.get(step.after)!);
      const next = ready ? stepAll(model, states, step) : [];
      tries++;
      if (next.length > 0) {
        placed.place(entry.step);
        const key = `${placed.key()}|${keyOf(next)}`;
        if (!seen.has(key)) {
          seen.add(key);
          top = { entry, states, after: next, below: top, depth: depthOf(top) + 1 };
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
      if (!top) return result(false);
      const undone: Frame<State> = top;
      top = undone.below;
      states = undone.states;
      placed.unplace(undone.entry.step);
      if (!steps[undone.entry.step]!.optional) required++;
      unlift(undone.entry);
      entry = undone.entry.next;
    }
  }
}

/** The operations of `history` by partition, in the order first seen. */
export function partitions<Op extends Call>(model: Model<unknown, Op>, history: readonly Op[]): Map<string, Op[]> {
  const byPartition = new Map<string, Op[]>();
  for (const op of history) {
    const key = model.partition(op);
    const ops = byPartition.get(key);
    if (ops) ops.push(op);
    else byPartition.set(key, [op]);
  }
  return byPartition;
}

/** Searches each partition of `history` for a linearization under `model`. */
export function search<State, Op extends Call>(model: Model<State, Op>, history: readonly Op[], budget: Budget = {}): PartitionResult<State, Op>[] {
  const results: PartitionResult<State, Op>[] = [];
  for (const [partition, ops] of partitions(model, history)) {
    const steps = stepsOf(model, ops);
    const maxTries = budget.maxTries ?? Math.max(DEFAULT_MAX_TRIES, TRIES_PER_OPERATION * steps.length);
    results.push({ partition, ops, ...linearize(model, steps, maxTries, budget.timeoutMs ?? Infinity) });
  }
  return results;
}
