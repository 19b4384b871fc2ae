import fc from 'fast-check';
import { sessionData, sessionIds } from '../arbitraries.js';
import { expectSame, type Clause } from '../clause.js';
import { LONG_TTL_MS } from '../harness.js';
import { checkProperty } from '../property.js';
import { checkExpiryRestart } from './expiry-restart.js';

export const replace: Clause = {
  id: 'replace',
  title: 'set on an existing id replaces the whole value and restarts expiry',
  level: 'MUST',
  check: (ctx) =>
    ctx.withStore(async (h) => {
      await checkProperty(
        ctx,
        fc.asyncProperty(sessionIds, sessionData, sessionData, async (name, before, after) => {
          await h.inScope(async (scope) => {
            const id = scope.id(name);
            await h.store.set(id, structuredClone(before), LONG_TTL_MS);
            await h.store.set(id, structuredClone(after), LONG_TTL_MS);
            expectSame(await h.store.get(id), after, 'get after replacing a session (no merge with the old value)');
          });
        }),
      );
      await checkExpiryRestart(ctx, h, (id, data, ttlMs) => h.store.set(id, data, ttlMs), (_, after) => after);
    }),
};
