import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { BackendUnavailable, findBinary, isRequired, provision, startLocalCluster, type LocalCluster } from '../servers/index.js';
import { isAlive } from './support/process.js';

const hasClusterBinaries = (findBinary('redis-server') && findBinary('redis-cli')) || process.env.CI === 'true';

/** CLUSTER NODES as seen by the node at `port`: one line per node, its flags saying master or slave. */
async function clusterNodes(port: number): Promise<string[]> {
  const client = new Redis(port, '127.0.0.1');
  try {
    return ((await client.call('CLUSTER', 'NODES')) as string).trim().split('\n');
  } finally {
    client.disconnect();
  }
}

const NO_BINARIES = { PATH: '/nonexistent' };

describe('provision', () => {
  it('uses the URL the environment names, and does not stop what it did not start', async () => {
    const server = await provision('redis', { env: { REDIS_URL: 'redis://example.invalid:6379' } });
    expect(server).toMatchObject({ source: 'env', url: 'redis://example.invalid:6379' });
    await server.stop();
    const cluster = await provision('redis-cluster', { env: { REDIS_CLUSTER_URL: 'redis+cluster://example.invalid:7001,example.invalid:7002' } });
    expect(cluster).toMatchObject({ backend: 'redis-cluster', source: 'env', url: 'redis+cluster://example.invalid:7001,example.invalid:7002' });
  });

  it.skipIf(!findBinary('redis-server') && process.env.CI !== 'true')('starts redis-server from PATH on a free loopback port, and stops it', async () => {
    const server = await provision('redis', { env: { PATH: process.env.PATH }, containers: false });
    expect(server.source).toBe('binary');
    expect(server.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    await server.stop();
  });

  it.skipIf(!findBinary('memcached') && process.env.CI !== 'true')('starts memcached from PATH (with -u root when root), and stops it', async () => {
    const server = await provision('memcached', { env: { PATH: process.env.PATH }, containers: false });
    expect(server.source).toBe('binary');
    expect(server.url).toMatch(/^memcached:\/\/127\.0\.0\.1:\d+$/);
    await server.stop();
  });

  it.skipIf(!hasClusterBinaries)('starts a 3-master Redis Cluster from redis-server + redis-cli, and stops every node and removes its files', async () => {
    const server = await provision('redis-cluster', { env: { PATH: process.env.PATH }, containers: false });
    const cluster = server as LocalCluster;
    expect(cluster.source).toBe('binary');
    expect(cluster.url).toMatch(/^redis\+cluster:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
    const lines = await clusterNodes(cluster.nodes[0]!.port);
    expect(lines.filter((line) => line.includes('master') && line.includes('connected'))).toHaveLength(3);
    const { dir } = cluster;
    await cluster.stop();
    for (const node of cluster.nodes) expect(isAlive(node.pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it.skipIf(!hasClusterBinaries)('starts a cluster with a replica per master, every replica synced', async () => {
    const cluster = await startLocalCluster({ replicas: true });
    try {
      // On a loaded machine a node that misses its 1 s node timeout is failed over, and the view
      // settles again (3 masters, 3 replicas) once it is back: wait for that, a bounded while.
      const roles = async () => {
        const lines = await clusterNodes(cluster.nodes[0]!.port);
        return { lines, masters: lines.filter((line) => / (myself,)?master /.test(line)).length, replicas: lines.filter((line) => / (myself,)?slave /.test(line)).length };
      };
      let seen = await roles();
      for (let i = 0; i < 100 && (seen.masters !== 3 || seen.replicas !== 3); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen = await roles();
      }
      expect(seen.masters, seen.lines.join('\n')).toBe(3);
      expect(seen.replicas, seen.lines.join('\n')).toBe(3);
    } finally {
      await cluster.stop();
    }
  });

  it('without redis-cli, names the three ways to provide a cluster', async () => {
    const error = (await provision('redis-cluster', { env: NO_BINARIES }).catch((e: unknown) => e)) as BackendUnavailable;
    expect(error).toBeInstanceOf(BackendUnavailable);
    expect(error.message).toContain('no redis-server or redis-cli on PATH');
    expect(error.message).toContain('(1) REDIS_CLUSTER_URL=redis+cluster://host:port,host:port');
    expect(error.message).toContain('(2) redis-server and redis-cli on PATH (e.g. apt-get install -y redis-server)');
    expect(error.message).toContain('(3) a container runtime (Docker or Podman) for testcontainers, running redis:7-alpine or the image SESSION_CONFORMANCE_REDIS_IMAGE names.');
    expect(isRequired('redis-cluster', { SESSION_CONFORMANCE_REQUIRE: 'redis-cluster' })).toBe(true);
    expect(isRequired('redis-cluster', { SESSION_CONFORMANCE_REQUIRE: 'redis' })).toBe(false);
  });

  it('without a binary or container runtime, names the three ways to provide a server', async () => {
    const error = await provision('memcached', { env: NO_BINARIES }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailable);
    const unavailable = error as BackendUnavailable;
    expect(unavailable.required).toBe(false);
    expect(unavailable.message).toMatch(/no memcached on PATH; (no container runtime answers|container failed)/);
    expect(unavailable.message).toContain('(1) MEMCACHED_URL=memcached://host:port');
    expect(unavailable.message).toContain('(2) memcached on PATH (e.g. apt-get install -y memcached); (3) a container runtime');
  });

  it('treats a missing server as a failure under CI=true or SESSION_CONFORMANCE_REQUIRE', async () => {
    expect(isRequired('redis', {})).toBe(false);
    expect(isRequired('redis', { CI: 'true' })).toBe(true);
    expect(isRequired('redis', { SESSION_CONFORMANCE_REQUIRE: 'memcached, redis' })).toBe(true);
    expect(isRequired('redis', { SESSION_CONFORMANCE_REQUIRE: 'memcached' })).toBe(false);
    const error = (await provision('redis', { env: { ...NO_BINARIES, CI: 'true' }, containers: false }).catch((e: unknown) => e)) as BackendUnavailable;
    expect(error.required).toBe(true);
    expect(error.message).toContain('It is required here (CI=true)');
  });
});
