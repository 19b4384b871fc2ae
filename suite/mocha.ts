/** The conformance suite as mocha tests: `mocha` runs a file that calls runConformance. */
import { CLAUSE_TIMEOUT_MS, reportLine, runnerGlobals, SerialBinding, suiteName, testName } from './binding.js';
import type { ConformanceTarget } from './target.js';
import type { ConformanceOptions } from './options.js';

/** The part of mocha's BDD interface (the globals mocha defines while it loads a spec file) used here. */
interface MochaBdd {
  describe(title: string, fn: () => void): unknown;
  it(title: string, fn: (this: { skip(): never }) => Promise<void>): { timeout(ms: number): unknown };
  after(fn: () => Promise<void>): unknown;
}

/**
 * Registers the conformance suite as mocha tests: one test per clause in a suite named after the
 * store. A SHOULD failure, a check that could not judge and an INFO finding pass, with the
 * account printed under the test; a clause that does not apply is pending, with its reason printed.
 */
export function runConformance(target: ConformanceTarget, options?: ConformanceOptions): void {
  const { describe, it, after } = runnerGlobals<MochaBdd>(['describe', 'it', 'after'], 'run this file with mocha (npx mocha my-store.test.js), whose BDD interface (the default) defines them.');
  const binding = new SerialBinding(target, options);
  describe(suiteName(binding.run.target.name), () => {
    for (const clause of binding.run.clauses) {
      it(testName(clause), async function () {
        const outcome = await binding.outcome(clause);
        if (outcome.kind === 'fail') throw new Error(outcome.message);
        if (outcome.kind === 'skip') {
          console.log(`[${clause.id}] skipped: ${outcome.reason}`);
          this.skip();
        }
        if (outcome.kind === 'note') (outcome.severity === 'warning' ? console.warn : console.log)(outcome.message);
      }).timeout(CLAUSE_TIMEOUT_MS);
    }
    after(async () => {
      const line = reportLine(await binding.finish());
      if (line) console.log(line);
    });
  });
}
