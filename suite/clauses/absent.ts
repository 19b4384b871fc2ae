import { checkInScope, expectSame, type Clause } from '../clause.js';

export const absent: Clause = {
  id: 'absent',
  title: 'an id never set reads as absent, and touch creates nothing',
  level: 'MUST',
  meaning: 'a visitor without a session is treated as having one, or the app crashes on a miss',
  cause: 'a miss comes back as null, {} or an error instead of undefined',
  check: (ctx) =>
    ctx.withStore((h) =>
      checkInScope(ctx, h, ctx.ids.sessionIds, async (scope, name) => {
        const id = scope.id(name);
        expectSame(await h.store.get(id), undefined, 'get of an id never set');
        expectSame(await h.store.pop(id), undefined, 'pop of an id never set');
        if (h.store.touch) {
          expectSame(await h.store.touch(id, 60_000), false, 'touch of an id never set');
          expectSame(await h.store.get(id), undefined, 'get after touching an id never set');
        }
      }),
    ),
  doc: {
    summary: 'an id never set reads as absent, and `touch` creates nothing',
    heading: 'Absent',
    whyLevel: 'a phantom session for an unknown id (`{}` for a miss) can pass for a logged-in user',
    body: `
      \`get\` and \`pop\` of an id never set return \`undefined\`. \`touch\` of such an id returns \`false\` and
      creates nothing: a \`get\` afterwards still returns \`undefined\`.
    `,
  },
};
