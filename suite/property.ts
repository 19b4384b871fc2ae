import fc from 'fast-check';
import type { FaultDrawing, HistoryDrawing } from './drawing.js';
import { describeThrown } from './describe-value.js';
import { preview } from './json-equal.js';

/** How much of a counterexample a failure prints: enough to read, short enough to scan. */
export const COUNTEREXAMPLE_CHARS = 300;

/** What a failing clause reports: enough to understand the failure and to replay it. */
export interface ViolationDetails {
  /** For concurrency clauses: the named anomaly (double pop, lost write, …). */
  anomaly?: string;
  counterexample?: string;
  seed?: number;
  path?: string;
  shrinks?: number;
  /** fast-check's replay path of a failing command sequence (model runs). */
  replayPath?: string;
  /** The violating history or faults run, as data for the HTML report to draw. */
  history?: HistoryDrawing;
  faults?: FaultDrawing;
}

/** A counterexample as a clause renders it: text, plus the replay path of a command sequence. */
export interface RenderedCounterexample {
  text: string;
  replayPath?: string;
}

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

/** What went wrong, never empty: a check that threw nothing useful still says what it threw. */
export function messageOf(error: unknown): string {
  return error instanceof Error && error.message !== '' ? error.message : `the check failed with ${describeThrown(error)}`;
}

/**
 * Runs a fast-check property and turns a failure into a ClauseViolation carrying the shrunk
 * counterexample, seed and path. `format` renders the counterexample (model runs print code).
 */
export async function checkProperty<Ts>(
  run: PropertyRun,
  property: fc.IAsyncPropertyWithHooks<Ts>,
  // Short and safe: a counterexample can hold kilobytes of random text.
  format: (counterexample: Ts) => string | RenderedCounterexample = (c) => preview(c, COUNTEREXAMPLE_CHARS, fc.stringify),
): Promise<void> {
  const details = await fc.check(property, { numRuns: run.numRuns, seed: run.seed, path: run.path });
  if (!details.failed) return;
  const rendered = details.counterexample === null ? undefined : format(details.counterexample);
  const { text: counterexample, replayPath } = typeof rendered === 'string' ? { text: rendered } : (rendered ?? {});
  const { anomaly, history } = details.errorInstance instanceof ClauseViolation ? details.errorInstance.details : {};
  throw new ClauseViolation(
    messageOf(details.errorInstance),
    { anomaly, ...(history && { history }), counterexample, seed: details.seed, path: details.counterexamplePath ?? undefined, shrinks: details.numShrinks, ...(replayPath && { replayPath }) },
    { cause: details.errorInstance },
  );
}
