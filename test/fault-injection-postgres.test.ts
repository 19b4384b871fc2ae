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

  it('with synchronous_commit off, acknowledged sessions are lost, and a durable claim fails naming it', () =>
    // The WAL writer flushes every 10 s: every commit of the run is still in shared memory at the kill.
    withServer(startLocalServer('postgres', { extraArgs: ['-c', 'synchronous_commit=off', '-c', 'wal_writer_delay=10000'] }), async (server) => {
      const result = await faultsClause(killedDurable('postgres (synchronous_commit off)', server));
      // The last commits are gone, and each anomaly is one of what that can look like: a write lost
      // outright or rolled back to an earlier acknowledged value, a lost pop (resurrected), an
      // earlier value read after the heal (stale). Which one leads the report varies from run to run.
      expect(result).toMatchObject({ level: 'MUST', status: 'fail' });
      const anomalies = Object.keys(result.findings.anomalies);
      expect(anomalies).not.toEqual([]);
      for (const anomaly of anomalies) expect(['lost write', 'stale read', 'resurrection after pop']).toContain(anomaly);
      expect(result.error).toMatch(/under kill: \d+ × (lost write|stale read|resurrection after pop)/);
    }));
});
