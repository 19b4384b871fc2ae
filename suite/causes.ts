/**
 * What one failure's cause is, as a key two failures share only when they have the same cause:
 * the same store error (a refused or thrown call), or the same kind of broken expectation. Ids,
 * numbers and quoted text are normalized out, so that the same cause on other inputs still matches.
 */
import { messageOf } from './describe-value.js';
import { rejectedCall } from './harness.js';

/** `text` without what changes from one input to the next: quoted strings, ids, numbers. */
export function normalizeMessage(text: string): string {
  return text
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'…'")
    .replace(/\bscc-[0-9a-f]{8}-\S*/g, '<id>')
    .replace(/\b[0-9a-f]{16,}\b/gi, '<id>')
    .replace(/\d+(?:\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The store's own error, when a store call rejected, threw or hung; its key is the error alone, whichever call it was. */
export function refusalKey(storeError: string): string {
  return `refused: ${normalizeMessage(storeError)}`;
}

/**
 * The cause of a failure inside a property: a refused or failed call by the store's error; a
 * broken expectation by its anomaly, or as one kind, "a wrong result", whatever values it saw and
 * whichever call saw them (a model run's get and pop that both read a lost write are one bug).
 * Coarse on purpose: a property runs once more per kind, and two kinds must really differ.
 */
export function causeKey(error: unknown): string {
  if (rejectedCall(error) !== undefined) return refusalKey(messageOf(error));
  if ((error as Error | null)?.name !== 'ClauseViolation') return `error: ${normalizeMessage(messageOf(error).split('\n', 1)[0]!)}`;
  const anomaly = (error as { details?: { anomaly?: string } }).details?.anomaly;
  return anomaly === undefined ? 'a wrong result' : `anomaly: ${anomaly}`;
}

interface Failure<Id> {
  id: Id;
  error?: string;
  failedCall?: { error: string };
}

/** The key two clauses' failures share only when their cause is the same: the same store error, or the same message but for ids and numbers. */
function failureKey(f: Failure<unknown>): string | undefined {
  if (f.failedCall) return refusalKey(f.failedCall.error);
  return f.error === undefined ? undefined : `message: ${normalizeMessage(f.error.split('\n', 1)[0]!)}`;
}

/**
 * For each failure whose cause another failure shares, the ids of all of them in the given order:
 * a report leads with such a cause once and lists the clauses it touched.
 */
export function sharedCauses<Id>(failures: readonly Failure<Id>[]): Map<Id, Id[]> {
  const byKey = new Map<string, Id[]>();
  for (const f of failures) {
    const key = failureKey(f);
    if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), f.id]);
  }
  const shared = new Map<Id, Id[]>();
  for (const ids of byKey.values()) if (ids.length > 1) for (const id of ids) shared.set(id, ids);
  return shared;
}
