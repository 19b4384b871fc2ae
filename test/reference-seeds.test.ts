/** No false alarms: the embedded reference stores pass every clause on many seeds. */
import { describe, expect, it } from 'vitest';
import { checkConformance, type StoreFactory } from '../suite/index.js';
import { MemoryStore, SqliteStore } from '../stores/index.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const targets: StoreFactory[] = [
  { name: 'memory', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) },
  { name: 'sqlite', clock: 'injected', open: ({ clock }) => new SqliteStore({ clock }) },
];

describe.each(targets)('$name passes on many seeds', (target) => {
  it.each(SEEDS)('seed %i', async (seed) => {
    const report = await checkConformance(target, { seed, numRuns: 60 });
    const failures = report.clauses.filter((c) => c.status !== 'pass');
    expect(failures.map((c) => `${c.id}: ${c.error ?? c.reason}`)).toEqual([]);
  });
});
