import type { Clause } from '../clause.js';
import { INCREMENT } from '../concurrent-programs.js';
import { LONG_TTL_MS } from '../harness.js';
import { violated } from '../property.js';

const WRITERS = 16;
const ROUNDS = 5;

export const lostUpdate: Clause = {
  id: 'lost-update',
  title: 'concurrent read-modify-write through get + set loses updates (measured, not a failure)',
  level: 'INFO',
  meaning: 'apps that read-modify-write with get, then set, lose concurrent changes at the reported rate',
  cause: 'get, then set, is not atomic: use the store\'s update where it has one',
  check: (ctx) =>
    ctx.withConcurrentStores(async (hs) => {
      let lost = 0;
      for (let round = 0; round < ROUNDS; round++) {
        await hs[0]!.inScope(async (scope) => {
          const id = scope.id('counter');
          await hs[0]!.store.set(id, { n: 0 }, LONG_TTL_MS);
          await Promise.all(
            Array.from({ length: WRITERS }, async (_, i) => {
              const store = hs[i % hs.length]!.store;
              const current = await store.get(id);
              if (current) await store.set(id, INCREMENT.fn(current), LONG_TTL_MS);
            }),
          );
          const n = (await hs[0]!.store.get(id))?.n;
          // Losing increments is the contract; ending with something no writer wrote is not.
          if (typeof n !== 'number' || n < 1 || n > WRITERS) violated(`after ${WRITERS} get + set increments the counter reads ${JSON.stringify(n)}`);
          lost += WRITERS - n;
        });
      }
      ctx.findings.lostUpdateRate = Number((lost / (WRITERS * ROUNDS)).toFixed(3));
      ctx.findings.increments = WRITERS * ROUNDS;
    }),
};
