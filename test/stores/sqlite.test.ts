import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock, runConformance } from '../../entry/index.js';
import { SqliteStore } from '../../stores/index.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('sqlite');
let files = 0;
const newFile = () => join(dir, `sessions-${++files}.db`);

// Every instance opens the same file, as several app processes would.
const sharedFile = newFile();
runConformance({ name: 'sqlite file (injected clock)', clock: 'injected', sharedBackend: true, open: ({ clock }) => new SqliteStore({ path: sharedFile, clock }) });
runConformance({ name: 'sqlite :memory: (injected clock)', clock: 'injected', open: ({ clock }) => new SqliteStore({ path: ':memory:', clock }) });
runConformance(new SqliteStore({ path: newFile() }));

describe('SqliteStore', () => {
  it('keeps sessions in a real file: a second handle on the same file reads them', async () => {
    const path = newFile();
    const clock = new ManualClock();
    const writer = new SqliteStore({ path, clock });
    const reader = new SqliteStore({ path, clock });
    await writer.set('shared', { user: 1 }, 1000);
    expect(await reader.get('shared')).toEqual({ user: 1 });
    expect(await reader.pop('shared')).toEqual({ user: 1 });
    expect(await writer.get('shared')).toBeUndefined();
    expect(writer.database.pragma('journal_mode', { simple: true })).toBe('wal');
    await writer.close();
    await reader.close();
  });

  it('deletes expired rows as writes go by, so they do not accumulate', async () => {
    const clock = new ManualClock();
    const store = new SqliteStore({ clock, sweepEveryWrites: 10 });
    for (let i = 0; i < 50; i++) await store.set(`old-${i}`, { i }, 100);
    clock.advance(100);
    for (let i = 0; i < 10; i++) await store.set(`new-${i}`, { i }, 100);
    const { n } = store.database.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number };
    expect(n).toBe(10);
    await store.close();
  });

  it('sweeps in bounded batches that walk the whole table round and round', async () => {
    const clock = new ManualClock();
    const store = new SqliteStore({ clock, sweepEveryWrites: 1, sweepBatch: 10 });
    const count = () => (store.database.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
    for (let i = 0; i < 50; i++) await store.set(`old-${String(i).padStart(2, '0')}`, { i }, 100);
    clock.advance(100);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      await store.set(`new-${i}`, { i }, 1000);
      seen.push(count());
    }
    // No write removes more than a batch; within a lap of the table every expired row is gone.
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]! + 1 - seen[i]!).toBeLessThanOrEqual(10);
    expect(seen.at(-1)).toBe(8);
    await store.close();
  });

  it('leaves a database handle it was given open', async () => {
    const owner = new SqliteStore({ path: newFile() });
    const borrower = new SqliteStore({ database: owner.database });
    await borrower.close();
    expect(owner.database.open).toBe(true);
    await owner.close();
    expect(owner.database.open).toBe(false);
  });

  it('rejects a table name that is not a plain identifier', () => {
    expect(() => new SqliteStore({ table: 'sessions; DROP TABLE x' })).toThrow(/table must be a plain SQL identifier/);
  });
});
