/**
 * The `faults` clause and its drivers against real server processes: each reference backend's
 * outcome under a named fault, asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { checkConformance, type ClauseResult } from '../suite/index.js';
import { MemcachedStore, MemoryStore, RedisStore } from '../stores/index.js';
import { FaultProxy, findBinary, processFaults, startLocalCluster, startLocalServer, type LocalServer } from '../servers/index.js';

const hasRedis = Boolean(findBinary('redis-server')) || process.env.CI === 'true';
const hasCluster = Boolean(findBinary('redis-server') && findBinary('redis-cli')) || process.env.CI === 'true';
const hasMemcached = Boolean(findBinary('memcached')) || process.env.CI === 'true';

/** The faults clause's result for `target`: run alone, since it hurts the backend. */
async function faultsClause(target: Parameters<typeof checkConformance>[0]): Promise<ClauseResult & { findings: Record<string, any> }> {
  const report = await checkConformance(target, { only: ['faults'], seed: 7 });
  const [result] = report.clauses;
  expect(result!.status).not.toBe('skipped');
  return result as ClauseResult & { findings: Record<string, any> };
}

/** Polls `condition` until it holds (or fails the test after 5 s). */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not met within 5 s');
  }
}

async function withServer<T>(server: LocalServer | Promise<LocalServer>, use: (server: LocalServer) => Promise<T>): Promise<T> {
  const started = await server;
  try {
    return await use(started);
  } finally {
    await started.stop();
  }
}

describe('faults: a store that forgets everything on restart (in process, no server)', () => {
  let backend = new MemoryStore();
  const forgetful = (durable: boolean) => ({
    name: `forgetful (durable: ${durable})`,
    sharedBackend: true,
    durable,
    // Every instance talks to the current backend, as clients of one server would.
    open: () => ({ get: (id: string) => backend.get(id), set: (id: string, data: object, ttlMs: number) => backend.set(id, data as never, ttlMs), pop: (id: string) => backend.pop(id) }),
    faults: { driver: { inject: async () => void (backend = new MemoryStore()), heal: async () => {} }, faults: [{ kind: 'restart' as const }], durationMs: 600 },
  });

  it('fails the clause, naming the loss with its timeline, when it claims durable', async () => {
    const result = await faultsClause(forgetful(true));
    expect(result).toMatchObject({ level: 'MUST', status: 'fail', anomaly: 'acknowledged write lost' });
    expect(result.error).toMatch(/fault +restart\n.*✗ acknowledged write lost: expected #\d+/);
  });

  it('passes as INFO with the loss counted when it does not', async () => {
    const result = await faultsClause(forgetful(false));
    expect(result).toMatchObject({ level: 'INFO', status: 'pass' });
    expect(result.findings.lostSessions).toBeGreaterThan(0);
    expect(result.findings.anomalies['acknowledged write lost']).toBeGreaterThan(0);
  });

  it('reports the error of a driver that cannot cause a fault (an INFO clause never fails), and still heals', async () => {
    let healed = 0;
    const driver = { inject: async () => Promise.reject(new Error('no such fault here')), heal: async () => void healed++ };
    const result = (await checkConformance({ name: 'x', sharedBackend: true, open: () => new MemoryStore(), faults: { driver, faults: [{ kind: 'kill' }], durationMs: 500 } }, { only: ['faults'] })).clauses[0]!;
    expect(result).toMatchObject({ status: 'info', error: 'no such fault here' });
    expect(healed).toBeGreaterThan(0);
  });

  it('is skipped for a target without faults, and rejects a malformed plan at once', async () => {
    const report = await checkConformance({ name: 'plain', open: () => new MemoryStore() }, { only: ['faults'] });
    expect(report.clauses[0]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('supplies no faults plan') });
    const bad = { name: 'bad', open: () => new MemoryStore(), faults: { driver: { inject: async () => {}, heal: async () => {} }, faults: [{ kind: 'partition', ms: 0 }] } };
    await expect(checkConformance(bad as never)).rejects.toThrow('partition needs a positive ms, got 0');
  });
});

describe.skipIf(!hasRedis)('FaultProxy in front of a real Redis', () => {
  it('partition holds every byte for its time and delivers them after; latency delays; drop resets', () =>
    withServer(startLocalServer('redis'), async (server) => {
      const proxy = await FaultProxy.start({ host: '127.0.0.1', port: server.port });
      const client = new Redis(proxy.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
      client.on('error', () => {});
      try {
        expect(await client.ping()).toBe('PONG');
        await proxy.inject({ kind: 'partition', ms: 300 });
        let started = performance.now();
        expect(await client.ping()).toBe('PONG');
        expect(performance.now() - started).toBeGreaterThanOrEqual(290);
        // Held bytes are delivered after every partition, however its timer falls.
        for (let i = 0; i < 20; i++) {
          await proxy.inject({ kind: 'partition', ms: 5 + i });
          expect(await client.ping()).toBe('PONG');
        }
        // One direction: the write reaches the server, only its acknowledgement is held.
        const direct = new Redis(server.port, '127.0.0.1');
        await proxy.inject({ kind: 'partition', ms: 600, direction: 'to-client' });
        const write = client.set('one-way', 'landed');
        await waitFor(async () => (await direct.get('one-way')) === 'landed');
        expect(await Promise.race([write, 'still held'])).toBe('still held');
        expect(await write).toBe('OK');
        await direct.del('one-way');
        direct.disconnect();
        await proxy.inject({ kind: 'latency', ms: 100 });
        started = performance.now();
        await client.ping();
        // Both directions: the request and the reply are each 100 ms late.
        expect(performance.now() - started).toBeGreaterThanOrEqual(195);
        await proxy.heal();
        started = performance.now();
        await client.ping();
        expect(performance.now() - started).toBeLessThan(100);
        const closed = new Promise((resolve) => client.once('close', resolve));
        await proxy.inject({ kind: 'drop' });
        await closed;
        // ioredis reconnects through the proxy: new connections get through.
        expect(await client.ping()).toBe('PONG');
        await expect(proxy.inject({ kind: 'kill' })).rejects.toThrow('a TCP proxy cannot kill a server');
      } finally {
        client.disconnect();
        await proxy.close();
      }
    }));
});

describe.skipIf(!hasRedis)('faults: standalone Redis', () => {
  it('without persistence, restarted mid-run: acknowledged sessions are lost, and a durable claim fails naming it', () =>
    withServer(startLocalServer('redis'), async (server) => {
      const result = await faultsClause({
        name: 'redis (no persistence)',
        ...RedisStore.declares,
        durable: true,
        open: () => RedisStore.connect({ url: server.url, timeoutMs: 1000 }),
        faults: { driver: processFaults([server]), faults: [{ kind: 'restart' }], durationMs: 2000 },
      });
      expect(result.level).toBe('MUST');
      expect(result.status).toBe('fail');
      expect(result.anomaly).toBe('acknowledged write lost');
      expect(result.error).toMatch(/under restart: \d+ × acknowledged write lost.*\(\d+ of 64 sessions lost\)/);
      expect(result.error).toMatch(/fault +restart\n.*✗ acknowledged write lost: expected #\d+/);
      // A failed clause carries its counts in the message: the report keeps findings for passes.
      expect(result.error).toMatch(/\(([1-9]\d*) of 64 sessions lost\)/);
    }));

  it('with AOF and appendfsync always, restarted mid-run: nothing acknowledged is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scc-aof-'));
    try {
      await withServer(startLocalServer('redis', { extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir] }), async (server) => {
        const result = await faultsClause({
          name: 'redis (AOF always)',
          ...RedisStore.declares,
          durable: true,
          open: () => RedisStore.connect({ url: server.url, timeoutMs: 1000 }),
          faults: { driver: processFaults([server]), faults: [{ kind: 'restart' }], durationMs: 2000 },
        });
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
          name: 'redis (partitioned)',
          ...RedisStore.declares,
          durable: true,
          open: () => RedisStore.connect({ url: proxy.url(server.url), timeoutMs: 5000 }),
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

describe.skipIf(!hasCluster)('faults: Redis Cluster with replicas', () => {
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
        name: 'redis-cluster (master killed)',
        ...RedisStore.declares,
        open: () => RedisStore.connect({ url: cluster.url, timeoutMs: 1000 }),
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
      for (const anomaly of Object.keys(result.findings.anomalies)) expect(['acknowledged write lost', 'acknowledged write rolled back']).toContain(anomaly);
    } finally {
      await cluster.stop();
    }
  });
});

describe.skipIf(!hasMemcached)('faults: Memcached pool', () => {
  it('one member of two killed: the sessions it held are lost, reported; the rest survive', () =>
    withServer(startLocalServer('memcached'), (first) =>
      withServer(startLocalServer('memcached'), async (second) => {
        const pool = `${first.url},127.0.0.1:${second.port}`;
        const result = await faultsClause({
          name: 'memcached pool (member killed)',
          ...MemcachedStore.declares,
          open: () => MemcachedStore.connect({ url: pool, timeoutMs: 1000 }),
          faults: { driver: processFaults([second]), faults: [{ kind: 'kill' }], durationMs: 2000 },
        });
        expect(result).toMatchObject({ level: 'INFO', status: 'pass' });
        expect(result.findings.anomalies['acknowledged write lost']).toBeGreaterThan(0);
        expect(result.findings.lostSessions).toBeGreaterThan(0);
        expect(result.findings.lostSessions).toBeLessThan(64);
        expect(result.findings.timelines[0]).toMatch(/fault +kill\n/);
      }),
    ));
});
