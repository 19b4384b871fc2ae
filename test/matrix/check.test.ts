/** `npm run matrix -- --check`: which cells count as a changed verdict against matrix/verdicts.json. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MATRIX_DIR } from '../../matrix/published/packages.js';
import { MATRIX_STORES } from '../../matrix/stores.js';
import { compareVerdicts, describeCell, unstableCells, verdictsToCommit, type Verdicts } from '../../matrix/verdicts.js';
import { clauses } from '../../suite/clauses/index.js';

const committed: Verdicts = {
  'connect-redis 11 (node-redis 5)': { 'round-trip': 'pass', 'atomic-pop': 'warn', update: 'skipped' },
  'memorystore 1': { 'ttl-range': 'fail', expiry: 'pass' },
};
const copy = (): Verdicts => JSON.parse(JSON.stringify(committed)) as Verdicts;

describe('compareVerdicts', () => {
  it('finds nothing when every verdict is the committed one', () => {
    expect(compareVerdicts(committed, copy())).toEqual({ changed: [], unjudged: [] });
  });

  it('catches a verdict that changed, either way, and names the cell', () => {
    const now = copy();
    now['memorystore 1']!['ttl-range'] = 'pass'; // a defect fixed, or a check gone blind
    now['connect-redis 11 (node-redis 5)']!['round-trip'] = 'fail'; // a regression, or a false alarm
    const { changed } = compareVerdicts(committed, now);
    expect(changed.map(describeCell).sort()).toEqual(['connect-redis 11 (node-redis 5) × round-trip: pass → fail', 'memorystore 1 × ttl-range: fail → pass']);
  });

  it('counts a store or a clause that appears or disappears as a change', () => {
    const now = copy();
    delete now['memorystore 1'];
    now['connect-redis 11 (node-redis 5)']!['id-quality'] = 'skipped';
    const { changed } = compareVerdicts(committed, now);
    expect(changed.map(describeCell).sort()).toEqual([
      'connect-redis 11 (node-redis 5) × id-quality: (none) → skipped',
      'memorystore 1 × expiry: pass → (none)',
      'memorystore 1 × ttl-range: fail → (none)',
    ]);
  });

  it('lists a cell the machine was too busy to judge apart, not as a change', () => {
    const now = copy();
    now['memorystore 1']!.expiry = 'inconclusive';
    expect(compareVerdicts(committed, now)).toEqual({ changed: [], unjudged: [{ column: 'memorystore 1', clause: 'expiry', committed: 'pass', now: 'inconclusive' }] });
    // …and the other way round: a run that judges a cell committed as unjudged changes nothing either.
    expect(compareVerdicts(now, committed).changed).toEqual([]);
  });

  it("does not count a committed failure that passed this time as a change while the cell's repro still shows the defect", () => {
    const now = copy();
    now['memorystore 1']!['ttl-range'] = 'pass';
    const backed = (column: string, clause: string) => column === 'memorystore 1' && clause === 'ttl-range';
    expect(compareVerdicts(committed, now, backed)).toEqual({ changed: [], unjudged: [{ column: 'memorystore 1', clause: 'ttl-range', committed: 'fail', now: 'pass' }] });
    // Without a repro that shows it, the same cell is a change.
    expect(compareVerdicts(committed, now).changed.map(describeCell)).toEqual(['memorystore 1 × ttl-range: fail → pass']);
  });

  it('keeps the committed verdict of a cell a new run could not judge', () => {
    const now = copy();
    now['memorystore 1']!.expiry = 'inconclusive';
    now['memorystore 1']!['ttl-range'] = 'pass';
    now['new store'] = { expiry: 'inconclusive' };
    expect(verdictsToCommit(committed, now)).toEqual({ ...committed, 'memorystore 1': { 'ttl-range': 'pass', expiry: 'pass' }, 'new store': { expiry: 'inconclusive' } });
  });
});

describe('unstableCells', () => {
  it('names a changed cell that a second run judged as committed, and keeps one that held', () => {
    const now = copy();
    now['connect-redis 11 (node-redis 5)']!['round-trip'] = 'fail';
    now['memorystore 1']!['ttl-range'] = 'pass';
    const { changed } = compareVerdicts(committed, now);
    const again = copy();
    again['memorystore 1']!['ttl-range'] = 'pass'; // held on the second run: a real change
    expect(unstableCells(changed, again).map(describeCell)).toEqual(['connect-redis 11 (node-redis 5) × round-trip: pass → fail']);
  });

  it('never calls a store or clause that appeared or disappeared unstable', () => {
    const now = copy();
    delete now['memorystore 1'];
    expect(unstableCells(compareVerdicts(committed, now).changed, committed)).toEqual([]);
  });
});

describe('matrix/verdicts.json', () => {
  it('has a verdict for every store of the matrix and every clause of the suite', () => {
    const verdicts = JSON.parse(readFileSync(join(MATRIX_DIR, 'verdicts.json'), 'utf8')) as Verdicts;
    expect(Object.keys(verdicts)).toEqual(MATRIX_STORES.map((s) => s.column));
    for (const column of Object.values(verdicts)) expect(Object.keys(column).sort()).toEqual(clauses.map((c) => c.id).sort());
  });
});
