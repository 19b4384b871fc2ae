/**
 * The suite proves itself on express stores too: each broken connect-style store, spoken to
 * through fromExpressStore, is caught by exactly the clauses its bug breaks.
 */
import session from 'express-session';
import { describe, expect, it } from 'vitest';
import { checkConformance, fromExpressStore, systemClock, type StoreFactory } from '../entry/index.js';
import { checkHistory, monotonicClock, recordOp, type History } from '../suite/linearizability/index.js';
import { expressDefects } from './broken/express-defects.js';
import { failedThroughPlatform } from './support/platform-failures.js';
import { shareOf } from './support/share.js';

const SEEDS = shareOf([11, 22, 33]);

// One store at a time: each runs real-time clauses, and seven of them side by side in one worker
// held each other's loops long enough that a timed clause judged too little to catch its bug
// (Node 26 in CI, 1 run in 3).
describe('broken express stores are caught by exactly the clauses they break', () => {
  for (const defect of expressDefects) {
    it(defect.name, async () => {
      for (const seed of SEEDS) {
        const report = await checkConformance(defect.target, { seed });
        const failing = report.clauses.filter((c) => c.status === 'fail' && !failedThroughPlatform(c, defect.fails.includes(c.id)));
        expect(failing.map((c) => c.id), `seed ${seed}:\n${failing.map((c) => `${c.id}: ${c.error?.split('\n')[0]}`).join('\n')}`).toEqual(defect.fails);
      }
    });
  }
});

/**
 * The race no-resurrection runs that shows "touch implemented as a full set" without any pop,
 * touch ∥ set, on its own: the checker must reject the broken store's history and accept the
 * correct one's.
 */
describe('touch implemented as a full set, without a pop in the race', () => {
  async function touchRacingSet(target: StoreFactory): Promise<History> {
    const store = await target.open({ clock: systemClock });
    const history: History = [];
    const id = `touch-race-${target.name}`;
    const ttlMs = 60_000;
    await recordOp(history, monotonicClock, store, 0, { op: 'set', id, input: { data: { v: 1 }, ttlMs } });
    await Promise.all([
      recordOp(history, monotonicClock, store, 1, { op: 'touch', id, input: { ttlMs } }),
      recordOp(history, monotonicClock, store, 2, { op: 'set', id, input: { data: { v: 2 }, ttlMs } }),
    ]);
    await recordOp(history, monotonicClock, store, 0, { op: 'get', id, input: {} });
    await store.pop(id);
    return history;
  }

  it('rolls the concurrent set back, and the checker says so', async () => {
    const broken = expressDefects.find((d) => d.name === 'touch implemented as a full set')!;
    const history = await touchRacingSet(broken.target);
    expect(history.at(-1)!.output).toEqual({ v: 1 });
    expect(checkHistory(history).ok).toBe(false);
  });

  it('while express-session’s own MemoryStore keeps the newer data', async () => {
    const history = await touchRacingSet(fromExpressStore(new session.MemoryStore(), { name: 'express-session MemoryStore' }));
    expect(history.at(-1)!.output).toEqual({ v: 2 });
    expect(checkHistory(history).ok).toBe(true);
  });
});

/**
 * express-session loads a session, then touches it: when the touch lands after the deadline, the
 * store rightly ignores it, though the load said live. A false alarm on express-session's own
 * MemoryStore on a loaded machine; pinned here with a touch that always lands that late.
 */
describe('a touch that lands after the session it loaded expired', () => {
  it('is not judged: express-session’s MemoryStore with a slow touch never fails touch or ttl-range', async () => {
    const LATE_MS = 450;
    class SlowTouchStore extends session.MemoryStore {
      override touch(sid: string, sess: session.SessionData, callback?: () => void): void {
        setTimeout(() => super.touch(sid, sess, callback), LATE_MS);
      }
    }
    const report = await checkConformance(fromExpressStore(new SlowTouchStore(), { name: 'slow touch' }), { only: ['touch', 'ttl-range'], seed: 5 });
    // Judged on a larger time unit, or, when even that was too short, inconclusive: never failed.
    for (const clause of report.clauses) expect(['pass', 'inconclusive'], `${clause.id}: ${clause.error}`).toContain(clause.status);
  });
});
