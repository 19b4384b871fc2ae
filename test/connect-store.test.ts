/** connectStore opens every reference store from a URL, against real servers, and says what is wrong with a bad one. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../entry/index.js';
import { MemcachedStore, MemoryStore, PostgresStore, RedisStore, SqliteStore, connectStore, type ReferenceStore } from '../stores/index.js';
import { findOnPath, freeLoopbackPort, startLocalServer, type LocalServer } from '../servers/index.js';
import { serverFor } from './support/servers.js';
import { tempDir } from './support/temp-dir.js';

/** A session written through `store` reads back through it, and pops. */
async function roundTrips(store: ReferenceStore): Promise<void> {
  await store.set('connect-store', { ok: true }, 60_000);
  expect(await store.get('connect-store')).toEqual({ ok: true });
  expect(await store.pop('connect-store')).toEqual({ ok: true });
}

describe('connectStore: embedded stores', () => {
  it('memory:// opens a MemoryStore, with the clock given', async () => {
    const clock = new ManualClock(0);
    const store = await connectStore('memory://', { clock });
    expect(store).toBeInstanceOf(MemoryStore);
    await store.set('a', {}, 10);
    clock.advance(10);
    expect(await store.get('a')).toBeUndefined();
    await roundTrips(store);
  });

  it('sqlite:///absolute/path.db opens that file; sqlite::memory: an in-memory database', async () => {
    const path = join(tempDir('connect'), 'sessions with space.db');
    const store = await connectStore(`sqlite://${encodeURI(path)}`);
    expect(store).toBeInstanceOf(SqliteStore);
    await roundTrips(store);
    await store.close();
    expect(existsSync(path)).toBe(true);
    const inMemory = await connectStore('sqlite::memory:');
    expect(inMemory).toBeInstanceOf(SqliteStore);
    await roundTrips(inMemory);
    await inMemory.close();
  });
});

describe('connectStore: bad URLs', () => {
  it.each([
    ['mongodb://localhost/sessions', 'unknown scheme "mongodb:"'],
    ['postgres://', 'no host'],
    ['postgresql:///sessions', 'no host'],
    ['postgres://127.0.0.1/db/extra', 'the path must be a database name'],
    ['postgres://127.0.0.1/db#frag', 'no #fragment'],
    ['postgres://127.0.0.1:99999/db', 'port 99999 is outside 1-65535'],
    ['localhost:6379', 'unknown scheme "localhost:"'],
    ['just text', 'no scheme'],
    ['memory://somewhere', 'a memory store takes no host'],
    ['sqlite://relative.db', 'absolute file path after three slashes'],
    ['sqlite:relative.db', 'absolute file path after three slashes'],
    ['redis://', 'no host'],
    ['redis://:secret@127.0.0.1:6379/zero', 'the path must be a database number'],
    ['redis://[::1', 'not a URL'],
    ['redis://127.0.0.1:6379?driver=redis', 'driver must be node-redis or ioredis, got "redis"'],
    ['redis+cluster://127.0.0.1:7000?driver=', 'driver must be node-redis or ioredis, got ""'],
    ['redis+cluster://', 'redis+cluster://[[user]:password@]host:port,host:port'],
    ['redis+cluster://127.0.0.1:7000,,127.0.0.1:7001', '"" in redis+cluster://127.0.0.1:7000,,127.0.0.1:7001 is not a host:port'],
    ['redis+cluster://127.0.0.1:99999', 'port 99999 is outside 1-65535'],
    ['memcached://', 'comma-separated list of host:port'],
    ['memcached://127.0.0.1:11211/db', 'comma-separated list of host:port'],
  ])('%s: a TypeError saying "%s"', async (url, message) => {
    const error = await connectStore(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(message);
  });

  it('lists the URL forms, and never prints a password', async () => {
    const error = (await connectStore('redis://:hunter2@127.0.0.1:6379/x').catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('memory://, sqlite:///absolute/path.db, sqlite::memory:, redis://');
    expect(error.message).toContain('memcached://host:port[,host:port…]');
    expect(error.message).not.toContain('hunter2');
    const cluster = (await connectStore('redis+cluster://u:hunter2@127.0.0.1:70000').catch((e: unknown) => e)) as Error;
    expect(cluster.message).toContain('u:***@');
    expect(cluster.message).not.toContain('hunter2');
  });

  it('an unreachable server fails within the timeout, naming the URL without its password', async () => {
    for (const url of ['redis://:hunter2@127.0.0.1:1', 'redis+cluster://:hunter2@127.0.0.1:1,127.0.0.1:2', 'memcached://127.0.0.1:1,127.0.0.1:2', 'postgres://u:hunter2@127.0.0.1:1/db']) {
      const error = (await connectStore(url, { timeoutMs: 1000 }).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/could not use/);
      expect(error.message).not.toContain('hunter2');
    }
  });
});

const redis = await serverFor('redis');
describe.skipIf('skip' in redis)('connectStore: redis:// (needs Redis)', () => {
  const url = 'server' in redis ? redis.server.url : '';
  const prefix = `connect-${process.pid}:`;

  it('opens a RedisStore on the database the path names, on the client library ?driver= names', async () => {
    const onIoredis = await connectStore(`${url}/3?driver=ioredis`, { prefix });
    expect((onIoredis as RedisStore).driver).toBe('ioredis');
    await onIoredis.close();
    const store = await connectStore(`${url}/3`, { prefix });
    expect(store).toBeInstanceOf(RedisStore);
    expect((store as RedisStore).driver).toBe('node-redis');
    await store.set('in-db-3', { db: 3 }, 60_000);
    const admin = new Redis(`${url}/3`);
    expect(await admin.get(`${prefix}in-db-3`)).toBe('{"db":3}');
    await admin.quit();
    expect(await store.pop('in-db-3')).toEqual({ db: 3 });
    await store.close();
  });

  describe.skipIf(!findOnPath('redis-server'))('with credentials, on a server of its own', () => {
    let server: LocalServer;
    beforeAll(async () => {
      server = await startLocalServer('redis', { extraArgs: ['--requirepass', 'p@ss:w/rd', '--user', 'alice', 'on', '>s3cret', '~*', '&*', '+@all'] });
    });
    afterAll(() => server?.stop());

    it('user and password (percent-encoded) from the URL, and refuses a wrong one', async () => {
      const { port } = server;
      const asAlice = await connectStore(`redis://alice:s3cret@127.0.0.1:${port}`);
      await roundTrips(asAlice);
      await asAlice.close();
      const asDefault = await connectStore(`redis://:${encodeURIComponent('p@ss:w/rd')}@127.0.0.1:${port}/1`);
      await roundTrips(asDefault);
      await asDefault.close();
      await expect(connectStore(`redis://alice:wrong@127.0.0.1:${port}`, { timeoutMs: 2000 })).rejects.toThrow(/could not use redis:\/\/alice:\*\*\*@127\.0\.0\.1/);
    });
  });


  describe.skipIf(!findOnPath('redis-server') || !findOnPath('openssl'))('rediss://, on a TLS server of its own with a self-signed certificate', () => {
    // Made in beforeAll, so that a skipped run leaves nothing behind.
    let dir: string, cert: string, key: string;
    let server: LocalServer;
    let url: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'scc-tls-'));
      [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' });
      const tlsPort = await freeLoopbackPort();
      server = await startLocalServer('redis', { extraArgs: ['--tls-port', String(tlsPort), '--tls-cert-file', cert, '--tls-key-file', key, '--tls-auth-clients', 'no'] });
      url = `rediss://127.0.0.1:${tlsPort}`;
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('speaks TLS: refuses the untrusted certificate, and round-trips once it is trusted', async () => {
      await expect(connectStore(url, { timeoutMs: 2000 })).rejects.toThrow(/could not use rediss:\/\/127\.0\.0\.1:\d+.*self-signed certificate/s);
      const defaults = getCACertificates('default');
      setDefaultCACertificates([...defaults, readFileSync(cert, 'utf8')]);
      try {
        const store = await connectStore(url);
        await roundTrips(store);
        await store.close();
      } finally {
        setDefaultCACertificates(defaults);
      }
    });
  });
});

const cluster = await serverFor('redis-cluster');
describe.skipIf('skip' in cluster)('connectStore: redis+cluster:// (needs a Redis Cluster)', () => {
  it('opens a RedisStore on the cluster from any one node, or a list', async () => {
    const url = 'server' in cluster ? cluster.server.url : '';
    const [first] = url.replace('redis+cluster://', '').split(',');
    for (const [nodes, driver, clusterShape] of [[url, 'node-redis', 'masters'], [`redis+cluster://${first}?driver=ioredis`, 'ioredis', 'isCluster']] as const) {
      const store = await connectStore(nodes, { prefix: `connect-${process.pid}:` });
      expect(store).toBeInstanceOf(RedisStore);
      expect((store as RedisStore).driver).toBe(driver);
      // The library's cluster client, not a single-server one.
      expect((store as RedisStore).client).toHaveProperty(clusterShape);
      await roundTrips(store);
      await store.close();
    }
  });
});

const memcached = await serverFor('memcached');
describe.skipIf('skip' in memcached)('connectStore: memcached:// (needs Memcached)', () => {
  it('opens a MemcachedStore on one server, and on a pool of two spreading keys over both', async () => {
    const url = 'server' in memcached ? memcached.server.url : '';
    const store = await connectStore(url, { prefix: `connect-${process.pid}:` });
    expect(store).toBeInstanceOf(MemcachedStore);
    await roundTrips(store);
    await store.close();
    if (!findOnPath('memcached')) return;
    const second = await startLocalServer('memcached');
    try {
      const pool = await connectStore(`${url},${second.url.replace('memcached://', '')}`);
      const ids = Array.from({ length: 40 }, (_, i) => `pool-${i}`);
      for (const id of ids) await pool.set(id, { id }, 60_000);
      // Every session is readable through the pool, and some live on the second server alone.
      for (const id of ids) expect(await pool.get(id)).toEqual({ id });
      const onSecond = await connectStore(second.url);
      const there = (await Promise.all(ids.map((id) => onSecond.get(id)))).filter(Boolean).length;
      expect(there).toBeGreaterThan(0);
      expect(there).toBeLessThan(ids.length);
      for (const id of ids) await pool.pop(id);
      await Promise.all([pool.close(), onSecond.close()]);
    } finally {
      await second.stop();
    }
  });
});

const postgres = await serverFor('postgres');
describe.skipIf('skip' in postgres)('connectStore: postgres:// and postgresql:// (needs PostgreSQL)', () => {
  it('opens a PostgresStore, creating the table it names', async () => {
    const url = 'server' in postgres ? postgres.server.url : '';
    const table = `connect_${process.pid}`;
    for (const form of [url, url.replace(/^postgres:/, 'postgresql:')]) {
      const store = await connectStore(form, { table });
      expect(store).toBeInstanceOf(PostgresStore);
      await roundTrips(store);
      const { rows } = await (store as PostgresStore).pool.query(`SELECT count(*)::int AS n FROM "${table}"`);
      expect(rows).toEqual([{ n: 0 }]);
      await store.close();
    }
    const admin = await connectStore(url, { table });
    await (admin as PostgresStore).pool.query(`DROP TABLE "${table}"`);
    await admin.close();
  });
});
