import fc from 'fast-check';
import { aliasingIdPairs, leadingAliasingIdPairs, sessionData } from '../arbitraries.js';
import { checkInScope, expectSame, type Clause } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import { LONG_TTL_MS } from '../harness.js';

export const idIsolation: Clause = {
  id: 'id-isolation',
  title: 'distinct ids never alias, however alike they look',
  level: 'MUST',
  meaning: 'two users can read each other\'s session',
  cause: 'ids are normalized before they become keys (case, Unicode form, trimming, stripping invisible characters or accents, URL-decoding, truncation, sanitizing): use the id exactly, or a hash of it',
  check: (ctx) =>
    ctx.withStore(async (h) => {
      // Each trap gets its own runs (half of numRuns): a random mix of traps could skip one on some seed.
      const run = { ...ctx, numRuns: Math.ceil(ctx.numRuns / 2) };
      // On a store that declares its ids or refuses some, a trap whose ids all fall outside cannot be set.
      const traps = [
        ...Object.entries(aliasingIdPairs).map(([trap, pairs]) => ({ trap, leading: false, pairs: ctx.ids.restrict(pairs, (pair) => pair) })),
        // These sit at the very start of the id, where the scope's prefix would otherwise hide them.
        ...Object.entries(leadingAliasingIdPairs).map(([trap, pairs]) => ({ trap, leading: true, pairs: ctx.ids.restrict(pairs, (pair) => pair, true) })),
      ];
      // Listed before any trap runs, so that a failure reports them too.
      const untried = traps.filter(({ pairs }) => !pairs).map(({ trap }) => trap);
      if (untried.length > 0) ctx.findings.trapsOutsideTheIds = untried;
      for (const { trap, leading, pairs } of traps) {
        if (!pairs) continue;
        await checkInScope(
          run,
          h,
          fc.tuple(pairs, sessionData, sessionData),
          async (scope, [[nameA, nameB], dataA, dataB]) => {
            const [a, b] = leading ? [scope.leadingId(nameA), scope.leadingId(nameB)] : [scope.id(nameA), scope.id(nameB)];
            await h.store.set(a, cloneJson(dataA), LONG_TTL_MS);
            expectSame(await h.store.get(b), undefined, 'get of the second id while only the first is set');
            await h.store.set(b, cloneJson(dataB), LONG_TTL_MS);
            expectSame(await h.store.get(a), dataA, 'get of the first id after setting the second');
            expectSame(await h.store.pop(a), dataA, 'pop of the first id');
            expectSame(await h.store.get(b), dataB, 'get of the second id after popping the first');
            if (h.store.touch) expectSame(await h.store.touch(a, LONG_TTL_MS), false, 'touch of the popped first id');
          },
          ([value]) => `${trap}: ${fc.stringify(value)}`,
        );
      }
    }),
};
