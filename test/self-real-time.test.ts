/**
 * The timed clauses judge real time differently (tolerance windows, concurrent waits), so they
 * must prove themselves there too: expiry bugs are caught on the system clock, not only on an
 * injected one.
 */
import { describe, expect, it } from 'vitest';
import { checkConformance, type ClauseId } from '../suite/index.js';
import { defects } from './broken/defects.js';

const TIMED: ClauseId[] = ['replace', 'expiry', 'touch'];
const cases: [string, ClauseId[]][] = [
  ['sessions never expire', ['replace', 'expiry', 'touch']],
  ['set on an existing id keeps the old expiry', ['replace']],
  ['touch only ever extends, never shortens the expiry', ['touch']],
  ['touch revives an expired session', ['expiry', 'touch']],
  ['get slides the expiry forward', ['replace', 'expiry', 'touch']],
];

describe.concurrent('broken stores on the system clock are caught by the timed clauses', () => {
  it.each(cases)('%s', async (name, fails) => {
    const defect = defects.find((d) => d.name === name)!;
    const report = await checkConformance({ ...defect.target, clock: 'system' }, { only: TIMED, numRuns: 6, seed: 5 });
    expect(report.clauses.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(fails);
  });
});
