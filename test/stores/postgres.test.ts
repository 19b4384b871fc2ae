import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runConformance } from '../../entry/index.js';
import { PostgresStore } from '../../stores/index.js';
import { serverFor } from '../support/servers.js';

const found = await serverFor('postgres');

if ('skip' in found) {
  describe.skip(`PostgresStore: ${found.skip}`, () => {
    it('needs a PostgreSQL server', () => {});
  });
} else {
  const { url } = found.server;
  // Tables of this file's own; the canary's session must outlive the run untouched.
  const table = `conformance_${process.pid}`;
  const canary = `canary_${process.pid}`;
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const scalar = async (sql: string, values: unknown[] = []) => Object.values((await admin.query(sql, values)).rows[0] ?? {})[0];

  beforeAll(async () => {
    const store = await PostgresStore.connect({ url, table: canary });
    await store.set('conformance-0', { canary: true }, 3_600_000);
    await store.close();
  });

  afterAll(async () => {
    const store = await PostgresStore.connect({ url, table: canary });
    expect(await store.get('conformance-0')).toEqual({ canary: true });
    await store.close();
    for (const name of [table, canary, `Mixed_Case_${process.pid}`, `sweep_${process.pid}`, `skew_${process.pid}`, `borrowed_${process.pid}`]) await admin.query(`DROP TABLE IF EXISTS "${name}"`);
    await admin.end();
  });

  // Every instance has its own pool on one table, as several app servers would.
  runConformance({
    name: 'postgres',
    ...PostgresStore.declares,
    open: () => PostgresStore.connect({ url, table }),
  });
  // A quoted name is used exactly: another table's sessions stay apart.
  runConformance({
    name: 'postgres (mixed-case table)',
    ...PostgresStore.declares,
    open: () => PostgresStore.connect({ url, table: `Mixed_Case_${process.pid}` }),
  }, { only: ['id-isolation', 'cross-instance'] });

  describe('PostgresStore', () => {
    it('uses an existing pool and leaves it open', async () => {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      const store = await PostgresStore.connect({ pool, table: `borrowed_${process.pid}` });
      await store.set('borrowed', { a: 1 }, 10_000);
      expect(await pool.query(`SELECT convert_from(id, 'UTF8') AS id, data FROM "borrowed_${process.pid}"`).then((r) => r.rows)).toEqual([{ id: 'borrowed', data: '{"a":1}' }]);
      expect(await store.pop('borrowed')).toEqual({ a: 1 });
      await store.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await pool.end();
    });

    it('judges expiry by the database clock alone: an app clock decades off changes nothing', async () => {
      const store = await PostgresStore.connect({ url, table: `skew_${process.pid}` });
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(new Date('1990-01-01T00:00:00Z'));
        await store.set('skewed', { v: 1 }, 60_000);
        // The deadline is the database's now() plus the TTL, whatever this process believes the time is.
        const left = Number(await scalar(`SELECT extract(epoch FROM expires_at - now()) * 1000 FROM "skew_${process.pid}" WHERE id = $1`, [Buffer.from('skewed')]));
        expect(left).toBeGreaterThan(55_000);
        expect(left).toBeLessThanOrEqual(60_000);
        vi.setSystemTime(new Date('2150-01-01T00:00:00Z'));
        expect(await store.get('skewed')).toEqual({ v: 1 });
        expect(await store.touch('skewed', 60_000)).toBe(true);
        expect(await store.update('skewed', (d) => ({ ...d, v: 2 }), 60_000)).toEqual({ v: 2 });
        // With the app's clock standing still, a short session still ends on the database's.
        await store.set('short', { v: 1 }, 50);
        const deadline = performance.now() + 5000;
        while ((await store.get('short')) !== undefined) expect(performance.now()).toBeLessThan(deadline);
        expect(Number(await scalar(`SELECT count(*) FROM "skew_${process.pid}" WHERE id = $1 AND expires_at <= now()`, [Buffer.from('short')]))).toBe(1);
        expect(await store.pop('skewed')).toEqual({ v: 2 });
      } finally {
        vi.useRealTimers();
        await store.close();
      }
    });

    it('sweeps expired rows in bounded batches that walk the whole table round and round, and no live one', async () => {
      const name = `sweep_${process.pid}`;
      const store = await PostgresStore.connect({ url, table: name, sweepEveryWrites: 1_000_000, sweepBatch: 10 });
      for (let i = 0; i < 50; i++) await store.set(`old-${String(i).padStart(2, '0')}`, { i }, 1);
      for (let i = 0; i < 5; i++) await store.set(`new-${i}`, { i }, 3_600_000);
      // Expired by the database's clock: wait for it there, not for a guessed sleep.
      while (Number(await scalar(`SELECT count(*) FROM "${name}" WHERE expires_at > now()`)) > 5);
      const swept: number[] = [];
      for (let i = 0; i < 7; i++) swept.push(await store.sweep());
      for (const n of swept) expect(n).toBeLessThanOrEqual(10);
      expect(swept.reduce((a, b) => a + b)).toBe(50);
      expect(Number(await scalar(`SELECT count(*) FROM "${name}"`))).toBe(5);
      for (let i = 0; i < 5; i++) expect(await store.pop(`new-${i}`)).toEqual({ i });
      await store.close();
    });

    it('sweeps by itself as writes go by', async () => {
      const name = `sweep_${process.pid}`;
      const store = await PostgresStore.connect({ url, table: name, sweepEveryWrites: 25, sweepBatch: 100 });
      for (let i = 0; i < 20; i++) await store.set(`gone-${i}`, { i }, 1);
      while (Number(await scalar(`SELECT count(*) FROM "${name}" WHERE expires_at > now()`)) > 0);
      // The 25th write starts a sweep; close() waits for it.
      for (let i = 0; i < 5; i++) await store.set(`live-${i}`, {}, 60_000);
      await store.close();
      expect(Number(await scalar(`SELECT count(*) FROM "${name}"`))).toBe(5);
      await admin.query(`DELETE FROM "${name}"`);
    });

    it('rejects a table name that is not a plain identifier, before connecting', () => {
      expect(() => new PostgresStore({ url, table: 'sessions; DROP TABLE x' })).toThrow(/table must be a plain SQL identifier/);
      expect(() => new PostgresStore({ url, table: 'x'.repeat(64) })).toThrow(/at most 63 characters/);
    });
  });
}
