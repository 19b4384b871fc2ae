/**
 * The `faults` clause on a PostgreSQL of its own, killed (SIGKILL to the postmaster and its
 * backends) and started again by the heal: what PostgresStore may declare as `durable` is measured
 * here, on the server's settings that decide it.
 */
import { describe, expect, it } from 'vitest';
import { PostgresStore } from '../stores/index.js';
import { processFaults, startLocalServer, type LocalServer } from '../servers/index.js';
import { faultsClause, hasPostgres, withServer } from './support/faults.js';

/** PostgresStore, with the durability it declares, on `server`, which the run kills once, until the heal. */
function killedDurable(name: string, server: LocalServer) {
  return {
    name,
    ...PostgresStore.declares,
    open: () => PostgresStore.connect({ url: server.url, timeoutMs: 1000 }),
    faults: { driver: processFaults([server]), faults: [{ kind: 'kill' as const }], durationMs: 4000 },
  };
}

describe.skipIf(!hasPostgres)('faults: PostgreSQL killed and restarted', () => {
  it('with fsync on (the default), nothing acknowledged is lost, resurrected or read stale', () =>
    withServer(startLocalServer('postgres', { extraArgs: ['-c', 'fsync=on', '-c', 'full_page_writes=on'] }), async (server) => {
      const result = await faultsClause(killedDurable('postgres (fsync on)', server));
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ level: 'MUST', status: 'pass' });
      expect(result.findings).toMatchObject({ anomalies: {}, lostSessions: 0 });
      expect(result.findings.acknowledged).toBeGreaterThan(100);
      expect(result.findings.unavailableMs).toBeGreaterThan(0);
    }));

  it('with fsync off, as the tests run it, a process kill loses nothing either: each commit reached the OS', () =>
    withServer(startLocalServer('postgres'), async (server) => {
      const result = await faultsClause(killedDurable('postgres (fsync off)', server));
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ level: 'MUST', status: 'pass' });
      expect(result.findings.acknowledged).toBeGreaterThan(100);
    }));

  it('with the sessions table UNLOGGED (a common speed tip), a kill loses every session, and a durable claim fails naming it', () =>
    // Crash recovery empties an unlogged table: the loss is certain, where synchronous_commit off only
    // loses the commits still in the last partial WAL page (the WAL writer writes every full page
    // at once), and some kills landed where no acknowledged write was at risk.
    withServer(startLocalServer('postgres'), async (server) => {
      const setup = await PostgresStore.connect({ url: server.url });
      await setup.pool.query('ALTER TABLE sessions SET UNLOGGED');
      await setup.close();
      const result = await faultsClause(killedDurable('postgres (unlogged table)', server));
      // An emptied table can only lose writes: nothing popped comes back, no earlier value survives.
      expect(result).toMatchObject({ level: 'MUST', status: 'fail' });
      expect(Object.keys(result.findings.anomalies)).toEqual(['lost write']);
      expect(result.findings.lostSessions).toBeGreaterThan(0);
      expect(result.error).toMatch(/under kill: \d+ × lost write \(\d+ of 64 sessions lost\)/);
    }));
});
