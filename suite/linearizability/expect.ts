/** The one way a clause checks a recorded history: a violation becomes the clause's failure. */
import { violated, type ViolationDetails } from '../property.js';
import { describeOperation, type History } from './history.js';
import { describeViolation, timeline } from './render.js';
import { drawViolation } from './drawing.js';
import { checkHistory, type CheckOptions, type CheckResult } from './check.js';

export interface Expectation extends CheckOptions {
  /** Which race or run this was, for the violation's header line. */
  context?: string;
  /** Replay details (counterexample, seed) to report with a violation. */
  details?: ViolationDetails;
  /**
   * Told when the search gave up on a session id and found no violation (a clause passes
   * `ctx.inconclusive`). Without it such a history throws: a check that could not judge never passes.
   */
  inconclusive?: (reason: string) => void;
}

/** Why the history was not checked in full, one clause per undecided id. */
function gaveUp(result: CheckResult, context: string | undefined): string {
  const ids = result.undecided.map((u) => `the linearizability search gave up on session "${u.id}" after ${u.tries} tries (${u.operations} operations)`).join('; ');
  return context === undefined ? ids : `${context}: ${ids}`;
}

/**
 * The concurrency clauses expect every call to succeed: a store that errors under load fails them
 * with its own error and the call that failed, and the session's operations as evidence, rather
 * than passing on a history of failures the checker must excuse.
 */
export function expectNoErrors(history: History, expectation: Pick<Expectation, 'context' | 'details'> = {}): void {
  const failed = history.find((op) => op.error !== undefined);
  if (!failed) return;
  const call = describeOperation(failed);
  const { context, details } = expectation;
  const evidence = `the operations on session ${JSON.stringify(failed.id)}:\n${timeline(history.filter((op) => op.id === failed.id))}`;
  violated(`${call} failed under concurrency${context === undefined ? '' : ` (${context})`}: ${failed.error}`, {
    ...details,
    counterexample: details?.counterexample === undefined ? evidence : `${details.counterexample}\n${evidence}`,
    failedCall: { call, error: failed.error! },
  });
}

/**
 * Every call succeeded and one register per session id explains the history; else the clause fails
 * with the first violation. A history the search gave up on is reported as not judged.
 */
export function expectLinearizable(history: History, expectation: Expectation = {}): void {
  expectNoErrors(history, expectation);
  const result = checkHistory(history, expectation);
  if (result.ok) return;
  // A violation found on one id stands, whatever the search could not decide on another.
  const violation = result.violations[0];
  if (violation) {
    const history = drawViolation(violation, { toleranceMs: expectation.toleranceMs, context: expectation.context });
    // Led by the first violated session's anomaly; the others are listed, every type once.
    const anomalyTypes = [violation.anomaly, ...result.anomalyTypes.filter((t) => t !== violation.anomaly)];
    const others = result.violations.slice(1).map((v) => `${v.anomaly} on session ${JSON.stringify(v.id)}`);
    const also = others.length === 0 ? '' : `\n\nAlso in this history: ${others.join('; ')}.`;
    violated(`${describeViolation(violation, expectation.context)}${also}`, { ...expectation.details, anomaly: violation.anomaly, anomalyTypes, history });
  }
  const reason = gaveUp(result, expectation.context);
  if (!expectation.inconclusive) throw new Error(`${reason}: the history was not checked in full (raise maxTries, or pass inconclusive to report it)`);
  // Returning, not throwing: inside a property, a throw would be taken for a counterexample and shrunk.
  expectation.inconclusive(reason);
}
