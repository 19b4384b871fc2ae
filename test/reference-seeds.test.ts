/** No false alarms: the embedded reference stores pass every clause on many seeds. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConformance, type StoreFactory } from '../entry/index.js';
import { MemoryStore, SqliteStore } from '../stores/index.js';
import { shareOf } from './support/share.js';
import { tempDir } from './support/temp-dir.js';

// Eight seeds in all, a share of them per run: .ci/run covers every one across its Node lines.
const SEEDS = shareOf([1, 2, 3, 4, 5, 6, 7, 8]);
const dir = tempDir('seeds');
const targets: StoreFactory[] = [
  { name: 'memory', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) },
  // Several handles on one file: the cross-instance clause runs too.
  { name: 'sqlite', clock: 'injected', sharedBackend: true, open: ({ clock }) => new SqliteStore({ path: join(dir, 'shared.db'), clock }) },
];

describe.each(targets)('$name passes on many seeds', (target) => {
  it.each(SEEDS)('seed %i', async (seed) => {
    const report = await checkConformance(target, { seed, numRuns: 60 });
    const failures = report.clauses.filter((c) => c.status === 'fail');
    expect(failures.map((c) => `${c.id}: ${c.error}`)).toEqual([]);
    const skipped = report.clauses.filter((c) => c.status === 'skipped').map((c) => c.id);
    // No target here supplies faults to inject or makes its own ids, and an injected clock has no event loop to hold.
    expect(skipped).toEqual(target.sharedBackend ? ['faults', 'id-quality', 'expiry-while-busy'] : ['cross-instance', 'faults', 'id-quality', 'expiry-while-busy']);
  });
});
