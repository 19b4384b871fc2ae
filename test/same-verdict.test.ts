/**
 * Same store, same verdict: a real-time clause judges what the store could have done, never the
 * suite's own load. Each store runs several times, its clauses all together (as the vitest
 * binding and the CLI run them: side by side, the CPU-heavy ones beside the timed ones) and one
 * by one, on different seeds; every run must give the same verdicts (a clause too slow to judge on
 * a loaded machine stands for the pass it could not confirm, never for a failure). A timer-only store's
 * weakness is reported by expiry-while-busy alone, every time.
 *
 * SAME_VERDICT_RUNS=20 runs each store 20 times; SAME_VERDICT_FULL=1 makes each run the whole
 * suite at its default 50 runs per property, on a fresh random seed, and wants every run to give
 * the verdicts of the first (the acceptance run: `SAME_VERDICT_FULL=1 SAME_VERDICT_RUNS=20
 * npx vitest run test/same-verdict.test.ts -t tutorial`, a few minutes). `npm run soak -- --files
 * test/same-verdict.test.ts --cpu-load 1` runs it beside a busy CPU.
 */
import { describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { checkConformance, CLAUSE_IDS, type ClauseId, type ClauseResult, type ClauseStatus, type ConformanceReport, type StoreFactory } from '../entry/index.js';
import { MemoryStore, SqliteStore } from '../stores/index.js';
import { TimerStore } from './broken/timer-store.js';
import { TutorialStore } from './broken/tutorial-store.js';
import { CheckOnReadStore } from './support/check-on-read-store.js';

const RUNS = Number(process.env.SAME_VERDICT_RUNS ?? 2);
const FULL = process.env.SAME_VERDICT_FULL === '1';
const SEED = Number(process.env.SESSION_CONFORMANCE_SEED ?? 1);

/** The real-time clauses, and the CPU-heavy ones that used to starve them. */
const ONLY: ClauseId[] = ['round-trip', 'replace', 'expiry', 'touch', 'ttl-range', 'id-isolation', 'model', 'concurrency', 'no-resurrection', 'expiry-while-busy'];
const REAL_TIME: ClauseId[] = ['replace', 'expiry', 'touch', 'ttl-range', 'concurrency', 'no-resurrection'];

type Verdicts = Partial<Record<ClauseId, ClauseStatus>>;
const allPass = (): Verdicts => Object.fromEntries(ONLY.map((id) => [id, 'pass']));

const cases: [string, StoreFactory, Verdicts][] = [
  // Its old timers delete replaced and touched sessions (concurrency's last reads show it too); 2^31 ms overflows setTimeout.
  ['the tutorial store', { name: 'tutorial', open: () => new TutorialStore() }, { ...allPass(), replace: 'fail', touch: 'fail', 'ttl-range': 'fail', concurrency: 'fail', 'expiry-while-busy': 'warn' }],
  ['a timer store that clears its timers', { name: 'timer', open: () => new TimerStore() }, { ...allPass(), 'ttl-range': 'fail', 'expiry-while-busy': 'warn' }],
  ['the same store, checking the deadline on read', { name: 'check-on-read', open: () => new CheckOnReadStore() }, { ...allPass(), 'ttl-range': 'fail' }],
  ['MemoryStore', { name: 'memory', ...MemoryStore.declares, open: () => new MemoryStore() }, allPass()],
  ['SqliteStore', { name: 'sqlite', ...SqliteStore.declares, open: () => new SqliteStore() }, allPass()],
];

/**
 * A clause that could not judge on a loaded machine ("machine too slow") gave no verdict on the
 * store: it stands for the pass it could not confirm, never for a failure or a warning.
 */
const unjudged = (c: ClauseResult): boolean => c.status === 'inconclusive' && /^(machine too slow|the sessions were written too slowly)/.test(c.reason ?? '');
const verdictsOf = (report: ConformanceReport): Verdicts => Object.fromEntries(report.clauses.map((c) => [c.id, unjudged(c) ? 'pass' : c.status]));
const detail = (report: ConformanceReport): string =>
  report.clauses.filter((c) => c.status !== 'pass').map((c) => `[${c.id}] ${c.status}: ${c.error ?? c.reason}`).join('\n');

describe.concurrent('the same store gets the same verdict on every run, all clauses together and one by one', () => {
  it.each(cases)('%s', { timeout: (FULL ? 300_000 : 60_000) * RUNS }, async (_, target, expected) => {
    const only = FULL ? [...CLAUSE_IDS] : ONLY;
    const options = FULL ? {} : { numRuns: 5 };
    let reference: Verdicts | undefined = FULL ? undefined : expected;
    for (let run = 0; run < RUNS; run++) {
      const seed = FULL ? randomInt(2 ** 31) : SEED + run;
      const together = await checkConformance(target, { ...options, only, seed });
      reference ??= verdictsOf(together);
      expect(verdictsOf(together), `all together, run ${run + 1}, seed ${seed}:\n${detail(together)}`).toEqual(reference);
      // Every real-time clause says how late the loop turned during its timed waits, and the suite's own share.
      for (const c of together.clauses.filter((r) => REAL_TIME.includes(r.id) && r.status !== 'skipped')) expect([c.loopDelayMs, c.suiteHeldMs], c.id).toEqual([expect.any(Number), expect.any(Number)]);
      for (const id of only) {
        const alone = await checkConformance(target, { ...options, only: [id], seed });
        expect(verdictsOf(alone), `${id} alone, run ${run + 1}, seed ${seed}:\n${detail(alone)}`).toEqual({ [id]: reference[id] });
      }
    }
  });
});
