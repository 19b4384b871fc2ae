/** The conformance suite as node:test tests: `node --test` runs a file that calls runConformance. */
import { after, describe, it } from 'node:test';
import { CLAUSE_TIMEOUT_MS, reportLine, SerialBinding, suiteName, testName } from './binding.js';
import type { ConformanceTarget } from './target.js';
import type { ConformanceOptions } from './options.js';

/**
 * Registers the conformance suite as node:test tests: one test per clause in a suite named after
 * the store. A SHOULD failure or a check that could not judge passes as a TODO with the account
 * as a diagnostic; an INFO finding is a diagnostic; a clause that does not apply is skipped.
 */
export function runConformance(target: ConformanceTarget, options?: ConformanceOptions): void {
  const binding = new SerialBinding(target, options);
  describe(suiteName(binding.run.target.name), () => {
    for (const clause of binding.run.clauses) {
      it(testName(clause), { timeout: CLAUSE_TIMEOUT_MS }, async (t) => {
        const outcome = await binding.outcome(clause);
        if (outcome.kind === 'fail') throw new Error(outcome.message);
        if (outcome.kind === 'skip') t.skip(outcome.reason);
        if (outcome.kind !== 'note') return;
        if (outcome.severity === 'warning') t.todo(`${outcome.status}: ${outcome.message.split('\n')[0]}`);
        t.diagnostic(outcome.message);
      });
    }
    after(async () => {
      const line = reportLine(await binding.finish());
      if (line) console.log(line);
    });
  });
}
