import fc from 'fast-check';
import { largePayloads, sessionData, sessionIds } from '../arbitraries.js';
import { expectSame, type Clause } from '../clause.js';
import { LONG_TTL_MS } from '../harness.js';
import { checkProperty } from '../property.js';

export const roundTrip: Clause = {
  id: 'round-trip',
  title: 'get returns exactly what set stored',
  level: 'MUST',
  check: (ctx) =>
    ctx.withStore(async (h) => {
      const roundTrips = async (id: string, data: object): Promise<void> => {
        await h.inScope(async (scope) => {
          const key = scope.id(id);
          await h.store.set(key, structuredClone(data) as never, LONG_TTL_MS);
          expectSame(await h.store.get(key), data, 'get after set');
          expectSame(await h.store.get(key), data, 'a second get');
        });
      };
      await checkProperty(ctx, fc.asyncProperty(sessionIds, sessionData, roundTrips));
      // Large payloads are slow to generate and move: a handful of runs proves the size limit.
      await checkProperty({ ...ctx, numRuns: Math.min(ctx.numRuns, 4) }, fc.asyncProperty(fc.constant('large'), largePayloads(ctx.target.maxDataBytes), roundTrips), (c) =>
        `[id "large", a payload of ${Buffer.byteLength(JSON.stringify(c[1]))} bytes of JSON]`,
      );
    }),
};
