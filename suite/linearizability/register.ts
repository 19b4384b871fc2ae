/**
 * The register a session id should behave as: absent, or a value with a deadline, as a model for
 * the search (model.ts). The model is nondeterministic where the history leaves things open: which
 * instant inside its call each operation took effect at (a zone of instants, see zone.ts), where
 * inside its window a deadline fell, and whether a failed call took effect at all.
 */
import type { SessionData } from '../contract.js';
import { jsonEqual } from '../json-equal.js';
import { deadlineWindow } from './deadline.js';
import { describeOperation, type Operation } from './history.js';
import type { Model, Step } from './model.js';
import { DEADLINE, FLOOR, Zone } from './zone.js';

export interface State {
  /** undefined: absent. */
  value: SessionData | undefined;
  json: string;
  zone: Zone;
  key: string;
}

const state = (value: SessionData | undefined, zone: Zone, json = value === undefined ? '-' : JSON.stringify(value)): State => {
  zone.normalize();
  return { value, json, zone, key: `${json}@${zone.key()}` };
};

const initialState = (): State => state(undefined, Zone.start());

/** The session is live at the instant F: F < D. */
function whenLive(s: State, at: Zone): Zone | null {
  if (s.value === undefined) return null;
  const z = at.clone();
  return z.constrain(FLOOR, DEADLINE, 0, true) ? z : null;
}

/** The session is absent at F: it never was, or its deadline has passed (D ≤ F). */
function whenExpired(s: State, at: Zone): Zone | null {
  const z = at.clone();
  return s.value === undefined || z.constrain(DEADLINE, FLOOR, 0, false) ? z : null;
}

/** A write at F: the new deadline lies in the deadline window of a write stamped [F, F]. */
function written(value: SessionData, ttlMs: number, at: Zone, tolerance: number): State {
  const z = at.clone();
  z.free(DEADLINE);
  const { earliest, latest } = deadlineWindow({ call: 0, ret: 0 }, ttlMs, tolerance);
  z.constrain(DEADLINE, FLOOR, latest, false);
  z.constrain(FLOOR, DEADLINE, -earliest, false);
  return state(value, z);
}

/** The states `step` can lead to from `s` while producing its recorded output. */
function next(s: State, step: Step<Operation>, tolerance: number): State[] {
  const { op } = step;
  const failed = op.error !== undefined;
  // A failed call may not have happened at all: no effect, and no instant taken.
  const out: State[] = failed ? [s] : [];
  const at = s.zone.advance(step.call, step.ret);
  if (at === null) return out;
  const accepts = (expected: unknown) => failed || jsonEqual(op.output, expected);
  // Computed only where an outcome needs them: most steps need one of the two.
  let liveZone: Zone | null | undefined;
  const live = () => (liveZone === undefined ? (liveZone = whenLive(s, at)) : liveZone);
  const expired = () => whenExpired(s, at);
  const absent = (z: Zone | null) => {
    if (z === null) return;
    const forgotten = z.clone();
    forgotten.free(DEADLINE);
    out.push(state(undefined, forgotten));
  };
  const ttlMs = op.input.ttlMs!;
  switch (step.part === 'whole' ? op.op : step.part) {
    case 'get':
    case 'read':
      if (s.value !== undefined && accepts(s.value) && live()) out.push(state(s.value, live()!, s.json));
      if (accepts(undefined)) absent(expired());
      break;
    case 'set':
      out.push(written(op.input.data!, ttlMs, at, tolerance));
      break;
    case 'pop':
      if (s.value !== undefined && accepts(s.value)) absent(live());
      if (accepts(undefined)) absent(expired());
      break;
    case 'delete':
      absent(at);
      break;
    case 'touch':
      if (accepts(true) && live()) out.push(written(s.value!, ttlMs, live()!, tolerance));
      if (accepts(false)) absent(expired());
      break;
    case 'update': {
      if (live()) {
        const updated = op.input.fn!(structuredClone(s.value!));
        if (accepts(updated)) out.push(written(updated, ttlMs, live()!, tolerance));
      }
      if (accepts(undefined)) absent(expired());
      break;
    }
  }
  return out;
}

export interface RegisterOptions {
  /** How far expiry may fire before or after its instant + ttl (the target's TTL resolution). */
  toleranceMs?: number;
  /**
   * Whether pop is one atomic step (default). When false, as for a store that pops with a get
   * and a delete, each pop is a read and then a delete at its own instant inside the call.
   */
  atomicPop?: boolean;
}

const RELAXED_POP = ['read', 'delete'] as const;

/** One register per session id, with an atomic pop or (atomicPop: false) a pop that is a read, then a delete. */
export function sessionRegister(options: RegisterOptions = {}): Model<State, Operation> {
  const tolerance = options.toleranceMs ?? 0;
  const atomicPop = options.atomicPop ?? true;
  return {
    partition: (op) => op.id,
    init: initialState,
    ...(!atomicPop && { parts: (op: Operation) => (op.op === 'pop' ? RELAXED_POP : undefined) }),
    step: (state, step) => next(state, step, tolerance),
    key: (state) => state.key,
    covers: (general, specific) => general.json === specific.json && specific.zone.within(general.zone),
    describeOperation,
  };
}
