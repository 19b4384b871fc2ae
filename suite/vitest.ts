import { CLAUSE_TIMEOUT_MS, outcomeOf, reportLine, suiteName, testName } from './binding.js';
import { ConformanceRun } from './run.js';
import type { ConformanceTarget } from './target.js';
import type { ConformanceOptions } from './options.js';
import { messageOf } from './describe-value.js';

/**
 * vitest, loaded only in a vitest run (which sets VITEST): tests register synchronously, at
 * collection time, so the module must be in hand before a test file calls runConformance. Anywhere
 * else (the CLI, node:test, mocha, jest, a script) the root entry never loads vitest, installed or not.
 */
const vitest: typeof import('vitest') | Error | undefined = process.env.VITEST
  ? await import('vitest').catch((error: unknown) => new Error(`vitest could not be loaded from session-store-conformance: ${messageOf(error)}`, { cause: error }))
  : undefined;

function loadedVitest(): typeof import('vitest') {
  if (vitest !== undefined && !(vitest instanceof Error)) return vitest;
  throw new Error(
    `session-store-conformance: runConformance from the package root registers vitest tests, and ${vitest ? vitest.message : 'this file is not running under vitest'}. ` +
      `Install vitest (npm install --save-dev vitest) and run the file with vitest, or use the binding of the runner you have: ` +
      `runConformance from 'session-store-conformance/node-test', 'session-store-conformance/mocha' or 'session-store-conformance/jest'. ` +
      `checkConformance from 'session-store-conformance/core' runs the suite with no test runner.`,
    ...(vitest ? [{ cause: vitest }] : []),
  );
}

/**
 * Registers the conformance suite as vitest tests: one `it` per clause, named by clause id.
 * Call it at the top level of a test file.
 */
export function runConformance(target: ConformanceTarget, options?: ConformanceOptions): void {
  const { afterAll, describe, it } = loadedVitest();
  // Invalid targets and options throw here, at collection time, with the reason.
  const run = new ConformanceRun(target, options);
  // Real-time clauses wait on expiry; run them side by side so their waits overlap.
  const group = run.target.clock === 'system' ? describe.concurrent : describe;
  group(suiteName(run.target.name), () => {
    for (const clause of run.clauses) {
      // A test that is not concurrent waits for the concurrent ones before it: a clause that
      // disturbs the backend (they come last) never overlaps another.
      it(testName(clause), { timeout: CLAUSE_TIMEOUT_MS, ...(clause.exclusive && { concurrent: false }) }, async (ctx) => {
        const outcome = outcomeOf(run.target.name, await run.runClause(clause));
        if (outcome.kind === 'skip') ctx.skip(outcome.reason);
        if (outcome.kind === 'fail') throw new Error(outcome.message);
        // A SHOULD failure, an inconclusive check or an INFO finding passes the test, visibly:
        // verbose and GitHub Actions reporters print annotations.
        if (outcome.kind === 'note') await ctx.annotate(outcome.message, outcome.severity);
      });
    }
    afterAll(async () => {
      const line = reportLine(await run.writeReport());
      if (line) console.log(line);
    });
  });
}
