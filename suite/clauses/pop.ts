import fc from 'fast-check';
import { sessionData } from '../arbitraries.js';
import { checkInScope, expectSame, type Clause } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import { LONG_TTL_MS } from '../harness.js';

export const pop: Clause = {
  id: 'pop',
  title: 'pop returns the live value and removes it',
  level: 'MUST',
  meaning: 'a logout leaves the session usable, or a one-time value can be read again',
  cause: 'pop returns the value without deleting it',
  check: (ctx) =>
    ctx.withStore((h) =>
      checkInScope(ctx, h, fc.tuple(ctx.ids.sessionIds, sessionData), async (scope, [name, data]) => {
        const id = scope.id(name);
        await h.store.set(id, cloneJson(data), LONG_TTL_MS);
        expectSame(await h.store.pop(id), data, 'pop of a live session');
        expectSame(await h.store.get(id), undefined, 'get after pop');
        expectSame(await h.store.pop(id), undefined, 'a second pop');
        if (h.store.touch) expectSame(await h.store.touch(id, LONG_TTL_MS), false, 'touch after pop');
      }),
    ),
  doc: {
    summary: '`pop` returns the live value and removes it',
    heading: 'Pop',
    whyLevel: 'a logout that leaves the session readable does not log out',
    body: `
      \`pop\` of a live session returns its value and removes it; afterwards \`get\` and \`pop\` return
      \`undefined\` and \`touch\` returns \`false\`.
    `,
  },
};
