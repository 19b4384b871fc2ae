import fc from 'fast-check';
import type { Anomaly } from './anomaly.js';
import { causeKey } from './causes.js';
import type { FaultDrawing, HistoryDrawing } from './drawing.js';
import { messageOf } from './describe-value.js';
import { preview } from './json-equal.js';
import type { FailedCall } from './result.js';
import { ClauseStopped } from './strays.js';

/** How much of a counterexample a failure prints: enough to read, short enough to scan. */
export const COUNTEREXAMPLE_CHARS = 300;

/** How a failure reads when the check threw nothing with a message. */
export const CHECK_FAILED = 'the check failed with';

/** What a failing clause reports: enough to understand the failure and to replay it. */
export interface ViolationDetails {
  /** For concurrency and faults clauses: the named anomaly (double pop, lost write, …), the nearest where the check got stuck. */
  anomaly?: Anomaly;
  /** Every anomaly type the history showed, `anomaly` first. */
  anomalyTypes?: Anomaly[];
  counterexample?: string;
  seed?: number;
  path?: string;
  shrinks?: number;
  /** fast-check's replay path of a failing command sequence (model runs). */
  replayPath?: string;
  /** The violating history or faults run, as data for the HTML report to draw. */
  history?: HistoryDrawing;
  faults?: FaultDrawing;
  /** A store call that rejected, threw or hung where the clause needed it to succeed, and the store's error. */
  failedCall?: FailedCall;
  /** Failures of other kinds the same property showed once the first one's were set aside. */
  furtherCauses?: ClauseViolation[];
}

/** A counterexample as a clause renders it: text, plus the replay path of a command sequence. */
export interface RenderedCounterexample {
  text: string;
  replayPath?: string;
}

/**
 * A clause's expectation broke: a wrong result, a lost write, an id that is not random enough.
 * A call that broke how calls work (threw synchronously, hung) is a CallViolation (harness.ts).
 */
export class ClauseViolation extends Error {
  override name = 'ClauseViolation';
  readonly details: ViolationDetails;

  constructor(message: string, details: ViolationDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.details = details;
  }
}

/** Thrown by checks inside a property; its message reads as the sentence of the contract that broke. */
export function violated(message: string, details?: ViolationDetails): never {
  throw new ClauseViolation(message, details);
}

export interface PropertyRun {
  numRuns: number;
  seed: number;
  path: string | undefined;
}

/**
 * Runs a fast-check property and turns a failure into a ClauseViolation carrying the shrunk
 * counterexample, seed and path. `format` renders the counterexample (model runs print code).
 */
/** How many failures of different kinds one property reports, the first included: each costs a run of the property. */
export const MAX_CAUSES = 3;

/** `property`, with every failure whose cause is in `known` taken for a pass: what is left are failures of other kinds. */
function excluding<Ts>(property: fc.IAsyncPropertyWithHooks<Ts>, known: ReadonlySet<string>): fc.IRawProperty<Ts, true> {
  return {
    isAsync: () => true,
    generate: (mrng, runId) => property.generate(mrng, runId),
    shrink: (value) => property.shrink(value),
    run: async (value) => {
      const outcome = await property.run(value);
      return outcome !== null && !fc.PreconditionFailure.isFailure(outcome) && known.has(causeKey(outcome.error)) ? null : outcome;
    },
    runBeforeEach: () => property.runBeforeEach(),
    runAfterEach: () => property.runAfterEach(),
  };
}

/**
 * Runs a fast-check property and turns a failure into a ClauseViolation carrying the shrunk
 * counterexample, seed and path. `format` renders the counterexample (model runs print code).
 * After a failed call (a refusal, a throw) the property runs again with failures of that cause set
 * aside, up to MAX_CAUSES in all, so that the call does not hide what the checks behind it would
 * find: those come as `furtherCauses`.
 */
export async function checkProperty<Ts>(
  run: PropertyRun,
  property: fc.IAsyncPropertyWithHooks<Ts>,
  // Short and safe: a counterexample can hold kilobytes of random text.
  format: (counterexample: Ts) => string | RenderedCounterexample = (c) => preview(c, COUNTEREXAMPLE_CHARS, fc.stringify),
): Promise<void> {
  const known = new Set<string>();
  const found: ClauseViolation[] = [];
  while (found.length < MAX_CAUSES) {
    // A further search runs half as many runs: a failing store pays at most about one more run of
    // the property than a correct one, and a cause common enough to matter still shows.
    const numRuns = found.length === 0 ? run.numRuns : Math.ceil(run.numRuns / 2);
    const details = await fc.check(found.length === 0 ? property : excluding(property, known), { numRuns, seed: run.seed, path: run.path });
    if (!details.failed) break;
    found.push(violationOf(details, format));
    // Only a call that failed stops a run before its checks, hiding what they would find; a wrong
    // result hides nothing (and a failure outside the property, fast-check giving up, is no cause).
    // Nor does a stopped clause's: its calls all reject from then on, and a further search would find only that.
    if (details.errorInstance === null || details.errorInstance instanceof ClauseViolation || details.errorInstance instanceof ClauseStopped) break;
    known.add(causeKey(details.errorInstance));
  }
  const [first, ...further] = found;
  if (!first) return;
  if (further.length > 0) first.details.furtherCauses = further;
  throw first;
}

function violationOf<Ts>(details: fc.RunDetails<Ts>, format: (counterexample: Ts) => string | RenderedCounterexample): ClauseViolation {
  const rendered = details.counterexample === null ? undefined : format(details.counterexample);
  const { text: counterexample, replayPath } = typeof rendered === 'string' ? { text: rendered } : (rendered ?? {});
  const { anomaly, anomalyTypes, history } = details.errorInstance instanceof ClauseViolation ? details.errorInstance.details : {};
  return new ClauseViolation(
    messageOf(details.errorInstance, CHECK_FAILED),
    { anomaly, ...(anomalyTypes && { anomalyTypes }), ...(history && { history }), counterexample, seed: details.seed, path: details.counterexamplePath ?? undefined, shrinks: details.numShrinks, ...(replayPath && { replayPath }) },
    { cause: details.errorInstance },
  );
}
