import type { ClauseLevel } from './contract.js';

/**
 * - `pass`: the clause held.
 * - `fail`: a MUST clause broke (or, under `strict`, a SHOULD clause broke or could not judge).
 * - `warn`: a SHOULD clause broke: reported, but the run is still ok.
 * - `inconclusive`: the clause could not judge enough of its checks to say it held.
 * - `info`: an INFO clause reported something beyond its findings; it never fails a run.
 * - `skipped`: the clause does not apply to this store.
 */
export type ClauseStatus = 'pass' | 'fail' | 'warn' | 'inconclusive' | 'info' | 'skipped';

export const CLAUSE_STATUSES: readonly ClauseStatus[] = ['pass', 'fail', 'warn', 'inconclusive', 'info', 'skipped'];

/** What a clause's check came to, before its level and the run's strictness decide the status. */
export type Outcome = 'held' | 'broke' | 'inconclusive';

export function statusFor(level: ClauseLevel, outcome: Outcome, strict: boolean): ClauseStatus {
  if (outcome === 'held') return 'pass';
  // INFO measures what the contract allows: whatever it finds, it only informs.
  if (level === 'INFO') return outcome === 'broke' ? 'info' : 'inconclusive';
  if (outcome === 'inconclusive') return strict ? 'fail' : 'inconclusive';
  return level === 'MUST' || strict ? 'fail' : 'warn';
}
