import fc from 'fast-check';
import { LONG_TTL_EDGES, SHORTEST_TTLS, sessionData, ttlsAcrossTheRange } from '../arbitraries.js';
import type { Clause } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import type { SessionData } from '../contract.js';
import { LONG_TTL_MS, type Harness, type RunScope } from '../harness.js';
import { violated } from '../property.js';
import { checkTimed, Timeline, type Stamp } from '../timeline.js';

type Via = 'set' | 'touch' | 'update';

interface TtlCase {
  ttl: number;
  via: Via;
  data: SessionData;
}

const DECLINED = Symbol('declined');

function describeRejection(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `${typeof error} ${String(error)}`;
}

/**
 * A fractional TTL may be declined with a RangeError, as bad input; any other rejection is a
 * driver handed a number it cannot take (Redis PX wants an integer), which the store let through.
 */
function allowDecline<T>(call: Promise<T>, ttl: number, what: string): Promise<T | typeof DECLINED> {
  if (Number.isInteger(ttl)) return call;
  return call.catch((error: unknown) => {
    if (error instanceof RangeError) return DECLINED;
    return violated(`${what} with the fractional ttlMs ${ttl} rejected with ${describeRejection(error)}: a fractional TTL must work or be rejected with a RangeError`);
  });
}

/**
 * Gives a session `ttl` through `via`. A touch or an update restarts a session set with a short
 * TTL, so that one that ignored its TTL shows. Resolves to the stamp of the call that set the TTL,
 * or to undefined when there is nothing to judge (a declined fractional TTL; a restart that may
 * have come after the short TTL ran out).
 */
async function giveTtl(tl: Timeline, h: Harness, id: string, { ttl, via, data }: TtlCase): Promise<Stamp | undefined> {
  if (via === 'set') {
    const [result, write] = await tl.op(() => allowDecline(h.store.set(id, cloneJson(data), ttl), ttl, 'set'), `set(ttl ${ttl})`);
    return result === DECLINED ? undefined : write;
  }
  const restart = {
    touch: async () => (await h.store.touch!(id, ttl)) === true,
    update: async () => (await h.store.update!(id, (current) => current, ttl)) !== undefined,
  }[via];
  const initialTtl = initialTtlOf(tl);
  const [, initial] = await tl.op(() => h.store.set(id, cloneJson(data), initialTtl), `set(ttl ${initialTtl})`);
  const [found, write] = await tl.op(() => allowDecline(restart(), ttl, via), `${via}(ttl ${ttl})`);
  if (found === DECLINED) return undefined;
  if (!found && tl.mustBeLive(initial, initialTtl, write)) {
    violated(`${via} with ttlMs ${ttl} found no session, ${Math.round(write.call - initial.ret)} ms after a set with ttlMs ${initialTtl}`);
  }
  // Said live, but ended past the earliest deadline of the initial TTL: the restart may have found
  // the session expired (a load, then a touch, with a stalled loop in between), so nothing to judge.
  return found && tl.mustBeLive(initial, initialTtl, write) ? write : undefined;
}

/** Long enough on real time that Memcached's whole seconds cannot end it before the touch. */
const initialTtlOf = (tl: Timeline): number => (tl.exact ? 1 : 2 * tl.unit);

async function expectTtlHonoured(tl: Timeline, h: Harness, scope: RunScope, c: TtlCase): Promise<void> {
  const id = scope.id('ttl');
  const write = await giveTtl(tl, h, id, c);
  if (!write) return;
  // A TTL within the store's resolution promises only that the session ends in time: no read
  // can be sure to come before its deadline, so none is asked to (it would count as unjudged).
  const promisesLife = c.ttl > tl.slack;
  const expectLive = async () => {
    const [value, read] = await tl.op(() => h.store.get(id));
    tl.expectLive('get', read, value, c.data, write, c.ttl);
  };
  if (promisesLife) await expectLive();
  if (!tl.exact && c.ttl >= LONG_TTL_MS) {
    // Real time cannot wait a long TTL out. Past a touch's initial TTL, and past a timer that
    // overflowed to 1 ms, the session must still be there.
    await tl.waitUntil(tl.expiredCheckpoint(write, initialTtlOf(tl)));
    await expectLive();
    return;
  }
  // A store may round a fractional TTL up to a whole millisecond; rounding down ends it early.
  const wholeTtl = Math.ceil(c.ttl);
  if (promisesLife) {
    await tl.waitUntil(tl.liveCheckpoint(write, wholeTtl));
    await expectLive();
  }
  // A TTL under the store's resolution must still end within one step of it. A backend's own
  // clock ticks at that step, late on a loaded machine: a tenth of a unit of grace, and no verdict
  // when this process's timer came later than that too (the loop was held).
  const grace = !tl.exact && c.ttl < tl.slack ? tl.unit / 10 : 0;
  const checkpoint = tl.expiredCheckpoint(write, wholeTtl) + grace;
  await tl.waitUntil(checkpoint);
  if (grace > 0 && tl.elapsed() - checkpoint > grace) {
    tl.tally.count('expired', false);
    return;
  }
  const looks: [string, () => Promise<unknown>, unknown][] = [['get', () => h.store.get(id), undefined], ['pop', () => h.store.pop(id), undefined]];
  if (h.store.touch) looks.push(['touch', () => h.store.touch!(id, LONG_TTL_MS), false]);
  for (const [name, look, absent] of looks) {
    const [seen, read] = await tl.op(look);
    if (!tl.expectExpired(name, read, seen, absent, write, wholeTtl)) return;
  }
}

/**
 * On real time: every long edge, the shortest TTLs, half the store's resolution, and a fractional
 * one (1500.5 on Memcached). The shortest reach 0 in a store that rounds down, and 0 is "no TTL"
 * to many: they must end within one resolution step even on a store that declares 1 s.
 */
function realTimeTtls(ttlResolutionMs: number): number[] {
  const { unit } = new Timeline(undefined, ttlResolutionMs);
  return [...new Set([...LONG_TTL_EDGES, ...SHORTEST_TTLS, ttlResolutionMs / 2, 1.5 * unit + 0.5])];
}

export const ttlRange: Clause = {
  id: 'ttl-range',
  title: 'TTLs from under a millisecond to 400 days are honoured: never capped, wrapped, truncated to "never" or refused by the driver',
  level: 'MUST',
  realTime: true,
  meaning: '"remember me" sessions end at once, end early, or never end',
  cause: 'the TTL went through a 32-bit timer or integer, was truncated to whole seconds (0 means never in Memcached), or was capped',
  check: (ctx) =>
    ctx.withStore(async (h) => {
      const vias: Via[] = ['set', ...(h.store.touch ? ['touch' as const] : []), ...(h.store.update ? ['update' as const] : [])];
      const resolution = ctx.target.ttlResolutionMs;
      // Real time cannot shrink, so its failures speak of time with data that says nothing.
      const data = h.manualClock ? sessionData : fc.constant({ n: 1 });
      const cases = (ttl: fc.Arbitrary<number>, via: fc.Arbitrary<Via>) => fc.record({ ttl, via, data });
      const scenario = (tl: Timeline, scope: RunScope, c: TtlCase) => expectTtlHonoured(tl, h, scope, c);
      if (h.manualClock) {
        await checkTimed(ctx, h, 'TTL', resolution, () => cases(ttlsAcrossTheRange, fc.constantFrom(...vias)), scenario);
        return;
      }
      // Real time: each TTL and way once, all at once, so that their waits overlap.
      const checks = vias.flatMap((via) =>
        realTimeTtls(resolution).map((ttl) =>
          checkTimed({ ...ctx, numRuns: 1 }, h, `${via}(ttl ${ttl})`, resolution, () => cases(fc.constant(ttl), fc.constant(via)), scenario),
        ),
      );
      const failed = (await Promise.allSettled(checks)).find((outcome) => outcome.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }),
  doc: {
    summary: 'TTLs from under 1 ms to 400 days, fractional ones included, are honoured: never capped, wrapped at 2^31 ms, sent to Memcached as relative over 30 days, truncated to "never", or refused by the driver',
    heading: 'TTLs across the whole range',
    whyLevel: 'a "remember me" TTL that wraps, truncates to "never" or is capped silently logs users out at once or never',
    body: `
      Sessions live from seconds to a year ("remember me"), and every \`ttlMs\` in that range means what
      the \`expiry\` clause says, through \`set\`, \`touch\` and \`update\` alike: no silent cap (24 hours is a
      common one), no wrap-around where 32-bit timers and integer columns overflow (2^31 ms, about 24.8
      days, and 2^32 ms), no relative expiration over 30 days sent to Memcached (which reads it as a
      Unix time in 1970, so the session is gone at once), and no TTL under the backend's resolution
      truncated to 0 (which Memcached and several seconds-based stores read as "never expires", and
      connect-session-knex read as "a day"). A TTL under the declared \`ttlResolutionMs\` ends within one
      resolution step: declaring 1 s excuses rounding 0.5 ms up to 1 s, not rounding it down to 0.

      **Fractional TTLs.** \`ttlMs\` is any positive finite number of milliseconds, so \`1500.5\` is valid.
      A store either honours it, rounding up to its resolution if it must (never down: down can end a
      session early, or reach 0), or declines it with a \`RangeError\`, as it would other bad input.
      Handing it to a driver that wants an integer (Redis \`PX 1500.5\` is a server error) is a failure.
      The reference stores all accept fractional TTLs: memory and SQLite keep them exactly, Redis rounds
      up to whole milliseconds (\`PX\`, \`PEXPIRE\`), Memcached to whole seconds, never to 0, and as an
      absolute Unix time beyond 30 days.

      *Tested with:* an injected clock, exactly at \`t + ⌈ttlMs⌉ − 1\` (live) and \`t + ⌈ttlMs⌉\` (absent, to
      \`get\`, \`pop\` and \`touch\`) for TTLs around 1 s, at 24 hours, 2^31 − 1, 2^31, 2^32 − 1 and 2^32 ms, 30
      days − 1 s, 30 days, 30 days + 1 s, 31 days, 365 and 400 days, anything between 1 ms and 400 days,
      the shortest TTLs (\`0.5\` and \`1\` ms), and fractional TTLs (\`0.25\`, \`1500.5\`, …); a \`touch\` or an \`update\` restarts a session set with a 1
      ms TTL (so an update that keeps the old deadline shows). On the system clock no run can wait out a
      long TTL, so each long edge is checked live right after \`set\` (and after a \`touch\` or \`update\` of a
      session set with a short TTL) and still live once that short TTL and the tolerance have passed
      (which also catches a timer that overflowed to 1 ms); TTLs of 0.5 ms, 1 ms and half the declared
      \`ttlResolutionMs\` must be gone \`ttlResolutionMs\` after their deadline, with a grace of a tenth of
      a time unit for a backend whose clock ticks at that step (Memcached's), and not judged when the
      suite's own timer came later than that grace (the machine is loaded: the check retries on a larger
      unit, then reports inconclusive, never a failure); a fractional TTL (\`1.5 × max(ttlResolutionMs,
      100) + 0.5\`: \`1500.5\` on Memcached) must work or be declined. These checks run at once and take
      about \`2 × max(ttlResolutionMs, 100) + ttlResolutionMs\` ms of real time (3 s on Memcached). A
      24-hour cap can only be caught on an injected clock.

      **MUST**: a session that ends at once, ends early or never ends is a login or logout bug, and no
      store documents it as a feature.
    `,
  },
};
