/**
 * The timed clauses judge real time differently (tolerance windows, concurrent waits), so they
 * must prove themselves there too: expiry bugs are caught on the system clock, not only on an
 * injected one; and a correct store on a slow machine is never failed, nor passed on checks
 * that could not be judged.
 */
import { describe, expect, it } from 'vitest';
import { checkConformance, type ClauseId, type ClauseResult } from '../entry/index.js';
import { MemoryStore } from '../stores/index.js';
import { defects } from './broken/defects.js';
import { delayed, randomDelays, readsStallPastTheDeadline } from './support/delayed-store.js';

const TIMED: ClauseId[] = ['replace', 'expiry', 'touch'];
const cases: [string, ClauseId[]][] = [
  ['sessions never expire', ['replace', 'expiry', 'touch']],
  ['set on an existing id keeps the old expiry', ['replace']],
  ['touch only ever extends, never shortens the expiry', ['touch']],
  ['touch revives an expired session', ['expiry', 'touch']],
  ['get slides the expiry forward', ['replace', 'expiry', 'touch']],
  ['update revives a session past its deadline that no sweep removed', ['expiry']],
];

describe.concurrent('broken stores on the system clock are caught by the timed clauses', () => {
  it.each(cases)('%s', async (name, fails) => {
    const defect = defects.find((d) => d.name === name)!;
    const report = await checkConformance({ ...defect.target, clock: 'system' }, { only: TIMED, numRuns: 6, seed: 5 });
    expect(report.clauses.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(fails);
  });
});

type Counts = { planned: number; judged: number; unjudged: number };
type TimedChecks = Record<string, { unitMs: number; attempts: number; live: Counts; expired: Counts }>;
const timedChecks = (c: ClauseResult) => c.findings?.timedChecks as TimedChecks;

describe.concurrent('a correct store on a slow machine: judged, or inconclusive, never failed', () => {
  it('with every call delayed 60-80 ms each way, it retries on a larger unit and passes only on what it judged', async () => {
    const store = delayed(new MemoryStore(), randomDelays(7, 60, 80));
    const report = await checkConformance(store, { only: TIMED, numRuns: 6, seed: 5 });
    for (const clause of report.clauses) {
      expect(['pass', 'inconclusive'], `${clause.id}: ${clause.error}`).toContain(clause.status);
      const checks = Object.values(timedChecks(clause));
      expect(checks.length).toBeGreaterThan(0);
      for (const { live, expired } of checks) {
        for (const counts of [live, expired]) {
          expect(counts.judged + counts.unjudged).toBe(counts.planned);
          if (clause.status === 'pass') expect(counts.judged).toBeGreaterThanOrEqual(0.8 * counts.planned);
        }
      }
    }
    // A read 2 units into a 3-unit TTL, behind a 120 ms set and taking 120 ms itself, lands past
    // the deadline at a 100 ms unit: expiry could judge nothing there, so it must have retried.
    expect(timedChecks(report.clauses.find((c) => c.id === 'expiry')!).expiry!.attempts).toBeGreaterThan(1);
  });

  it.each([false, true])('when no read of a live session can be judged, expiry is inconclusive with the counts, a failure only under strict (strict: %s)', async (strict) => {
    const store = delayed(new MemoryStore(), readsStallPastTheDeadline());
    const report = await checkConformance(store, { only: ['expiry'], numRuns: 6, seed: 5, strict });
    const [expiry] = report.clauses;
    expect(expiry?.status).toBe(strict ? 'fail' : 'inconclusive');
    // After the deadline almost everything is judged; a timer that fires early can cost a few.
    expect(expiry?.reason).toMatch(/^machine too slow: 0 of 6 expiry checks before the deadline judged(, \d+ of \d+ expiry checks after the deadline judged)?, with a time unit of up to 800 ms; the event loop was held for up to [\d.]+ ms( \(.+\))?; the suite's own share was at most [\d.]+ ms$/);
    expect(timedChecks(expiry!).expiry).toMatchObject({ unitMs: 800, attempts: 4, live: { planned: 6, judged: 0, unjudged: 6 } });
    expect(report.ok).toBe(!strict);
    if (strict) expect(expiry!.error).toMatch(/^could not judge, which strict mode fails: machine too slow/);
  });
});
