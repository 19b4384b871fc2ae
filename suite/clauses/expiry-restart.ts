import fc from 'fast-check';
import { sessionData } from '../arbitraries.js';
import type { ClauseContext } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import { jsonEqual, preview } from '../json-equal.js';
import type { Harness } from '../harness.js';
import { checkTimed, type Timeline } from '../timeline.js';
import type { SessionData } from '../contract.js';

/** How a clause restarts a live session's expiry, and what it must see afterwards. */
export interface Restart {
  name: 'set' | 'touch';
  /** Restarts `id` with `ttlMs` (`data` is the new value, for a restart that writes one). */
  call(id: string, data: SessionData, ttlMs: number): Promise<unknown>;
  /** What the call must resolve to on a live session (touch: true); unset when it proves nothing. */
  resolvesOnLive?: unknown;
  /** The data a get must return after the restart: the new value (replace) or the old one (touch). */
  expected(before: SessionData, after: SessionData): SessionData;
}

/**
 * The scenario shared by `replace` and `touch`: a live session's expiry is restarted from the
 * new ttlMs, both when that outlives the old deadline and when it cuts it short.
 */
export async function checkExpiryRestart(ctx: ClauseContext, h: Harness, restart: Restart): Promise<void> {
  if (h.manualClock) {
    return checkRestarts(ctx, h, restart, 'expiry restart', () => fc.tuple(fc.integer({ min: 2, max: 1e6 }), fc.integer({ min: 1, max: 1e6 })));
  }
  // Real time runs each order every time, one after the other: [3u, 6u] proves the deadline moved
  // later, [6u, 2u] that it moved earlier. A draw between the two left one order out of some
  // seeds' samples, and a store whose old timer fires on the new session passed on them.
  await checkRestarts(ctx, h, restart, 'expiry restart later', (tl) => fc.constant([3 * tl.unit, 6 * tl.unit] as const));
  await checkRestarts(ctx, h, restart, 'expiry restart earlier', (tl) => fc.constant([6 * tl.unit, 2 * tl.unit] as const));
}

function checkRestarts(ctx: ClauseContext, h: Harness, restart: Restart, what: string, ttls: (tl: Timeline) => fc.Arbitrary<readonly [number, number]>): Promise<void> {
  return checkTimed(
    ctx,
    h,
    what,
    ctx.target.ttlResolutionMs,
    (tl) =>
      fc.record({
        // Real time cannot shrink, so its failures speak of time with data that says nothing.
        before: tl.exact ? sessionData : fc.constant({ n: 1 }),
        after: tl.exact ? sessionData : fc.constant({ n: 2 }),
        ttls: ttls(tl),
        delayFraction: tl.exact ? fc.double({ min: 0, max: 0.999, noNaN: true }) : fc.constant(0),
      }),
    async (tl, scope, { before, after, ttls: [firstTtl, secondTtl], delayFraction }) => {
      const id = scope.id('restart');
      const [, first] = await tl.op(() => h.store.set(id, cloneJson(before), firstTtl), `set(ttl ${firstTtl})`);
      await tl.waitUntil(first.ret + Math.floor(firstTtl * delayFraction));
      const restarted = `${restart.name}(ttl ${secondTtl})`;
      const [resolved, second] = await tl.op(() => restart.call(id, cloneJson(after), secondTtl));
      if (restart.resolvesOnLive !== undefined && !jsonEqual(resolved, restart.resolvesOnLive)) {
        if (tl.mustBeLive(first, firstTtl, second)) tl.fail(restarted, second, resolved, `a ${restart.name} of a live session must return ${preview(restart.resolvesOnLive)}`);
        // Late enough that the session may have expired first: then nothing was restarted.
        return;
      }
      tl.record(restarted, second);
      // A restart that ended past the earliest old deadline may have found the session expired,
      // though it said live: express-session loads a session, then touches it, and the loop can
      // stall in between. What lives after it proves nothing either way.
      if (!tl.mustBeLive(first, firstTtl, second)) return;
      await tl.waitUntil(tl.liveCheckpoint(second, secondTtl));
      const [live, liveRead] = await tl.op(() => h.store.get(id));
      tl.expectLive('get', liveRead, live, restart.expected(before, after), second, secondTtl);
      await tl.waitUntil(tl.expiredCheckpoint(second, secondTtl));
      const [gone, goneRead] = await tl.op(() => h.store.get(id));
      tl.expectExpired('get', goneRead, gone, undefined, second, secondTtl);
    },
  );
}
