/** The servers' side of the bench on real servers: their own limit from their load tool, and their CPU time. Nothing here asserts a speed. */
import { createConnection } from 'node:net';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { memcachedServerLimit, redisCommandCount, redisServerLimit, serverCpuProbe } from '../../bench/server-side.js';
import { findOnPath } from '../../servers/index.js';
import { serverFor } from '../support/servers.js';

const redis = await serverFor('redis');
const memcached = await serverFor('memcached');
const cluster = await serverFor('redis-cluster');
// A server counts every client's commands, and other test files use the run's shared servers
// (REDIS_URL, MEMCACHED_URL) meanwhile: the exact counts below need servers of their own (a full
// run counted 11 Memcached commands for the 3 sent).
const own = {
  redis: await serverFor('redis', { env: { ...process.env, REDIS_URL: '' } }),
  memcached: await serverFor('memcached', { env: { ...process.env, MEMCACHED_URL: '' } }),
};
afterAll(() => Promise.all(Object.values(own).map((s) => ('server' in s ? s.server.stop() : undefined))));
const ownUrl = (server: (typeof own)[keyof typeof own]) => ('server' in server ? server.server.url : '');

/** Writes `text` to a Memcached server and resolves once `replies` lines ending a reply have come back. */
function memcachedSays(url: string, text: string, replies: number): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let seen = '';
    const socket = createConnection({ host: hostname, port: Number(port) }, () => socket.write(text));
    socket.on('data', (chunk) => {
      seen += chunk.toString('latin1');
      if ((seen.match(/^(?:STORED|END|DELETED)\r$/gm)?.length ?? 0) >= replies) resolve(void socket.end());
    });
    socket.once('error', reject);
  });
}

it("counts a Redis server's data commands, not the probe's own INFO and AUTH", () => {
  const info = '# Commandstats\r\ncmdstat_get:calls=7,usec=10\r\ncmdstat_info:calls=40,usec=1\r\ncmdstat_auth:calls=3,usec=1\r\ncmdstat_getdel:calls=2,usec=3\r\n';
  expect(redisCommandCount(info)).toBe(9);
});

describe.skipIf('skip' in redis || !findOnPath('redis-benchmark'))('Redis: redis-benchmark and INFO cpu', () => {
  const url = 'server' in redis ? redis.server.url : '';

  it('measures GET and SET on the payload size with 64 connections pipelining 8, naming the command run', { timeout: 60_000 }, async () => {
    const limit = (await redisServerLimit(url, 100))!;
    expect(limit).toMatchObject({ backend: 'redis', payloadBytes: 100, connections: 64, pipeline: 8 });
    expect(limit.tool).toMatch(/^redis-benchmark .*-t get,set -d 100 -c 64 -P 8 /);
    expect(limit.readsPerSec).toBeGreaterThan(0);
    expect(limit.writesPerSec).toBeGreaterThan(0);
  });

  it('reads the CPU the server has used, which grows with work, on one command thread', async () => {
    const probe = serverCpuProbe('redis', url);
    const before = await probe();
    expect(before.threads).toBe(1);
    expect(Number.isFinite(before.cpuSeconds)).toBe(true);
    await redisServerLimit(url, 100);
    expect((await probe()).cpuSeconds).toBeGreaterThan(before.cpuSeconds);
  });

  it.skipIf('skip' in own.redis)('counts exactly the commands a client sent between two samples', async () => {
    const client = await createClient({ url: ownUrl(own.redis) }).connect();
    try {
      const probe = serverCpuProbe('redis', ownUrl(own.redis));
      const before = await probe();
      await client.set('scc-probe', 'x');
      await client.get('scc-probe');
      await client.getDel('scc-probe');
      expect((await probe()).commands - before.commands).toBe(3);
    } finally {
      await client.close();
    }
  });
});

describe.skipIf('skip' in cluster || !findOnPath('redis-benchmark'))('Redis Cluster: redis-benchmark --cluster and INFO on every node', () => {
  const url = 'server' in cluster ? cluster.server.url : '';

  it('measures the cluster with --cluster from its first node, and sums CPU and commands over the nodes', { timeout: 60_000 }, async () => {
    const probe = serverCpuProbe('redis-cluster', url);
    const before = await probe();
    expect(before.threads).toBe(url.split(',').length);
    const limit = (await redisServerLimit(url, 100))!;
    expect(limit).toMatchObject({ backend: 'redis-cluster', payloadBytes: 100, connections: 64, pipeline: 8 });
    expect(limit.tool).toMatch(/^redis-benchmark -h \S+ -p \d+ --cluster -t get,set -d 100 /);
    expect(limit.readsPerSec).toBeGreaterThan(0);
    const after = await probe();
    expect(after.cpuSeconds).toBeGreaterThan(before.cpuSeconds);
    // redis-benchmark's 300,000 GETs and 300,000 SETs, spread over the masters.
    expect(after.commands - before.commands).toBeGreaterThanOrEqual(600_000);
  });
});

describe.skipIf('skip' in memcached)('Memcached: a raw pipelined client and stats rusage', () => {
  const url = 'server' in memcached ? memcached.server.url : '';

  it('measures get and set of the payload size, and the CPU and threads of the server', { timeout: 30_000 }, async () => {
    const probe = serverCpuProbe('memcached', url);
    const before = await probe();
    expect(before.threads).toBeGreaterThanOrEqual(1);
    const limit = await memcachedServerLimit(url, 100);
    expect(limit).toMatchObject({ backend: 'memcached', payloadBytes: 100, connections: 64, pipeline: 8 });
    expect(limit.readsPerSec).toBeGreaterThan(0);
    expect(limit.writesPerSec).toBeGreaterThan(0);
    expect((await probe()).cpuSeconds).toBeGreaterThan(before.cpuSeconds);
  });

  it.skipIf('skip' in own.memcached)('counts exactly the storage commands sent between two samples: a set, a get, a delete', async () => {
    const probe = serverCpuProbe('memcached', ownUrl(own.memcached));
    const before = await probe();
    await memcachedSays(ownUrl(own.memcached), 'set scc-probe 0 60 1\r\nx\r\nget scc-probe\r\ndelete scc-probe\r\n', 3);
    expect((await probe()).commands - before.commands).toBe(3);
  });
});
