/**
 * The `faults` clause and its drivers against real server processes: each reference backend's
 * outcome under a named fault, asserted. Standalone Redis and Redis Cluster are in
 * fault-injection-redis.test.ts and fault-injection-cluster.test.ts, so that the workers run the
 * three files side by side (each starts servers of its own).
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { checkConformance } from '../entry/index.js';
import { MemcachedStore, MemoryStore } from '../stores/index.js';
import { FaultProxy, processFaults, startLocalServer } from '../servers/index.js';
import { faultsClause, hasMemcached, hasRedis, withServer } from './support/faults.js';

/** Polls `condition` until it holds (or fails the test after 5 s). */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not met within 5 s');
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
    expect(result).toMatchObject({ level: 'MUST', status: 'fail', anomaly: 'lost write' });
    expect(result.error).toMatch(/fault +restart\n.*✗ lost write: expected #\d+/);
  });

  it('passes as INFO with the loss counted when it does not', async () => {
    const result = await faultsClause(forgetful(false));
    expect(result).toMatchObject({ level: 'INFO', status: 'pass' });
    expect(result.findings.lostSessions).toBeGreaterThan(0);
    expect(result.findings.anomalies['lost write']).toBeGreaterThan(0);
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
        // Under the 195 ms the injected latency added, with room for a loaded machine.
        expect(performance.now() - started).toBeLessThan(195);
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
        expect(result.findings.anomalies['lost write']).toBeGreaterThan(0);
        expect(result.findings.lostSessions).toBeGreaterThan(0);
        expect(result.findings.lostSessions).toBeLessThan(64);
        expect(result.findings.timelines[0]).toMatch(/fault +kill\n/);
      }),
    ));
});
