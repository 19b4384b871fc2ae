/**
 * matrix/verdicts.json: the committed verdict of every store × clause, and the comparison
 * `npm run matrix -- --check` makes against a run.
 */
import type { ClauseStatus } from '../suite/index.js';

/** Store column → clause id → status. */
export type Verdicts = Record<string, Record<string, ClauseStatus>>;

export interface Cell {
  column: string;
  clause: string;
  committed: ClauseStatus | undefined;
  now: ClauseStatus | undefined;
}

/**
 * The cells whose verdict changed, and those the run could not judge. An `inconclusive` cell (a
 * real-time check on a machine too busy to judge) is not a changed verdict: it is listed apart,
 * so that load alone never fails CI, and never passes silently either. A store or clause that is
 * new, or gone, is a change.
 */
export function compareVerdicts(committed: Verdicts, now: Verdicts): { changed: Cell[]; unjudged: Cell[] } {
  const changed: Cell[] = [];
  const unjudged: Cell[] = [];
  for (const column of new Set([...Object.keys(committed), ...Object.keys(now)])) {
    const before = committed[column] ?? {};
    const after = now[column] ?? {};
    for (const clause of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const cell = { column, clause, committed: before[clause], now: after[clause] };
      if (cell.now === 'inconclusive' && cell.committed !== 'inconclusive' && cell.committed !== undefined) unjudged.push(cell);
      else if (cell.now !== cell.committed) changed.push(cell);
    }
  }
  return { changed, unjudged };
}

export const describeCell = (cell: Cell): string => `${cell.column} × ${cell.clause}: ${cell.committed ?? '(none)'} → ${cell.now ?? '(none)'}`;
