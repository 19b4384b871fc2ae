import type { Clause } from '../clause.js';
import { LONG_TTL_MS } from '../harness.js';
import { expectLinearizable } from '../linearizability/expect.js';
import { type History, monotonicClock, type Operation, recordOp } from '../linearizability/history.js';
import { violated } from '../property.js';
import { whileWaitingOnTime } from '../event-loop.js';
import { Timeline } from '../timeline.js';

const ROUNDS = 30;

type Race = Omit<Operation, 'client' | 'call' | 'ret' | 'output' | 'error' | 'id'>;

/** Races where a stale write-back shows: touch or set against pop, touch against set. */
function races(hasTouch: boolean): Race[][] {
  const touch: Race = { op: 'touch', input: { ttlMs: LONG_TTL_MS } };
  const races: Race[][] = [
    [{ op: 'pop', input: {} }, { op: 'get', input: {} }, { op: 'set', input: { data: { v: 2 }, ttlMs: LONG_TTL_MS } }],
  ];
  if (hasTouch) {
    // Touch first: a touch that reads, then writes back, must not undo the pop or the set.
    races.push([touch, { op: 'pop', input: {} }, { op: 'get', input: {} }]);
    races.push([touch, { op: 'set', input: { data: { v: 2 }, ttlMs: LONG_TTL_MS } }]);
    races.push([{ op: 'pop', input: {} }, touch, touch, { op: 'get', input: {} }]);
  }
  return races;
}

export const noResurrection: Clause = {
  id: 'no-resurrection',
  title: 'concurrent touch, set and pop never bring back a popped or expired session or roll data back',
  level: 'MUST',
  realTime: true,
  meaning: 'a logout can be undone by a concurrent request',
  cause: 'touch or save reads the whole session and writes it back: make touch only extend the expiry of a key that still exists',
  check: (ctx) =>
    ctx.withConcurrentStores(async (hs) => {
      const h = hs[0]!;
      for (let round = 0; round < ROUNDS; round++) {
        for (const race of races(h.hasTouch)) {
          await h.inScope(async (scope) => {
            const id = scope.id('race');
            const history: History = [];
            const record = (client: number, op: Race) => recordOp(history, monotonicClock, hs[client % hs.length]!.store, client, { ...op, id });
            await record(0, { op: 'set', input: { data: { v: 1 }, ttlMs: LONG_TTL_MS } });
            await Promise.all(race.map((op, i) => record(i + 1, op)));
            await record(0, { op: 'get', input: {} });
            expectLinearizable(history, { atomicPop: ctx.target.atomicPop, inconclusive: ctx.inconclusive, context: `race ${race.map((r) => r.op).join(' ∥ ')}` });
          });
        }
      }
      if (!h.hasTouch) return;
      // After a deadline has certainly passed, concurrent touches and reads must all find nothing.
      await h.inScope(async (scope) => {
        const id = scope.id('expired');
        const [seen, after] = await whileWaitingOnTime(async () => {
          const tl = new Timeline(h.manualClock, ctx.target.ttlResolutionMs);
          const ttl = tl.exact ? 1000 : tl.unit;
          const [, write] = await tl.op(() => h.store.set(id, { v: 1 }, ttl));
          await tl.waitUntil(tl.expiredCheckpoint(write, ttl));
          return [await Promise.all(hs.flatMap((x) => [x.store.touch!(id, LONG_TTL_MS), x.store.get(id), x.store.touch!(id, LONG_TTL_MS)])), await h.store.get(id)] as const;
        });
        if (seen.some((v) => v !== false && v !== undefined) || after !== undefined) violated(`resurrection after expiry: concurrent touch and get after the deadline saw ${JSON.stringify(seen)}, then get saw ${JSON.stringify(after)}`, { anomaly: 'resurrection after expiry' });
      });
    }),
  doc: {
    summary: 'concurrent touch / set / pop never bring back a popped or expired session or roll data back',
    heading: 'No resurrection, no stale write-back',
    whyLevel: 'a logout or expiry undone by a concurrent request lets a logged-out user back in',
    body: `
      Concurrent \`touch\` / \`set\` / \`pop\` / \`get\` races on one session never bring back a popped
      session, never roll its data back, and after its deadline has certainly passed, concurrent
      touches and reads all find nothing.
    `,
  },
};
