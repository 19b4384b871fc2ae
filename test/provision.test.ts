import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { BackendUnavailable, findOnPath, isServerRequired, provision, startLocalCluster, type LocalCluster, type LocalServer, type ProvisionedServer } from '../servers/index.js';
import { groupRuns } from '../servers/provision/local.js';
import { hasPostgres } from './support/faults.js';
import { isAlive } from './support/process.js';

const hasClusterBinaries = (findOnPath('redis-server') && findOnPath('redis-cli')) || process.env.CI === 'true';

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

  it.skipIf(!findOnPath('redis-server') && process.env.CI !== 'true')('starts redis-server from PATH on a free loopback port, and stops it', async () => {
    const server = await provision('redis', { env: { PATH: process.env.PATH }, containers: false });
    expect(server.source).toBe('binary');
    expect(server.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    await server.stop();
  });

  it.skipIf(!findOnPath('memcached') && process.env.CI !== 'true')('starts memcached from PATH (with -u root when root), and stops it', async () => {
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
    expect(isServerRequired('redis-cluster', { SESSION_CONFORMANCE_REQUIRE: 'redis-cluster' })).toBe(true);
    expect(isServerRequired('redis-cluster', { SESSION_CONFORMANCE_REQUIRE: 'redis' })).toBe(false);
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
    expect(isServerRequired('redis', {})).toBe(false);
    expect(isServerRequired('redis', { CI: 'true' })).toBe(true);
    expect(isServerRequired('redis', { SESSION_CONFORMANCE_REQUIRE: 'memcached, redis' })).toBe(true);
    expect(isServerRequired('redis', { SESSION_CONFORMANCE_REQUIRE: 'memcached' })).toBe(false);
    const error = (await provision('redis', { env: { ...NO_BINARIES, CI: 'true' }, containers: false }).catch((e: unknown) => e)) as BackendUnavailable;
    expect(error.required).toBe(true);
    expect(error.message).toContain('It is required here (CI=true)');
  });
});

/** The user id a process runs as, from /proc. */
function uidOf(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

const hasMariadb = Boolean(findOnPath('mariadbd') || existsSync('/usr/sbin/mariadbd')) || process.env.CI === 'true';

describe('provision: SQL servers', () => {
  it('uses POSTGRES_URL and MYSQL_URL as given', async () => {
    expect(await provision('postgres', { env: { POSTGRES_URL: 'postgres://u:p@example.invalid:5432/db' } })).toMatchObject({ source: 'env', url: 'postgres://u:p@example.invalid:5432/db' });
    expect(await provision('mysql', { env: { MYSQL_URL: 'mysql://u:p@example.invalid:3306/db' } })).toMatchObject({ source: 'env', url: 'mysql://u:p@example.invalid:3306/db' });
  });

  it.skipIf(!hasPostgres)('starts PostgreSQL from its Debian binaries (not on PATH) in a temp dir, as the postgres user when root; keeps data over kill and restart; stop removes it all', async () => {
    const server = (await provision('postgres', { env: { PATH: process.env.PATH }, containers: false })) as LocalServer;
    const { Client } = (await import('pg')).default;
    const query = async (sql: string) => {
      const client = new Client({ connectionString: server.url });
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    };
    try {
      expect(server).toMatchObject({ source: 'binary', backend: 'postgres' });
      expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      if (process.getuid?.() === 0) expect(uidOf(server.pid)).not.toBe(0);
      await query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
      const before = server.pid;
      await server.kill();
      expect(isAlive(before)).toBe(false);
      // Its backends too: one still attached to the shared memory makes the restart fail.
      expect(groupRuns(before)).toBe(false);
      await server.restart();
      expect(await query('SELECT n FROM kept')).toEqual([{ n: 42 }]);
    } finally {
      await server.stop();
    }
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(server.dir!)).toBe(false);
  });

  it.skipIf(!hasMariadb)('starts MariaDB in a temp dir, as the mysql user when root, with an account for the stores; stop removes it all', async () => {
    const server = (await provision('mysql', { env: { PATH: process.env.PATH }, containers: false })) as LocalServer;
    try {
      const url = new URL(server.url);
      expect(url.protocol).toBe('mysql:');
      if (process.getuid?.() === 0) expect(uidOf(server.pid)).not.toBe(0);
      // The account the URL names logs in over TCP and may create tables in its database.
      const sql = 'CREATE TABLE t (n int); INSERT INTO t VALUES (7); SELECT n FROM t';
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          findOnPath('mariadb') ?? 'mariadb',
          ['--protocol=tcp', '-h', url.hostname, '-P', url.port, '-u', url.username, `-p${url.password}`, url.pathname.slice(1), '-N', '-e', sql],
          (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
        ),
      );
      expect(output.trim()).toBe('7');
    } finally {
      await server.stop();
    }
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(server.dir!)).toBe(false);
  });

  it('without PATH, still finds PostgreSQL in /usr/lib/postgresql/<major>/bin, or names the three ways to provide it', async () => {
    const found = await provision('postgres', { env: { ...NO_BINARIES, SESSION_CONFORMANCE_REQUIRE: 'postgres' }, containers: false }).catch((e: unknown) => e);
    if (existsSync('/usr/lib/postgresql')) {
      expect(found).toMatchObject({ source: 'binary', backend: 'postgres' });
      await (found as ProvisionedServer).stop();
      return;
    }
    const error = found as BackendUnavailable;
    expect(error).toBeInstanceOf(BackendUnavailable);
    expect(error.required).toBe(true);
    expect(error.message).toContain('no postgres or initdb on PATH');
    expect(error.message).toContain('(1) POSTGRES_URL=postgres://user:password@host:port/database');
    expect(error.message).toContain('(e.g. apt-get install -y postgresql)');
    expect(error.message).toContain('postgres:16-alpine or the image SESSION_CONFORMANCE_POSTGRES_IMAGE names');
  });

  it('without mariadb-install-db, names the three ways to provide MariaDB', async () => {
    const error = (await provision('mysql', { env: { ...NO_BINARIES, SESSION_CONFORMANCE_REQUIRE: 'mysql' }, containers: false }).catch((e: unknown) => e)) as BackendUnavailable;
    expect(error).toBeInstanceOf(BackendUnavailable);
    expect(error.required).toBe(true);
    expect(error.message).toMatch(/no (mariadbd or )?mariadb-install-db on PATH or in \/usr\/sbin, \/usr\/local\/sbin/);
    expect(error.message).toContain('(1) MYSQL_URL=mysql://user:password@host:port/database');
    expect(error.message).toContain('(2) mariadbd and mariadb-install-db on PATH (e.g. apt-get install -y mariadb-server)');
    expect(error.message).toContain('mariadb:11 or the image SESSION_CONFORMANCE_MARIADB_IMAGE names');
  });
});
