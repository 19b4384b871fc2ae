/** What a broken store is to the self-tests: the store, and exactly the clauses that must catch it. */
import type { ClauseId } from '../../suite/contract.js';
import type { StoreFactory } from '../../entry/index.js';
import type { Anomaly } from '../../suite/linearizability/index.js';

export interface Defect {
  name: string;
  fails: ClauseId[];
  /** The target as the suite sees it: injected clock, plus what the broken store declares. */
  target: StoreFactory;
  /** For races: the clause whose report must name the anomaly, and the names that fit the bug. */
  anomaly?: { clause: ClauseId; names: Anomaly[] };
}
