/** The `faults` clause on a Redis Cluster of its own, with a replica per master: one master killed. */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisStore } from '../stores/index.js';
import { processFaults, startLocalCluster } from '../servers/index.js';
import { faultsClause, hasCluster } from './support/faults.js';
import { REDIS_DRIVERS } from './support/redis-drivers.js';

describe.skipIf(!hasCluster).each(REDIS_DRIVERS)('faults: Redis Cluster with replicas, on %s', (driver) => {
  it('one master killed: writes resume after failover, the window is reported, and the run ends with its outcome', async () => {
    const cluster = await startLocalCluster({ replicas: true });
    try {
      const roles = await Promise.all(
        cluster.nodes.map(async (node) => {
          const client = new Redis(node.port, '127.0.0.1');
          const [role] = (await client.role()) as [string];
          client.disconnect();
          return role;
        }),
      );
      const master = cluster.nodes[roles.indexOf('master')]!;
      const result = await faultsClause({
        name: `redis-cluster (${driver}, master killed)`,
        ...RedisStore.declares,
        open: () => RedisStore.connect({ url: cluster.url, timeoutMs: 1000, driver }),
        faults: { driver: processFaults([master]), faults: [{ kind: 'kill' }], durationMs: 9000 },
      });
      expect(result).toMatchObject({ level: 'INFO', status: 'pass' });
      const [fault, killed] = Object.entries(result.findings.afterFaults as Record<string, { affectedSessions: number; writesResumedAfterMs: number }>)[0]!;
      const at = (text: string) => Number(/\+(\d+) ms/.exec(text)![1]);
      const healAt = at((result.findings.faults as string[]).find((line) => line.endsWith(' heal'))!);
      // Every affected session (the dead master's, and others' while the cluster refused uncovered
      // slots) took writes again after the failover (node timeout 1 s plus the election), before
      // the heal restarted the old master.
      expect(killed.affectedSessions).toBeGreaterThan(0);
      expect(killed.writesResumedAfterMs).toBeGreaterThan(1000);
      expect(at(fault) + killed.writesResumedAfterMs).toBeLessThan(healAt);
      expect(result.findings.unavailableMs).toBeGreaterThan(0);
      // Asynchronous replication may lose the last writes to the dead master: if so, named as such.
      for (const anomaly of Object.keys(result.findings.anomalies)) expect(['lost write', 'stale read']).toContain(anomaly);
    } finally {
      await cluster.stop();
    }
  });
});
