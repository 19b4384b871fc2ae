import fc from 'fast-check';
import { sessionData } from '../arbitraries.js';
import { checkInScope, expectSame, type Clause } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import { LONG_TTL_MS } from '../harness.js';

export const crossInstance: Clause = {
  id: 'cross-instance',
  title: 'a session written through one instance is read, replaced, touched and popped through another',
  level: 'MUST',
  meaning: 'users see stale or missing sessions when their requests land on different app servers',
  cause: 'each instance caches sessions in its own memory without invalidation',
  skipReason: (_, target) => (target.sharedBackend ? undefined : 'the target does not declare sharedBackend'),
  check: (ctx) =>
    ctx.withStores(2, ([a, b]) =>
      checkInScope(ctx, a!, fc.tuple(ctx.ids.sessionIds, sessionData, sessionData), async (scope, [name, first, second]) => {
        const id = scope.id(name);
        await a!.store.set(id, cloneJson(first), LONG_TTL_MS);
        expectSame(await a!.store.get(id), first, 'get through instance A of a session set through A');
        expectSame(await b!.store.get(id), first, 'get through instance B of a session set through A');
        await b!.store.set(id, cloneJson(second), LONG_TTL_MS);
        expectSame(await a!.store.get(id), second, 'get through A after B replaced the session');
        if (b!.store.touch) expectSame(await b!.store.touch(id, LONG_TTL_MS), true, 'touch through B');
        expectSame(await b!.store.pop(id), second, 'pop through B');
        expectSame(await a!.store.get(id), undefined, 'get through A after B popped the session');
      }),
    ),
  doc: {
    summary: 'with `sharedBackend`, a session written through one instance is read, replaced, touched and popped through another',
    heading: 'Cross-instance (when the target declares `sharedBackend`)',
    whyLevel: `a store declaring a shared backend promised that app servers see each other's writes`,
    body: `
      A session written through one store instance is read, replaced, touched and popped through
      another opened on the same backend, as two app servers on one Redis would do. Instances read
      through their own caches must still see each other's writes.
    `,
  },
};
