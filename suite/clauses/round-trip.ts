import fc from 'fast-check';
import { largePayloads, sessionData } from '../arbitraries.js';
import { checkInScope, expectSame, type Clause } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import type { SessionData } from '../contract.js';
import { offTheTimingPath } from '../event-loop.js';
import { LONG_TTL_MS, type RunScope } from '../harness.js';

export const roundTrip: Clause = {
  id: 'round-trip',
  title: 'get returns exactly what set stored',
  level: 'MUST',
  meaning: 'users get back a different session than the app stored: a changed value, a lost key, a number that is no longer the same',
  cause: 'the store does not keep exact JSON: serialize with JSON.stringify and parse back, with no revivers, key filters or number formatting',
  check: (ctx) =>
    ctx.withStore(async (h) => {
      const roundTrips = async (scope: RunScope, [name, data]: [string, SessionData]): Promise<void> => {
        const id = scope.id(name);
        await h.store.set(id, cloneJson(data), LONG_TTL_MS);
        expectSame(await h.store.get(id), data, 'get after set');
        expectSame(await h.store.get(id), data, 'a second get');
      };
      await checkInScope(ctx, h, fc.tuple(ctx.ids.sessionIds, sessionData), roundTrips);
      // Large payloads are slow to copy and move: a handful of runs proves the size limit, each
      // off the timing path (a timed wait can start between two of them).
      const largeRoundTrip = async (scope: RunScope, value: [string, SessionData]): Promise<void> => {
        if (!h.manualClock) await offTheTimingPath();
        await roundTrips(scope, value);
      };
      await checkInScope({ ...ctx, numRuns: Math.min(ctx.numRuns, 4) }, h, fc.tuple(fc.constant('large'), largePayloads(ctx.target.maxDataBytes)), largeRoundTrip, ([[, data]]) =>
        `[id "large", a payload of ${Buffer.byteLength(JSON.stringify(data))} bytes of JSON]`,
      );
    }),
  doc: {
    summary: '`get` returns exactly what `set` stored: any JSON, any Unicode, `__proto__` keys, payloads up to 1 MiB',
    heading: 'Round trip',
    whyLevel: `a session that reads back different is a user's data lost or changed`,
    body: `
      After \`set(id, d, ttl)\` resolves, \`get(id)\` returns a value deep-equal to \`d\` until expiry. Any
      JSON value survives exactly: every finite number (\`-0\` reads back as \`0\`, since JSON has no
      negative zero), \`null\`, nested arrays and objects, \`{}\`, empty strings, any Unicode including
      astral characters and lone surrogates inside strings, control characters, and keys such as
      \`__proto__\`, \`constructor\` and \`toJSON\`. Payloads up to 1 MiB of JSON (UTF-8 bytes) are accepted
      unless the store declares a lower \`maxDataBytes\`.

      *Tested with:* generated ids and payloads (\`sessionData\`, \`unicodeStrings\`, \`prototypeKeys\`), plus
      a few payloads between half and all of \`maxDataBytes\`, filled with 1- to 4-byte characters.
    `,
  },
};
