import { expectSame, type Clause } from '../clause.js';
import { INCREMENT } from '../linearizability/programs.js';
import { LONG_TTL_MS } from '../harness.js';
import { violated } from '../property.js';

const WRITERS = 16;
const ROUNDS = 10;

export const update: Clause = {
  id: 'update',
  title: 'update applies a function atomically: concurrent increments all survive, and an absent session stays absent',
  level: 'MUST',
  meaning: 'concurrent writes to one session lose each other\'s changes (a cart item disappears)',
  cause: 'update is a get, then a set: use a transaction, a compare-and-set or a server-side script',
  skipReason: (capabilities) => (capabilities.update ? undefined : 'the store does not implement the optional update'),
  check: (ctx) =>
    ctx.withConcurrentStores(async (hs) => {
      const h = hs[0]!;
      for (let round = 0; round < ROUNDS; round++) {
        await h.inScope(async (scope) => {
          const counter = scope.id('counter');
          await h.store.set(counter, { n: 0, keep: round }, LONG_TTL_MS);
          const results = await Promise.all(Array.from({ length: WRITERS }, (_, i) => hs[i % hs.length]!.store.update!(counter, INCREMENT.fn, LONG_TTL_MS)));
          const counts = results.map((r) => r?.n).sort((a, b) => Number(a) - Number(b));
          const final = await h.store.get(counter);
          if (final?.n !== WRITERS) violated(`lost write: in round ${round + 1}, ${WRITERS} concurrent increments through update left n = ${JSON.stringify(final?.n)}`, { anomaly: 'lost write' });
          expectSame(counts, Array.from({ length: WRITERS }, (_, i) => i + 1), 'the values the concurrent updates resolved to');
          expectSame(final, { n: WRITERS, keep: round }, 'the session after the updates');
          const absent = scope.id('absent');
          expectSame(await h.store.update!(absent, INCREMENT.fn, LONG_TTL_MS), undefined, 'update of an absent session');
          expectSame(await h.store.get(absent), undefined, 'get after updating an absent session');
        });
      }
    }),
  doc: {
    summary: 'the optional `update(id, fn, ttlMs)` is atomic: 16 concurrent increments all survive',
    heading: 'Atomic update (when implemented)',
    whyLevel: 'an atomic update that loses increments is worse than none: callers rely on it',
    body: `
      \`update(id, fn, ttlMs)\` applies the pure function \`fn\` to the live value atomically and stores
      its result with a fresh deadline \`now + ttlMs\`, resolving to the new value. When the session is
      absent or expired it resolves to \`undefined\` and creates nothing. \`fn\` may be called more than
      once (optimistic stores retry it after a conflicting write), so it must not have side effects.
      Sixteen concurrent increments through \`update\` must all survive, each resolving to a distinct
      count. Every reference store implements it: memory (no await between read and write), SQLite
      (\`BEGIN IMMEDIATE\`), Redis (a compare-and-set script, retried), Memcached (a CAS loop).
    `,
  },
};
