/**
 * "Does expiry depend on a free event loop?", asked on purpose: the loop is held across a deadline
 * and the sessions are read right after. A timer-only store is caught every time, a store that
 * checks the deadline on read passes every time, and a store on an injected clock is not asked.
 */
import { describe, expect, it } from 'vitest';
import { checkConformance, formatClauseResult, type StoreFactory } from '../entry/index.js';
import { MemoryStore, SqliteStore } from '../stores/index.js';
import { TimerStore } from './broken/timer-store.js';
import { TutorialStore } from './broken/tutorial-store.js';
import { CheckOnReadStore } from './support/check-on-read-store.js';

const TIMES = 5;
const only = ['expiry-while-busy' as const];

describe('expiry-while-busy', () => {
  it.each<[string, StoreFactory]>([
    ['the tutorial store', { name: 'tutorial', open: () => new TutorialStore() }],
    ['a timer store that clears its timers', { name: 'timer', open: () => new TimerStore() }],
  ])('%s: warns every time that sessions outlive their deadline while the app is busy, and says why', async (_, target) => {
    for (let seed = 1; seed <= TIMES; seed++) {
      const [result] = (await checkConformance(target, { only, seed })).clauses;
      expect(result, `seed ${seed}`).toMatchObject({ status: 'warn', level: 'SHOULD' });
      expect(result!.error).toMatch(
        /^3 × set\(ttl \d+\) from [\d.]+ to [\d.]+ → the app holds the event loop from [\d.]+ to [\d.]+ → get at [\d.]+ → \{"n":1\}, pop at [\d.]+ → \{"n":1\}, touch at [\d.]+ → true; sessions outlive their deadline while the app is busy \(gone from [\d.]+ on\): expiry runs on timers, which waited for the loop; check the deadline on read$/,
      );
      expect(formatClauseResult(target.name, result!)).toContain('Usual cause: expiry runs on timers');
    }
  });

  it('fails a timer store under strict', async () => {
    const report = await checkConformance({ name: 'timer', open: () => new TimerStore() }, { only, strict: true });
    expect(report.clauses[0]!.status).toBe('fail');
    expect(report.ok).toBe(false);
  });

  it.each<[string, StoreFactory]>([
    ['the timer store checking the deadline on read', { name: 'check-on-read', open: () => new CheckOnReadStore() }],
    ['MemoryStore', { name: 'memory', ...MemoryStore.declares, open: () => new MemoryStore() }],
    ['SqliteStore', { name: 'sqlite', ...SqliteStore.declares, open: () => new SqliteStore() }],
  ])('%s passes every time', async (_, target) => {
    for (let seed = 1; seed <= TIMES; seed++) {
      const [result] = (await checkConformance(target, { only, seed })).clauses;
      expect(result!.status, `seed ${seed}: ${result!.error ?? result!.reason}`).toBe('pass');
    }
  });

  it('skips a store on an injected clock, saying why', async () => {
    const report = await checkConformance({ name: 'injected', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) }, { only });
    expect(report.clauses[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^the store reads an injected clock: no timer of its can fall behind/) });
  });
});
