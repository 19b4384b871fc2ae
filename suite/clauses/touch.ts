import fc from 'fast-check';
import { sessionData } from '../arbitraries.js';
import type { Clause } from '../clause.js';
import { checkTimed } from '../timeline.js';
import { checkExpiryRestart } from './expiry-restart.js';

export const touch: Clause = {
  id: 'touch',
  title: 'touch restarts a live session and never revives an expired one',
  level: 'MUST',
  realTime: true,
  meaning: 'active users are logged out while they browse, or an expired session comes back to life',
  cause: 'touch writes a missing or expired session back, or restarts expiry from the wrong TTL',
  skipReason: (capabilities) => (capabilities.touch ? undefined : 'the store does not implement the optional touch'),
  check: (ctx) =>
    ctx.withStore(async (h) => {
      const touch = h.store.touch!;
      await checkExpiryRestart(ctx, h, { name: 'touch', call: (id, _data, ttlMs) => touch(id, ttlMs), resolvesOnLive: true, expected: (before) => before });
      await checkTimed(
        ctx,
        h,
        'touch after expiry',
        ctx.target.ttlResolutionMs,
        (tl) => fc.record({ data: tl.exact ? sessionData : fc.constant({ n: 1 }), ttl: tl.exact ? fc.integer({ min: 1, max: 1e6 }) : fc.constant(tl.unit) }),
        async (tl, scope, { data, ttl }) => {
          const id = scope.id('expired');
          const [, write] = await tl.op(() => h.store.set(id, data, ttl), `set(ttl ${ttl})`);
          await tl.waitUntil(tl.expiredCheckpoint(write, ttl));
          const [touched, touchCall] = await tl.op(() => touch(id, 1e6));
          // A touch that came too early may rightly have restarted a live session.
          if (!tl.expectExpired('touch', touchCall, touched, false, write, ttl)) return;
          const [seen, read] = await tl.op(() => h.store.get(id));
          tl.expectExpired('get', read, seen, undefined, write, ttl);
        },
      );
    }),
  doc: {
    summary: `restarts a live session's expiry, never revives an expired one (optional method)`,
    heading: 'Touch (when implemented)',
    whyLevel: 'a touch that revives an expired session undoes the timeout it was meant to respect',
    body: `
      On a live session, \`touch(id, ttlMs)\` resets expiry to \`now + ttlMs\` (later or earlier than
      before), leaves the data unchanged and returns \`true\`. On an absent or expired session it returns
      \`false\` and never revives it. A store without \`touch\` has this clause reported as skipped.

      On the system clock, a \`touch\` (or, in \`ttl-range\`, an \`update\`) that said the session was live
      but ended after the earliest possible old deadline is not judged afterwards: express-session loads
      a session, then touches it, and when the loop stalls in between the store rightly ignores a touch
      that lands after the deadline, though the load said live. It counts as unjudged, so the check
      retries on a larger time unit, then reports inconclusive.
    `,
  },
};
