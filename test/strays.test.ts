/**
 * Store code that throws or rejects outside the call the suite awaits, through the runner-free
 * core: the clause it belongs to fails with the error and the call, the run goes on to its report,
 * and the process-wide listeners are gone once the run is over.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkConformance } from '../suite/run.js';
import { checkProperty, type ClauseViolation } from '../suite/property.js';
import { ClauseStopped } from '../suite/strays.js';
import { MemoryStore } from '../stores/memory.js';

const listeners = () => [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];

describe('errors store code throws outside its calls', () => {
  it('a rejection nobody handles, left by a set: that clause fails naming the call, the others pass, and the listeners go', async () => {
    class Leaky extends MemoryStore {
      override async set(id: string, data: Record<string, never>, ttlMs: number): Promise<void> {
        // A write-behind whose failure nobody awaits.
        if (id.endsWith('-logout')) void Promise.reject(new Error('write-behind failed: disk full'));
        return super.set(id, data, ttlMs);
      }
    }
    const before = listeners();
    const report = await checkConformance(new Leaky(), { only: ['round-trip', 'atomic-pop'], numRuns: 5, report: false });
    expect(listeners()).toEqual(before);
    const status = Object.fromEntries(report.clauses.map((c) => [c.id, c.status]));
    expect(status).toEqual({ 'round-trip': 'pass', 'atomic-pop': 'fail' });
    const failed = report.clauses.find((c) => c.id === 'atomic-pop')!;
    expect(failed.error).toMatch(/^store code let a promise reject unhandled, with an Error: write-behind failed: disk full, in a callback, timer or promise of store\.set\("scc-[0-9a-f]+-\d+-logout", \{"round":0\}, 3600000\), instead of rejecting that call's promise\./);
    expect(failed.error).toContain('strays.test.ts');
    expect(failed.cause).toContain('catch there and reject');
  });

  it('a throw from a timer the store started before the run: the clause running fails, stopped at once, with the call that was in flight', async () => {
    let armed = false;
    // Created outside any clause: nothing ties its callback to a store call.
    const timer = setInterval(() => {
      if (!armed) return;
      armed = false;
      throw new Error('ECONNRESET: the connection pool lost a socket');
    }, 5);
    try {
      class Pooled extends MemoryStore {
        #calls = 0;
        override get(id: string): Promise<undefined> {
          // The tenth get waits for the pool, which never answers: the stray error must stop it.
          if (++this.#calls !== 10) return super.get(id) as Promise<undefined>;
          armed = true;
          return new Promise(() => {});
        }
      }
      const report = await checkConformance(new Pooled(), { only: ['round-trip'], numRuns: 20, report: false, operationTimeoutMs: 600_000 });
      const [result] = report.clauses;
      expect(result!.status).toBe('fail');
      expect(result!.error).toMatch(/^store code threw an Error: ECONNRESET: the connection pool lost a socket outside any store call, while store\.get\("scc-[^"]*"\) was in flight\./);
    } finally {
      clearInterval(timer);
    }
  });

  it('a stopped clause searches no further causes: its calls all reject from then on', async () => {
    let runs = 0;
    const stopped = new ClauseStopped('the clause stopped: store code threw');
    const check = checkProperty({ numRuns: 20, seed: 1, path: undefined }, fc.asyncProperty(fc.constant(0), async () => {
      runs++;
      throw stopped;
    }));
    const error = await check.then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toBe(stopped.message);
    expect((error as ClauseViolation).details.furtherCauses).toBeUndefined();
    // One failing run, no further search of half as many runs over the same stopped calls.
    expect(runs).toBe(1);
  });
});
