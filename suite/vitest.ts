import { afterAll, describe, it } from 'vitest';
import { ConformanceRun, formatFailure } from './run.js';
import type { ConformanceOptions, ConformanceTarget } from './target.js';

/**
 * Registers the conformance suite as vitest tests: one `it` per clause, named by clause id.
 * Call it at the top level of a test file.
 */
export function runConformance(target: ConformanceTarget, options?: ConformanceOptions): void {
  // Invalid targets and options throw here, at collection time, with the reason.
  const run = new ConformanceRun(target, options);
  // Real-time clauses wait on expiry; run them side by side so their waits overlap.
  const group = run.target.clock === 'system' ? describe.concurrent : describe;
  group(`session store conformance: ${run.target.name}`, () => {
    for (const clause of run.clauses) {
      // A test that is not concurrent waits for the concurrent ones before it: a clause that
      // disturbs the backend (they come last) never overlaps another.
      it(`[${clause.id}] ${clause.title}`, { timeout: 120_000, ...(clause.exclusive && { concurrent: false }) }, async (ctx) => {
        const result = await run.runClause(clause);
        if (result.status === 'skipped') ctx.skip(result.reason);
        if (result.status === 'fail') throw new Error(formatFailure(run.target.name, result));
        // A SHOULD failure, an inconclusive check or an INFO finding passes the test, visibly:
        // verbose and GitHub Actions reporters print annotations.
        if (result.status !== 'pass') await ctx.annotate(formatFailure(run.target.name, result), result.status === 'info' ? 'notice' : 'warning');
        else if (result.level === 'INFO' && result.findings) await ctx.annotate(`[${clause.id}] ${JSON.stringify(result.findings)}`, 'notice');
      });
    }
    afterAll(async () => {
      const files = await run.writeReport();
      if (files.length > 0) console.log(`conformance report: ${files.join(', ')}`);
    });
  });
}
