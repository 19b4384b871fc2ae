/** The servers' side of the bench on real servers: their own limit from their load tool, and their CPU time. Nothing here asserts a speed. */
import { describe, expect, it } from 'vitest';
import { memcachedServerLimit, redisServerLimit, serverCpuProbe } from '../../bench/server-side.js';
import { findBinary } from '../../servers/index.js';
import { serverFor } from '../support/servers.js';

const redis = await serverFor('redis');
const memcached = await serverFor('memcached');

describe.skipIf('skip' in redis || !findBinary('redis-benchmark'))('Redis: redis-benchmark and INFO cpu', () => {
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
});
