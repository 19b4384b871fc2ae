/**
 * Recording what concurrent clients did: every operation with when it was called and when it
 * returned, in a form the linearizability checker reads.
 */
import type { SessionData, SessionStore } from '../contract.js';
import { describeCall, messageOf } from '../describe-value.js';
import type { Call } from './model.js';

export type OpName = 'get' | 'set' | 'pop' | 'touch' | 'update';

export interface Operation extends Call {
  client: number;
  op: OpName;
  id: string;
  /** set: data; set/touch/update: ttlMs; update: the pure function applied (and a label for it). */
  input: { data?: SessionData; ttlMs?: number; fn?: (current: SessionData) => SessionData; fnLabel?: string };
  /** What the call resolved to (undefined for an absent session). */
  output?: unknown;
}

export type History = Operation[];

/**
 * Real monotonic milliseconds, the one real-time clock of the suite (histories and timed clauses).
 * Captured at load: a test file's fake timers must not bend the suite's own sense of time.
 */
export const monotonicNow: () => number = performance.now.bind(performance);

/** Time for a history: real monotonic milliseconds, or a logical counter for scheduled runs. */
export interface HistoryClock {
  now(): number;
}

export const monotonicClock: HistoryClock = { now: monotonicNow };

export function sequenceClock(): HistoryClock {
  let seq = 0;
  return { now: () => ++seq };
}

/**
 * Runs one store call, appends it to `history` and returns it. Errors are recorded, not thrown: a
 * failed write is an operation that may or may not have happened.
 */
export async function recordOp(
  history: History,
  clock: HistoryClock,
  store: SessionStore,
  client: number,
  op: Omit<Operation, 'client' | 'call' | 'ret' | 'output' | 'error'>,
  /** Wraps the call, e.g. to let a scheduler decide when its result is delivered. */
  deliver: <T>(result: Promise<T>) => Promise<T> = (result) => result,
): Promise<Operation> {
  const call = clock.now();
  const { id, input } = op;
  const run = (): Promise<unknown> => {
    switch (op.op) {
      case 'get':
        return store.get(id);
      case 'set':
        return store.set(id, input.data!, input.ttlMs!);
      case 'pop':
        return store.pop(id);
      case 'touch':
        return store.touch!(id, input.ttlMs!);
      case 'update':
        return store.update!(id, input.fn!, input.ttlMs!);
    }
  };
  let entry: Operation;
  try {
    const result = run();
    // Handled now: a scheduler may deliver a rejection later, and it must not count as unhandled meanwhile.
    result.catch(() => {});
    const output = await deliver(result);
    entry = { client, ...op, output, call, ret: clock.now() };
  } catch (error) {
    entry = { client, ...op, error: messageOf(error), call, ret: clock.now() };
  }
  history.push(entry);
  return entry;
}

/** An operation as the store call it made: `store.set("a", {"v":1}, 1000)`. */
export function describeOperation(op: Operation): string {
  const args: unknown[] = [op.id];
  if (op.op === 'set') args.push(op.input.data);
  if (op.op === 'update') args.push(op.input.fn);
  if (op.input.ttlMs !== undefined) args.push(op.input.ttlMs);
  return describeCall(op.op, args);
}
