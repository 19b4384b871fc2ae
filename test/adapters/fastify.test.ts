/**
 * fromFastifyStore on @fastify/session's own MemoryStore: the verdict it gets, and the two places
 * where the adapter speaks to a store as fastify does rather than as express does (expiry judged
 * on load, with the expired session destroyed; no touch).
 */
import fastifySession from '@fastify/session';
import { describe, expect, it } from 'vitest';
import { checkConformance, fromFastifyStore, type ClauseId, type ClauseStatus } from '../../entry/index.js';
import { failedThroughPlatform } from '../support/platform-failures.js';

type FastifyMemoryStore = InstanceType<typeof fastifySession.MemoryStore> & { store: Map<string, unknown> };
const memoryStore = () => new fastifySession.MemoryStore() as FastifyMemoryStore;
const now = { clock: { now: Date.now } };

describe('fromFastifyStore', () => {
  it("fastify's MemoryStore keeps the objects it was given: copy-semantics fails, the rest passes", { timeout: 120_000 }, async () => {
    const report = await checkConformance(fromFastifyStore(memoryStore()));
    const expected: Partial<Record<ClauseId, ClauseStatus>> = {
      'copy-semantics': 'fail',
      'atomic-pop': 'warn',
      'cross-instance': 'skipped',
      interleavings: 'skipped',
      update: 'skipped',
      faults: 'skipped',
      'id-quality': 'skipped',
      // No touch: fastify never calls one.
      touch: 'skipped',
    };
    const actual = Object.fromEntries(report.clauses.map((c) => [c.id, c.status]));
    const whole = Object.fromEntries(report.clauses.map((c) => [c.id, failedThroughPlatform(c, expected[c.id] === 'fail') ? 'fail' : (expected[c.id] ?? 'pass')]));
    expect(actual, report.clauses.map((c) => `${c.id}: ${c.error?.split('\n')[0] ?? ''}`).join('\n')).toEqual(whole);
  });

  it('treats a loaded session whose cookie has expired as gone and destroys it, as fastify regenerates it', async () => {
    const backing = memoryStore();
    const store = await fromFastifyStore(backing).open(now);
    await store.set('s1', { user: 'ada' }, 60_000);
    expect(await store.get('s1')).toEqual({ user: 'ada' });
    // What a session left behind by an earlier process looks like in a store that keeps no TTL.
    backing.store.set('old', { cookie: { originalMaxAge: 1_000, expires: new Date(Date.now() - 1).toISOString() }, user: 'bob' });
    expect(await store.get('old')).toBeUndefined();
    expect(backing.store.has('old')).toBe(false);
  });

  it('offers no touch even where the store has one, as fastify never calls it', async () => {
    const backing = Object.assign(memoryStore(), { touch: (_id: string, _s: object, cb: () => void) => cb() });
    const store = await fromFastifyStore(backing).open(now);
    expect(store.touch).toBeUndefined();
    expect(() => fromFastifyStore({} as FastifyMemoryStore)).toThrow(/fromFastifyStore: the store has no get method/);
  });
});
