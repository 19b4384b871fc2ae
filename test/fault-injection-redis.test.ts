/** The `faults` clause on a standalone Redis of its own: restarts with and without persistence, and a partition. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedisStore } from '../stores/index.js';
import { FaultProxy, processFaults, startLocalServer, type LocalServer } from '../servers/index.js';
import { faultsClause, hasRedis, withServer } from './support/faults.js';
import { REDIS_DRIVERS } from './support/redis-drivers.js';
import type { RedisDriverName } from '../stores/redis.js';

/** RedisStore claiming durability on `server`, which the run restarts once. */
function restartedDurable(name: string, server: LocalServer, driver: RedisDriverName) {
  return {
    name,
    ...RedisStore.declares,
    durable: true,
    open: () => RedisStore.connect({ url: server.url, timeoutMs: 1000, driver }),
    faults: { driver: processFaults([server]), faults: [{ kind: 'restart' as const }], durationMs: 2000 },
  };
}

describe.skipIf(!hasRedis).each(REDIS_DRIVERS)('faults: standalone Redis, on %s', (driver) => {
  it('without persistence, restarted mid-run: acknowledged sessions are lost, and a durable claim fails naming it', () =>
    withServer(startLocalServer('redis'), async (server) => {
      const result = await faultsClause(restartedDurable(`redis (${driver}, no persistence)`, server, driver));
      expect(result.level).toBe('MUST');
      expect(result.status).toBe('fail');
      expect(result.anomaly).toBe('lost write');
      expect(result.error).toMatch(/under restart: \d+ × lost write.*\(\d+ of 64 sessions lost\)/);
      // Calls that failed while the server was down may stand between the fault and the lost write.
      expect(result.error).toMatch(/fault +restart\n(?:.*failed.*\n)*.*✗ lost write: expected #\d+/);
      // A failed clause carries its counts in the message: the report keeps findings for passes.
      expect(result.error).toMatch(/\(([1-9]\d*) of 64 sessions lost\)/);
    }));

  it('with AOF and appendfsync always, restarted mid-run: nothing acknowledged is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scc-aof-'));
    try {
      await withServer(startLocalServer('redis', { extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir] }), async (server) => {
        const result = await faultsClause(restartedDurable(`redis (${driver}, AOF always)`, server, driver));
        expect(result.error).toBeUndefined();
        expect(result).toMatchObject({ level: 'MUST', status: 'pass' });
        expect(result.findings).toMatchObject({ anomalies: {}, lostSessions: 0 });
        expect(result.findings.acknowledged).toBeGreaterThan(100);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('partitioned through the proxy for longer than a call may take: no loss and no stale read after heal', () =>
    withServer(startLocalServer('redis'), async (server) => {
      const proxy = await FaultProxy.start({ host: '127.0.0.1', port: server.port });
      try {
        const result = await faultsClause({
          name: `redis (${driver}, partitioned)`,
          ...RedisStore.declares,
          durable: true,
          open: () => RedisStore.connect({ url: proxy.url(server.url), timeoutMs: 5000, driver }),
          faults: { driver: proxy, faults: [{ kind: 'partition', ms: 1500 }], durationMs: 3000 },
        });
        expect(result.error).toBeUndefined();
        expect(result).toMatchObject({ level: 'MUST', status: 'pass' });
        expect(result.findings.anomalies).toEqual({});
        // The partition outlasted the 1 s a call may take: calls failed, and were allowed to land later.
        expect(result.findings.indeterminate).toBeGreaterThan(0);
        expect(result.findings.unavailableMs).toBeGreaterThanOrEqual(1000);
      } finally {
        await proxy.close();
      }
    }));
});
