/**
 * fromCatbox on real catbox: catbox-memory as an engine and under a Client, and catbox-redis on a
 * real redis-server, each with the verdict it gets. docs/ecosystem.md explains catbox-redis's
 * failures and gives the hand-checked repro.
 */
import { Client } from '@hapi/catbox';
import { Engine as CatboxMemory } from '@hapi/catbox-memory';
import { Engine as CatboxRedis } from '@hapi/catbox-redis';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { checkConformance, fromCatbox, type ClauseId, type ClauseStatus, type ConformanceReport } from '../../entry/index.js';
import { failedThroughPlatform } from '../support/platform-failures.js';
import { serverFor } from '../support/servers.js';

/** What every catbox store gets: no touch, no update, no injectable clock, no faults plan, ids yar chooses, and a get-then-drop pop. */
const CATBOX: Partial<Record<ClauseId, ClauseStatus>> = {
  touch: 'skipped', update: 'skipped', interleavings: 'skipped', faults: 'skipped', 'id-quality': 'skipped', 'atomic-pop': 'warn',
};

/** The statuses of a report, with V8's JSON.parse key bug excused as test/support/platform-failures.ts says. */
function statusesOf(report: ConformanceReport, expected: Partial<Record<ClauseId, ClauseStatus>>) {
  return Object.fromEntries(report.clauses.map((c) => [c.id, failedThroughPlatform(c, expected[c.id] === 'fail') ? expected[c.id] ?? 'pass' : c.status]));
}

function expectedWith(report: ConformanceReport, expected: Partial<Record<ClauseId, ClauseStatus>>) {
  return Object.fromEntries(report.clauses.map((c) => [c.id, expected[c.id] ?? 'pass']));
}

describe('fromCatbox on catbox-memory', () => {
  afterEach(() => void vi.useRealTimers());

  for (const [label, build] of [
    ['an engine', () => new CatboxMemory()],
    ['a Client', () => new Client(CatboxMemory)],
  ] as const) {
    it(`${label} passes everything it takes part in`, { timeout: 120_000 }, async () => {
      const store = build();
      onTestFinished(() => store.stop());
      const report = await checkConformance(fromCatbox(store));
      const expected = { ...CATBOX, 'cross-instance': 'skipped' } as const;
      expect(statusesOf(report, expected), report.clauses.map((c) => c.error?.split('\n')[0] ?? '').join('\n')).toEqual(expectedWith(report, expected));
    });
  }

  it("keeps sessions under yar's segment, as the item, with the TTL in ms", async () => {
    const engine = new CatboxMemory();
    onTestFinished(() => engine.stop());
    const store = await fromCatbox(engine).open({ clock: { now: Date.now } });
    await store.set('s1', { user: 'ada' }, 60_000);
    const kept = engine.get({ segment: '!@hapi/yar', id: 's1' });
    expect(kept).toMatchObject({ item: { user: 'ada' }, ttl: 60_000 });
    const other = await fromCatbox(engine, { segment: 'sessions' }).open({ clock: { now: Date.now } });
    expect(await other.get('s1')).toBeUndefined();
    expect(await store.pop('s1')).toEqual({ user: 'ada' });
    expect(engine.get({ segment: '!@hapi/yar', id: 's1' })).toBeNull();
  });

  it('judges expiry on an engine as a Client does: a session ends at stored + ttl, where the engine still returns it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const engine = new CatboxMemory();
    onTestFinished(() => engine.stop());
    const store = await fromCatbox(engine).open({ clock: { now: Date.now } });
    await store.set('s1', { a: 1 }, 1_000);
    vi.advanceTimersByTime(1_000);
    expect(engine.get({ segment: '!@hapi/yar', id: 's1' })).not.toBeNull();
    expect(await store.get('s1')).toBeUndefined();
  });

  it('declines a fractional TTL with a RangeError, as a Policy never hands catbox one, and a bad segment with a TypeError', async () => {
    const engine = new CatboxMemory();
    onTestFinished(() => engine.stop());
    const store = await fromCatbox(engine).open({ clock: { now: Date.now } });
    await expect(store.set('s1', {}, 1.5)).rejects.toThrow(RangeError);
    expect(() => fromCatbox(engine, { segment: '' })).toThrow(/segment must be a non-empty string/);
    expect(() => fromCatbox({} as CatboxMemory<unknown>)).toThrow(/fromCatbox: the store has no get method/);
  });
});

const found = await serverFor('redis');
if ('skip' in found) {
  describe.skip(`fromCatbox on catbox-redis: ${found.skip}`, () => {
    it('needs a Redis server', () => {});
  });
} else {
  const { url } = found.server;
  // A partition of this file's own, so runs on one server never share keys.
  const open = () => new Client(new CatboxRedis({ url, partition: `catbox-${process.pid}` }));

  describe('fromCatbox on catbox-redis', () => {
    it('stores a session with an own "__proto__" key that it can never read back (Bourne refuses it)', async () => {
      const client = open();
      onTestFinished(() => client.stop());
      const store = await fromCatbox(client).open({ clock: { now: Date.now } });
      await store.set('poisoned', JSON.parse('{"__proto__":{"admin":true}}'), 60_000);
      await expect(store.get('poisoned')).rejects.toThrow('Bad envelope content');
      await store.pop('poisoned').catch(() => {});
      await client.drop({ segment: '!@hapi/yar', id: 'poisoned' });
    });

    it('fails exactly where the data holds such a key, and passes the rest', { timeout: 120_000 }, async () => {
      const client = open();
      onTestFinished(() => client.stop());
      const report = await checkConformance(fromCatbox(client, { sharedBackend: true, open, close: (c) => c.stop() }));
      const failures = report.clauses.filter((c) => c.status === 'fail');
      expect(failures.map((c) => c.id)).toContain('round-trip');
      for (const failure of failures) expect(failure.error, failure.id).toContain('Bad envelope content');
      const others = report.clauses.filter((c) => c.status !== 'fail');
      expect(Object.fromEntries(others.map((c) => [c.id, c.status]))).toEqual(Object.fromEntries(others.map((c) => [c.id, CATBOX[c.id] ?? 'pass'])));
    });
  });
}
