/** The conformance suite as jest tests, in jest's ESM mode: a test file that calls runConformance. */
import { CLAUSE_TIMEOUT_MS, reportLine, runnerGlobals, SerialBinding, suiteName, testName } from './binding.js';
import type { ConformanceTarget } from './target.js';
import type { ConformanceOptions } from './options.js';

/** The part of jest's globals used here. */
interface JestGlobals {
  describe(name: string, fn: () => void): void;
  test: { (name: string, fn: () => Promise<void>, timeout: number): void; skip(name: string, fn: () => void): void };
  afterAll(fn: () => Promise<void>, timeout: number): void;
}

/**
 * Registers the conformance suite as jest tests: one test per clause in a suite named after the
 * store. A SHOULD failure, a check that could not judge and an INFO finding pass, with the
 * account logged. jest skips a test only when registering it: a clause that the target rules
 * out (its clock, its declarations) is a skipped test; one that needs a method the store lacks
 * is known only once the store is open, and passes with the reason logged.
 */
export function runConformance(target: ConformanceTarget, options?: ConformanceOptions): void {
  const { describe, test, afterAll } = runnerGlobals<JestGlobals>(['describe', 'test', 'afterAll'], 'run this file with jest, in its ESM mode (NODE_OPTIONS=--experimental-vm-modules npx jest), with injectGlobals left on.');
  const binding = new SerialBinding(target, options);
  describe(suiteName(binding.run.target.name), () => {
    for (const clause of binding.run.clauses) {
      if (binding.skipBeforeOpening(clause) !== undefined) {
        test.skip(testName(clause), () => {});
        continue;
      }
      test(
        testName(clause),
        async () => {
          const outcome = await binding.outcome(clause);
          if (outcome.kind === 'fail') throw new Error(outcome.message);
          if (outcome.kind === 'skip') console.info(`[${clause.id}] skipped: ${outcome.reason}`);
          if (outcome.kind === 'note') (outcome.severity === 'warning' ? console.warn : console.info)(outcome.message);
        },
        CLAUSE_TIMEOUT_MS,
      );
    }
    afterAll(async () => {
      const line = reportLine(await binding.finish());
      if (line) console.log(line);
    }, CLAUSE_TIMEOUT_MS);
  });
}
