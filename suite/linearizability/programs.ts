/**
 * Concurrent workloads: small programs, one per client, whose operations run in flight together.
 * Every write carries a value no other write has, so the checker can tell writes apart.
 */
import fc from 'fast-check';
import type { SessionData, SessionStore } from '../contract.js';
import { recordOp, type History, type HistoryClock, type OpName, type Operation } from './history.js';

export interface PlannedOp {
  op: OpName;
  /** Index into the run's session names. */
  session: number;
  /** For set, touch and update: a long TTL, or a short one (index 1) where the run can use it. */
  short: boolean;
}

export const INCREMENT = { fn: (d: SessionData): SessionData => ({ ...d, n: (typeof d.n === 'number' ? d.n : 0) + 1 }), fnLabel: 'n += 1' };

export function plannedOps(options: { sessions: number; touch: boolean; update: boolean; shortTtl: boolean }): fc.Arbitrary<PlannedOp> {
  const ops: OpName[] = ['get', 'set', 'set', 'pop'];
  if (options.touch) ops.push('touch');
  if (options.update) ops.push('update');
  return fc.record({
    op: fc.constantFrom(...ops),
    session: fc.nat({ max: options.sessions - 1 }),
    short: options.shortTtl ? fc.boolean() : fc.constant(false),
  });
}

export function programs(op: fc.Arbitrary<PlannedOp>, clients: { min: number; max: number }, opsPerClient: { min: number; max: number }): fc.Arbitrary<PlannedOp[][]> {
  return fc.array(fc.array(op, { minLength: opsPerClient.min, maxLength: opsPerClient.max }), { minLength: clients.min, maxLength: clients.max });
}

export interface ProgramRun {
  stores: SessionStore[];
  ids: string[];
  ttls: [long: number, short: number];
  clock: HistoryClock;
  /** Gates around each call: a scheduler's, in deterministic runs. */
  beforeCall?: (label: string) => Promise<void>;
  deliver?: <T>(result: Promise<T>, label: string) => Promise<T>;
}

/** Runs every client's program at once (client c on store c mod n) and returns the history. */
export async function runPrograms(programsToRun: PlannedOp[][], run: ProgramRun): Promise<History> {
  const history: History = [];
  await Promise.all(
    programsToRun.map(async (program, client) => {
      const store = run.stores[client % run.stores.length]!;
      for (const [step, planned] of program.entries()) {
        const id = run.ids[planned.session]!;
        const ttlMs = run.ttls[planned.short ? 1 : 0];
        const input: Operation['input'] =
          planned.op === 'set' ? { data: { client, step }, ttlMs } : planned.op === 'update' ? { ...INCREMENT, ttlMs } : planned.op === 'touch' ? { ttlMs } : {};
        const label = `client ${client} ${planned.op} ${planned.session}`;
        await run.beforeCall?.(label);
        await recordOp(history, run.clock, store, client, { op: planned.op, id, input }, run.deliver && ((result) => run.deliver!(result, `${label} returns`)));
      }
    }),
  );
  return history;
}

/**
 * Read-modify-write through get then set: `writers` clients each read a counter and write it back
 * incremented, all at once, after it was set to 0; then one last read. Increments may be lost (a
 * store without `update` has no better), but the history must still be linearizable.
 */
export async function incrementThroughGetSet(stores: SessionStore[], id: string, run: { writers: number; ttlMs: number; clock: HistoryClock }): Promise<History> {
  const history: History = [];
  const { ttlMs, clock } = run;
  await recordOp(history, clock, stores[0]!, 0, { op: 'set', id, input: { data: { n: 0 }, ttlMs } });
  await Promise.all(
    Array.from({ length: run.writers }, async (_, i) => {
      const store = stores[i % stores.length]!;
      const read = await recordOp(history, clock, store, i + 1, { op: 'get', id, input: {} });
      const current = read.output as SessionData | undefined;
      if (current) await recordOp(history, clock, store, i + 1, { op: 'set', id, input: { data: INCREMENT.fn(current), ttlMs } });
    }),
  );
  await recordOp(history, clock, stores[0]!, 0, { op: 'get', id, input: {} });
  return history;
}
