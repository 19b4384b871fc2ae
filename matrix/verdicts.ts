/**
 * matrix/verdicts.json: the committed verdict of every store × clause, and the comparison
 * `npm run matrix -- --check` makes against a run.
 */
import type { ClauseStatus } from '../entry/index.js';

/** Store column → clause id → status. */
export type Verdicts = Record<string, Record<string, ClauseStatus>>;

export interface Cell {
  column: string;
  clause: string;
  committed: ClauseStatus | undefined;
  now: ClauseStatus | undefined;
}

/**
 * The cells whose verdict changed, and those that could not be judged. An `inconclusive` cell (a
 * real-time check on a machine too busy to judge), in the run or in the committed file, is not a
 * changed verdict: it is listed apart, so that load alone never fails CI, and never passes
 * silently either. Nor is a committed failure that passed this time while the repro backing it
 * (`shownByRepro`) showed the defect again: a race the suite did not meet. A store or clause that
 * is new, or gone, is a change.
 */
export function compareVerdicts(committed: Verdicts, now: Verdicts, shownByRepro: (column: string, clause: string) => boolean = () => false): { changed: Cell[]; unjudged: Cell[] } {
  const changed: Cell[] = [];
  const unjudged: Cell[] = [];
  for (const column of new Set([...Object.keys(committed), ...Object.keys(now)])) {
    const before = committed[column] ?? {};
    const after = now[column] ?? {};
    for (const clause of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const cell = { column, clause, committed: before[clause], now: after[clause] };
      if (cell.now !== cell.committed && cell.now !== undefined && cell.committed !== undefined && (cell.now === 'inconclusive' || cell.committed === 'inconclusive')) unjudged.push(cell);
      // A race the suite did not meet this time, while the cell's repro still showed the defect on
      // this run's backends: the store has not changed, the dice have.
      else if (cell.committed === 'fail' && cell.now === 'pass' && shownByRepro(column, clause)) unjudged.push(cell);
      else if (cell.now !== cell.committed) changed.push(cell);
    }
  }
  return { changed, unjudged };
}

/**
 * Of the cells a run changed, those a second run of their store alone judged as committed: a
 * verdict that did not hold from one run to the next. They are not changes of the store (its
 * version is pinned) but a race the suite met once, or a check that is not yet deterministic; the
 * check lists them apart, with the first run's story, instead of failing on a coin toss.
 */
export function unstableCells(changed: Cell[], again: Verdicts): Cell[] {
  return changed.filter((cell) => cell.committed !== undefined && cell.now !== undefined && again[cell.column]?.[cell.clause] === cell.committed);
}

export const describeCell = (cell: Cell): string => `${cell.column} × ${cell.clause}: ${cell.committed ?? '(none)'} → ${cell.now ?? '(none)'}`;

/**
 * The verdicts to commit after a run: the run's, except where compareVerdicts sees no change
 * (a cell the run could not judge, a race its repro still shows), which keeps the verdict
 * committed before: such a run says nothing new about the store.
 */
export function verdictsToCommit(committed: Verdicts, now: Verdicts, shownByRepro?: (column: string, clause: string) => boolean): Verdicts {
  const kept = compareVerdicts(committed, now, shownByRepro).unjudged.filter((cell) => cell.now !== undefined && cell.committed !== 'inconclusive');
  const verdicts: Verdicts = Object.fromEntries(Object.entries(now).map(([column, cells]) => [column, { ...cells }]));
  for (const cell of kept) verdicts[cell.column]![cell.clause] = cell.committed!;
  return verdicts;
}
