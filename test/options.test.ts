import { describe, expect, it } from 'vitest';
import { checkConformance, ConformanceRun } from '../entry/index.js';
import { MemoryStore } from '../stores/index.js';

describe('invalid targets and options fail at once with the reason', () => {
  const store = new MemoryStore();
  it.each([
    [null, /target must be a SessionStore/],
    [{ get() {} }, /neither get\/set\/pop methods/],
    [{ open: () => store }, /needs a non-empty `name`/],
    [{ name: 'x', open: () => store, clock: 'fake' }, /clock must be 'injected' or 'system'/],
    [{ name: 'x', open: () => store, ttlResolutionMs: -5 }, /ttlResolutionMs must be a positive number/],
    [{ name: 'x', open: () => store, maxDataBytes: 1.5 }, /maxDataBytes must be a positive integer/],
  ])('target %#', (target, message) => {
    expect(() => new ConformanceRun(target as never)).toThrow(message);
  });

  it.each([
    [{ numRuns: 0 }, /numRuns must be a positive integer/],
    [{ seed: 1.5 }, /seed must be an integer/],
    [{ only: ['expiry', 'nope'] }, /only names unknown clause "nope"; clause ids: round-trip, absent/],
    [{ skip: 'expiry' }, /skip must be an array of clause ids/],
    [{ path: 'a:b' }, /path must be a fast-check replay path/],
    [{ numruns: 5 }, /unknown option "numruns"/],
    [{ report: '' }, /report must be a directory path or false/],
    [{ strict: 'yes' }, /strict must be true or false, got yes/],
  ])('options %#', (options, message) => {
    expect(() => new ConformanceRun(store, options as never)).toThrow(message);
  });

  it('a factory whose open() returns something else fails every clause with that message', async () => {
    const report = await checkConformance({ name: 'bad open', open: () => ({}) as never }, { only: ['absent'] });
    expect(report.clauses[0]?.status).toBe('fail');
    expect(report.clauses[0]?.error).toMatch(/could not open store "bad open": .*open\(\) must return a SessionStore/);
  });

  it('reads what a store class declares, for a bare instance as for a factory', () => {
    class CoarseStore extends MemoryStore {
      static override readonly declares = { ttlResolutionMs: 1000, maxDataBytes: 5000, atomicPop: true };
    }
    const run = new ConformanceRun(new CoarseStore());
    expect(run.target).toMatchObject({ name: 'CoarseStore', ttlResolutionMs: 1000, maxDataBytes: 5000, declaresMaxDataBytes: true, atomicPop: true, sharedBackend: false });
    // A factory's own fields are what counts for it.
    expect(new ConformanceRun({ name: 'f', open: () => new CoarseStore() }).target.ttlResolutionMs).toBe(1);
  });

  it('takes its default seed from SESSION_CONFORMANCE_SEED, and refuses one that is not an integer', () => {
    const saved = process.env.SESSION_CONFORMANCE_SEED;
    try {
      process.env.SESSION_CONFORMANCE_SEED = '1234';
      expect(new ConformanceRun(store).options.seed).toBe(1234);
      expect(new ConformanceRun(store, { seed: 7 }).options.seed).toBe(7);
      process.env.SESSION_CONFORMANCE_SEED = 'soon';
      expect(() => new ConformanceRun(store)).toThrow('SESSION_CONFORMANCE_SEED must be an integer, got "soon"');
    } finally {
      if (saved === undefined) delete process.env.SESSION_CONFORMANCE_SEED;
      else process.env.SESSION_CONFORMANCE_SEED = saved;
    }
  });

  it('takes strict from SESSION_CONFORMANCE_STRICT, and refuses a value other than 1 or 0', () => {
    try {
      process.env.SESSION_CONFORMANCE_STRICT = '1';
      expect(new ConformanceRun(store).options.strict).toBe(true);
      expect(new ConformanceRun(store, { strict: false }).options.strict).toBe(false);
      process.env.SESSION_CONFORMANCE_STRICT = 'yes';
      expect(() => new ConformanceRun(store)).toThrow('SESSION_CONFORMANCE_STRICT must be 1 or 0, got "yes"');
    } finally {
      delete process.env.SESSION_CONFORMANCE_STRICT;
    }
    expect(new ConformanceRun(store).options.strict).toBe(false);
  });

  it('only and skip select clauses by id', () => {
    const run = new ConformanceRun(store, { only: ['expiry', 'pop', 'touch'], skip: ['touch'] });
    expect(run.clauses.map((c) => c.id)).toEqual(['pop', 'expiry']);
  });
});

describe('optional methods', () => {
  it('a store without touch has the touch clause skipped with the reason, and passes the rest', async () => {
    const inner = new MemoryStore();
    const noTouch = {
      get: (id: string) => inner.get(id),
      set: (id: string, data: never, ttl: number) => inner.set(id, data, ttl),
      pop: (id: string) => inner.pop(id),
    };
    const report = await checkConformance(noTouch, { numRuns: 10 });
    const touch = report.clauses.find((c) => c.id === 'touch');
    expect(touch).toMatchObject({ status: 'skipped', reason: 'the store does not implement the optional touch' });
    // Skipped besides touch: cross-instance (one instance), interleavings (system clock), update, faults (none to inject).
    expect(report.clauses.filter((c) => c.status === 'skipped').map((c) => c.id)).toEqual(['touch', 'cross-instance', 'interleavings', 'update', 'faults', 'id-quality']);
    expect(report.summary.fail).toBe(0);
    expect(report.capabilities).toEqual({ touch: false, update: false, createId: false });
  });
});
