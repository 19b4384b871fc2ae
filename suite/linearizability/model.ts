/**
 * What a model is, as porcupine's `Model{Init, Step, Equal}`: the whole coupling between the
 * search (search.ts) and what it checks. A session register is one model (register.ts); a queue or
 * a counter would be another, checked by the same search.
 */

/** What every recorded call has: when it was made and returned, and whether it failed. */
export interface Call {
  call: number;
  ret: number;
  /** Set when the call rejected or timed out: it may or may not have taken effect. */
  error?: string;
  /**
   * For a failed call, when its promise settled, if the recorder saw it: any effect came before.
   * Unset, a failed call may take effect at any time after it was made, or never (Jepsen's :info).
   */
  settled?: number;
}

/**
 * What the search places, one at a time: an operation, or one part of an operation the model
 * takes as several (a pop that is a read, then a delete, each at its own instant inside the call).
 */
export interface Step<Op extends Call> {
  op: Op;
  /** `whole`, or the name of the part (the model's own). */
  part: string;
  call: number;
  /** Infinity for a failed call whose end is unknown: it may take effect any time after it was made, or never. */
  ret: number;
  /** Whether it may never take effect: a failed call whose end is unknown. */
  optional: boolean;
  /** For a later part: the part before it, which must be placed first. */
  after?: Step<Op>;
}

export interface Model<State, Op extends Call> {
  /** The independent objects of a history (a session id): each is searched on its own. */
  partition(op: Op): string;
  init(): State;
  /** The parts of an operation, in order, when the model takes it as more than one step. */
  parts?(op: Op): readonly string[] | undefined;
  /** The states `step` can lead to from `state` while producing its recorded output; none: it cannot. */
  step(state: State, step: Step<Op>): State[];
  /** Equal states have equal keys: the search's memo holds them. */
  key(state: State): string;
  /** Whether `general` allows every future that `specific` does, so that `specific` can be dropped. Default: equal keys. */
  covers?(general: State, specific: State): boolean;
  describeOperation(op: Op): string;
}

/** The steps of one partition's operations, in order of call. */
export function stepsOf<Op extends Call>(model: Model<unknown, Op>, ops: readonly Op[]): Step<Op>[] {
  const steps: Step<Op>[] = [];
  for (const op of ops) {
    const failed = op.error !== undefined;
    const ret = failed ? (op.settled ?? Infinity) : op.ret;
    const base = { op, call: op.call, ret, optional: ret === Infinity };
    // A failed call whose effect is unknown stays one step: it did all of it or nothing.
    const parts = failed ? undefined : model.parts?.(op);
    if (!parts || parts.length < 2) {
      steps.push({ ...base, part: 'whole' });
      continue;
    }
    let before: Step<Op> | undefined;
    for (const part of parts) {
      const step: Step<Op> = { ...base, part, ...(before && { after: before }) };
      steps.push(step);
      before = step;
    }
  }
  return steps.sort((a, b) => a.call - b.call);
}

/** Every state `step` leads to from any of `states`, without duplicates or states another covers. */
export function stepAll<State, Op extends Call>(model: Model<State, Op>, states: readonly State[], step: Step<Op>): State[] {
  const covers = model.covers ?? ((a: State, b: State) => model.key(a) === model.key(b));
  const found: State[] = [];
  for (const s of states) {
    for (const n of model.step(s, step)) {
      if (found.some((f) => covers(f, n))) continue;
      for (let i = found.length - 1; i >= 0; i--) if (covers(n, found[i]!)) found.splice(i, 1);
      found.push(n);
    }
  }
  return found;
}
