import fc from 'fast-check';
import { sessionData } from '../arbitraries.js';
import type { Clause } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import { checkTimed } from '../timeline.js';

export const expiry: Clause = {
  id: 'expiry',
  title: 'a session is live before now reaches set time + ttlMs and absent from then on; get never extends it',
  level: 'MUST',
  realTime: true,
  meaning: 'users are logged out too early, or stay logged in after their session should have ended',
  cause: 'a TTL taken in the wrong unit (seconds for milliseconds), a read that extends expiry, expired entries served until a sweep removes them, or a touch or update that re-arms a session already past its deadline',
  check: (ctx) =>
    ctx.withStore((h) =>
      checkTimed(
        ctx,
        h,
        'expiry',
        ctx.target.ttlResolutionMs,
        (tl) =>
          fc.record({
            // Real time cannot shrink, so its failures speak of time with data that says nothing.
            data: tl.exact ? sessionData : fc.constant({ n: 1 }),
            ttl: tl.exact ? fc.integer({ min: 1, max: 1e7 }) : fc.constant(3 * tl.unit),
            // Lazy expiry in one operation can hide its absence in another: vary which looks first.
            // An update first, before any read swept the session, is the one that can revive it.
            firstLook: fc.constantFrom('pop', 'touch', 'update', 'get'),
          }),
        async (tl, scope, { data, ttl, firstLook }) => {
          const id = scope.id('expiring');
          const [, write] = await tl.op(() => h.store.set(id, cloneJson(data), ttl), `set(ttl ${ttl})`);
          await tl.waitUntil(tl.liveCheckpoint(write, ttl));
          const [live, liveRead] = await tl.op(() => h.store.get(id));
          tl.expectLive('get', liveRead, live, data, write, ttl);
          await tl.waitUntil(tl.expiredCheckpoint(write, ttl));
          // Each way to look, and what it must see of an expired session.
          const looks: Record<typeof firstLook, [(() => Promise<unknown>) | undefined, unknown]> = {
            pop: [() => h.store.pop(id), undefined],
            touch: [h.store.touch && (() => h.store.touch!(id, 1e6)), false],
            update: [h.store.update && (() => h.store.update!(id, (current) => ({ ...current, updated: true }), 1e6)), undefined],
            get: [() => h.store.get(id), undefined],
          };
          for (const name of [firstLook, 'update', 'pop', 'touch', 'get'] as const) {
            const [look, absent] = looks[name];
            if (!look) continue;
            const [seen, read] = await tl.op(look);
            // A look that came too early (a timer that fired early) may legitimately have
            // touched a live session: nothing after it can be judged.
            if (!tl.expectExpired(name, read, seen, absent, write, ttl)) return;
          }
        },
      ),
    ),
  doc: {
    summary: 'live while `now < t + ttlMs`, absent from then on; `get` never extends expiry',
    heading: 'Expiry',
    whyLevel: 'a session outliving its TTL keeps a stolen cookie valid; one dying early logs users out',
    body: `
      A session set at time \`t\` with \`ttlMs\` is live while \`now < t + ttlMs\` and absent from
      \`now >= t + ttlMs\` on. \`get\`, \`pop\`, \`touch\` and \`update\` never see an expired session, whichever
      of them looks first. \`get\` never extends expiry (no sliding expiration). An expired session that no
      sweep has removed yet is gone all the same: a \`touch\` or an \`update\` of it returns \`false\` /
      \`undefined\` and never revives it with a fresh deadline (an \`UPDATE … WHERE sid = $1\` without the
      expiry in its \`WHERE\` does).

      *Tested with:* an injected clock, at exactly \`t + ttlMs − 1\` and \`t + ttlMs\`, with zero sleeping;
      on the system clock, with TTLs that are multiples of \`max(ttlResolutionMs, 100)\`, waits that run
      concurrently, and a tolerance of \`ttlResolutionMs\` either side of the deadline. A real-time check
      that happened inside the tolerance window proves nothing either way and is not judged, only
      counted (see [Levels and verdicts](#levels-and-verdicts)). After the deadline the first look is
      \`get\`, \`pop\`, \`touch\` or \`update\` at random and \`update\` always comes second, so that in half of
      the runs an \`update\` meets the expired session before any \`get\` or \`pop\` could sweep it.
    `,
  },
};
