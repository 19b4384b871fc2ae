import type { Clause } from '../clause.js';
import { settle, withLoopToItself } from '../event-loop.js';
import { jsonEqual, preview } from '../json-equal.js';
import { deadlineWindow } from '../linearizability/deadline.js';
import { violated } from '../property.js';
import { LONG_TTL_MS, type Harness, type RunScope } from '../harness.js';
import { ms, Timeline } from '../timeline.js';

/** How far past the last deadline the loop stays held: the read right after is surely late. */
const PAST_DEADLINE_MS = 5;
/** Tries on a TTL of 1, 2 and 4 units before the clause says it could not judge. */
const ATTEMPTS = 3;

export const expiryWhileBusy: Clause = {
  id: 'expiry-while-busy',
  title: 'a session is gone once its deadline has passed, even when the app held the event loop across it',
  level: 'SHOULD',
  meaning: 'while the app is busy (a slow request, a large JSON body, a sync crypto call), users whose session has ended are still let in',
  cause: 'expiry runs on timers (a setTimeout per session, or a periodic sweep), which cannot fire while the event loop is held: check the deadline on every read as well',
  // Holding the loop on purpose would hold every other clause's real-time waits with it.
  exclusive: true,
  skipReason: (_, target) =>
    target.clock === 'injected'
      ? 'the store reads an injected clock: no timer of its can fall behind the suite\'s clock, and expiry already reads each session the moment the clock passes its deadline'
      : undefined,
  check: (ctx) =>
    ctx.withStore(async (h) => {
      const looks: Look[] = [
        ['get', (id) => h.store.get(id), undefined],
        ['pop', (id) => h.store.pop(id), undefined],
      ];
      if (h.store.touch) looks.push(['touch', (id) => h.store.touch!(id, LONG_TTL_MS), false]);
      // A loaded machine can make the writes too slow to hold the loop across their deadline:
      // then again, on a longer TTL.
      let slow = '';
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        slow = await h.inScope((scope) => withLoopToItself(() => holdAcrossDeadline(h, scope, looks, ctx.target.ttlResolutionMs, 2 ** attempt)));
        if (slow === '') return;
      }
      ctx.inconclusive(slow);
    }),
  doc: {
    summary: 'SHOULD, system clock: a session is gone once its deadline passed even when the app held the event loop across it (expiry that runs only on timers fails it)',
    heading: 'Expiry while the app is busy (**SHOULD**; system clock only)',
    whyLevel: `a session served past its deadline while the app held the event loop is a real weakness (a timer-only store lets an expired user in for as long as the app is busy), but the delay is the app's own and bounded by how long it blocks, and every timer-based store has it: worth a warning, and a failure under \`strict\`, not a MUST that fails every tutorial store`,
    body: `
      A session is gone once its deadline has passed even when the app held the event loop across that
      deadline: a read that comes right after a busy stretch (a slow synchronous handler, a large JSON
      body) does not find it.

      *Tested with:* a session per look (\`get\`, \`pop\`, \`touch\`) set with a TTL of one time unit
      (\`max(ttlResolutionMs, 100)\` ms); the event loop is then held (a synchronous sleep) from before
      their deadline to past it, and each is looked at right after, before the loop turns. A store that
      checks the deadline on read passes every time; a store whose only expiry is a timer (a \`setTimeout\`
      per session, a periodic sweep) fails every time, with "sessions outlive their deadline while the
      app is busy: expiry runs on timers, which waited for the loop; check the deadline on read". When
      the machine is too slow to write the sessions before their deadline, it tries again on 2 and 4
      units, then reports inconclusive. It runs alone, after every other clause, and only while no
      real-time wait of another run in the process is in flight: holding the loop would hold theirs.
      A store on an injected clock skips it: no timer of its own can fall behind the suite's clock, and
      \`expiry\` already reads each session the moment the clock passes its deadline.
    `,
  },
};

type Look = [name: string, look: (id: string) => Promise<unknown>, absent: unknown];

/**
 * Writes a session per look, holds the loop from before their deadline to past it, and looks
 * right after. Returns why it could not judge ('' when it did); throws when a session outlived it.
 */
async function holdAcrossDeadline(h: Harness, scope: RunScope, looks: Look[], ttlResolutionMs: number, scale: number): Promise<string> {
  const tl = new Timeline(undefined, ttlResolutionMs, undefined, scale);
  const ttl = tl.unit;
  // All at once: on a loaded machine, one after another could outlast the TTL.
  const writes = await Promise.all(looks.map(([name]) => tl.op(() => h.store.set(scope.id(name), { n: 1 }, ttl)).then(([, write]) => write)));
  const first = writes.reduce((a, b) => (a.call < b.call ? a : b));
  const last = writes.reduce((a, b) => (a.ret > b.ret ? a : b));
  const holdFrom = tl.elapsed();
  // The hold must begin before any deadline, or the store had the time to expire the session.
  if (holdFrom >= deadlineWindow(first, ttl, tl.slack).earliest) {
    return `the sessions were written too slowly to hold the loop across their deadline (${ms(holdFrom)} ms for ${looks.length} sets with a TTL of ${ttl} ms)`;
  }
  const holdUntil = tl.expiredCheckpoint(last, ttl) + PAST_DEADLINE_MS;
  tl.holdUntil(holdUntil);
  // Right after the busy stretch, before the loop turns: what a request handled next sees.
  const seen = await Promise.all(looks.map(([name, look]) => tl.op(() => look(scope.id(name)))));
  const outlived = looks.flatMap(([name, , absent], i) => {
    const [value, read] = seen[i]!;
    return tl.mustBeExpired(writes[i]!, ttl, read) && !jsonEqual(value, absent) ? [`${name} at ${ms(read.call)} → ${preview(value, 60)}`] : [];
  });
  if (outlived.length === 0) return '';
  // Once the loop is free, timers run: tell expiry on timers from no expiry at all.
  await settle();
  const [after] = await tl.op(() => h.store.get(scope.id('get')));
  const story = `${looks.length} × set(ttl ${ttl}) from ${ms(first.call)} to ${ms(last.ret)} → the app holds the event loop from ${ms(holdFrom)} to ${ms(holdUntil)} → ${outlived.join(', ')}`;
  const why =
    after === undefined
      ? 'expiry runs on timers, which waited for the loop; check the deadline on read'
      : 'the session was still there once the loop was free (see the expiry clause)';
  return violated(`${story}; sessions outlive their deadline while the app is busy (gone from ${ms(tl.expiredCheckpoint(last, ttl))} on): ${why}`);
}
