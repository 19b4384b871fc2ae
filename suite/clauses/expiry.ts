import fc from 'fast-check';
import { sessionData } from '../arbitraries.js';
import { expectSame, type Clause } from '../clause.js';
import { checkTimed } from '../timeline.js';

export const expiry: Clause = {
  id: 'expiry',
  title: 'a session is live before now reaches set time + ttlMs and absent from then on; get never extends it',
  level: 'MUST',
  check: (ctx) =>
    ctx.withStore((h) =>
      checkTimed(
        ctx,
        h,
        'expiry',
        ctx.target.ttlResolutionMs,
        (tl) =>
          fc.record({
            data: sessionData,
            ttl: tl.exact ? fc.integer({ min: 1, max: 1e7 }) : fc.constant(3 * tl.unit),
            // Lazy expiry in one operation can hide its absence in another: vary which looks first.
            firstLook: fc.constantFrom('pop', 'touch', 'get'),
          }),
        async (tl, scope, { data, ttl, firstLook }) => {
          const id = scope.id('expiring');
          const [, write] = await tl.op(() => h.store.set(id, structuredClone(data), ttl));
          await tl.waitUntil(tl.liveCheckpoint(write, ttl));
          const [live, liveRead] = await tl.op(() => h.store.get(id));
          if (tl.mustBeLive(write, ttl, liveRead)) expectSame(live, data, `get ${liveRead.ret - write.ret} ms into a ttlMs of ${ttl}`);
          await tl.waitUntil(tl.expiredCheckpoint(write, ttl));
          // Each way to look, and what it must see of an expired session.
          const looks: Record<typeof firstLook, [(() => Promise<unknown>) | undefined, unknown]> = {
            pop: [() => h.store.pop(id), undefined],
            touch: [h.store.touch && (() => h.store.touch!(id, 1e6)), false],
            get: [() => h.store.get(id), undefined],
          };
          for (const name of [firstLook, 'pop', 'touch', 'get'] as const) {
            const [look, absent] = looks[name];
            if (!look) continue;
            const [seen, read] = await tl.op(look);
            // A look that came too early (a timer that fired early) may legitimately have
            // touched a live session: nothing after it can be judged.
            if (!tl.mustBeExpired(write, ttl, read)) return;
            expectSame(seen, absent, `${name} ${read.call - write.ret} ms after set with ttlMs ${ttl}`);
          }
        },
      ),
    ),
};
