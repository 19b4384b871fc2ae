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
          const after = `${tl.elapsed() - write.ret} ms after set with ttlMs ${ttl}`;
          const looks = {
            pop: async () => expectSame(await h.store.pop(id), undefined, `pop ${after}`),
            touch: async () => h.store.touch && expectSame(await h.store.touch(id, 1e6), false, `touch ${after}`),
            get: async () => expectSame(await h.store.get(id), undefined, `get ${after}`),
          };
          await looks[firstLook]();
          for (const look of Object.values(looks)) await look();
        },
      ),
    ),
};
