import fc from 'fast-check';
import { sessionData } from '../arbitraries.js';
import { checkInScope, expectSame, type Clause } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import { LONG_TTL_MS } from '../harness.js';
import { checkExpiryRestart } from './expiry-restart.js';

export const replace: Clause = {
  id: 'replace',
  title: 'set on an existing id replaces the whole value and restarts expiry',
  level: 'MUST',
  realTime: true,
  meaning: 'users are logged out early after logging in again, or see data from their previous session',
  cause: 'an expiry timer from an earlier set still fires, or set merges into the old value: clear or ignore old timers on every set, and overwrite the whole value',
  check: (ctx) =>
    ctx.withStore(async (h) => {
      await checkInScope(ctx, h, fc.tuple(ctx.ids.sessionIds, sessionData, sessionData), async (scope, [name, before, after]) => {
        const id = scope.id(name);
        await h.store.set(id, cloneJson(before), LONG_TTL_MS);
        await h.store.set(id, cloneJson(after), LONG_TTL_MS);
        expectSame(await h.store.get(id), after, 'get after replacing a session (no merge with the old value)');
      });
      await checkExpiryRestart(ctx, h, { name: 'set', call: (id, data, ttlMs) => h.store.set(id, data, ttlMs), expected: (_, after) => after });
    }),
  doc: {
    summary: '`set` on an existing id replaces the whole value and restarts expiry',
    heading: 'Replace',
    whyLevel: `a re-login that keeps old data or the old deadline mixes two sessions' rights and lifetimes`,
    body: `
      \`set\` on an existing id replaces the whole value (no merge with the old one) and restarts expiry
      from the new \`ttlMs\`, whether that makes the session live longer or shorter than before.
    `,
  },
};
