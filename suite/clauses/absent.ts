import { sessionIds } from '../arbitraries.js';
import { checkInScope, expectSame, type Clause } from '../clause.js';

export const absent: Clause = {
  id: 'absent',
  title: 'an id never set reads as absent, and touch creates nothing',
  level: 'MUST',
  check: (ctx) =>
    ctx.withStore((h) =>
      checkInScope(ctx, h, sessionIds, async (scope, name) => {
        const id = scope.id(name);
        expectSame(await h.store.get(id), undefined, 'get of an id never set');
        expectSame(await h.store.pop(id), undefined, 'pop of an id never set');
        if (h.store.touch) {
          expectSame(await h.store.touch(id, 60_000), false, 'touch of an id never set');
          expectSame(await h.store.get(id), undefined, 'get after touching an id never set');
        }
      }),
    ),
};
