/** The one way a clause checks a recorded history: a violation becomes the clause's failure. */
import { violated, type ViolationDetails } from '../property.js';
import { assertNoErrors, type History } from './history.js';
import { describeViolation } from './render.js';
import { checkHistory, type CheckOptions } from './search.js';

export interface Expectation extends CheckOptions {
  /** Which race or run this was, for the violation's header line. */
  context?: string;
  /** Replay details (counterexample, seed) to report with a violation. */
  details?: ViolationDetails;
}

/** Every call succeeded and one register per session id explains the history; else the clause fails with the first violation. */
export function expectLinearizable(history: History, expectation: Expectation = {}): void {
  assertNoErrors(history);
  const result = checkHistory(history, expectation);
  if (result.ok) return;
  const violation = result.violations[0]!;
  violated(describeViolation(violation, expectation.context), { ...expectation.details, anomaly: violation.anomaly });
}
