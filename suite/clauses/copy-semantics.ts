import fc from 'fast-check';
import { sessionData } from '../arbitraries.js';
import { checkInScope, expectSame, type Clause } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import type { Json, SessionData } from '../contract.js';
import { LONG_TTL_MS } from '../harness.js';

/** Changes every object and array in the tree in place, as careless application code would. */
function scribble(value: Json | undefined): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach(scribble);
    value.push('scribbled');
    return;
  }
  for (const key of Object.keys(value)) {
    scribble(value[key]);
    value[key] = 'scribbled';
  }
  value.scribbled = true;
}

export const copySemantics: Clause = {
  id: 'copy-semantics',
  title: 'mutating an object passed to set, returned by an update\'s function, or returned by get, update or pop never changes what is stored',
  level: 'MUST',
  meaning: 'changing a session object in one request changes what other requests read, without a save',
  cause: 'the store keeps the caller\'s object: copy on the way in and out',
  check: (ctx) =>
    ctx.withStore((h) =>
      checkInScope(ctx, h, fc.tuple(ctx.ids.sessionIds, sessionData, sessionData), async (scope, [name, data, updated]) => {
        const id = scope.id(name);
        const passed = cloneJson(data);
        await h.store.set(id, passed, LONG_TTL_MS);
        scribble(passed);
        expectSame(await h.store.get(id), data, 'get after mutating the object passed to set');
        scribble(await h.store.get(id));
        expectSame(await h.store.get(id), data, 'get after mutating an object returned by get');
        if (h.store.update) {
          // The function may be retried: each call returns a fresh object, and the app may keep the last.
          let returned: SessionData | undefined;
          scribble(await h.store.update(id, () => (returned = cloneJson(updated)), LONG_TTL_MS));
          scribble(returned);
          expectSame(await h.store.get(id), updated, 'get after mutating what update returned and what its function returned');
        }
        const popped = await h.store.pop(id);
        scribble(popped);
        expectSame(await h.store.get(id), undefined, 'get after pop and mutating what pop returned');
      }),
    ),
  doc: {
    summary: 'mutating objects passed in or handed out never changes what is stored',
    heading: 'Copy semantics',
    whyLevel: 'request code mutating a shared object changes the stored session without a save',
    body: `
      Mutating the object passed to \`set\`, the object an \`update\`'s function returned, or an object
      returned by \`get\`, \`update\` or \`pop\`, never changes what the store holds.
    `,
  },
};
