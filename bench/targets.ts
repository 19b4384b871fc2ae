/**
 * What the benchmark runs: each reference store, beside it the raw driver doing the same work
 * with none of the store's checks (its ceiling), and a no-op store (the harness's own ceiling).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionData, SessionStore } from '../suite/contract.js';
import { MemoryStore, RedisStore, SqliteStore, connectStore } from '../stores/index.js';
import { createTable, postgresStatements } from '../stores/postgres.js';
import { parseClusterUrl, type RedisDriverName } from '../stores/redis.js';
import { serverCpuProbe, type ServerCpuProbe, type ServerLimit } from './server-side.js';

/** A reference store or a variant of one, its raw driver, the harness's no-op, a store named with --store, a published store. */
export type TargetKind = 'store' | 'ceiling' | 'noop' | 'custom' | 'peer';

export type OpenedStore = SessionStore & { close(): Promise<void> };

/**
 * How another thread opens the same target, with connections of its own: plain data, since it
 * crosses to worker threads. Only stores on a shared backend have one; an in-process store (a
 * Map, a better-sqlite3 handle) cannot be shared across threads and stays in the main one.
 */
export type Recipe =
  | { from: 'reference'; backend: 'redis' | 'redis-cluster' | 'memcached' | 'postgres'; raw: boolean; url: string; driver?: RedisDriverName; autoPipelining?: boolean }
  | { from: 'module'; spec: string }
  | { from: 'peer'; name: string; url: string };

export interface BenchTarget {
  name: string;
  kind: TargetKind;
  /** The store a ceiling belongs to (for the ratio), or the store's own name; a published store's backend. */
  family: string;
  open(): Promise<OpenedStore>;
  recipe?: Recipe;
  /** The CPU time of the server the target runs on, sampled around each cell. */
  serverCpu?: ServerCpuProbe;
  /** The server's own limit at a payload size (set on a reference store whose server the run started). */
  serverLimit?: (payloadBytes: number) => Promise<ServerLimit | undefined>;
}

const require = createRequire(import.meta.url);
const parse = (text: string | null | undefined): SessionData | undefined => (text == null ? undefined : (JSON.parse(text) as SessionData));

/** A Map of JSON text with an expiry check: what MemoryStore does, minus validation. */
function rawMap(): SessionStore & { close(): Promise<void> } {
  const map = new Map<string, { json: string; expiresAt: number }>();
  const live = (id: string) => {
    const e = map.get(id);
    return e && Date.now() < e.expiresAt ? e : undefined;
  };
  return {
    get: async (id) => parse(live(id)?.json),
    set: async (id, data, ttl) => void map.set(id, { json: JSON.stringify(data), expiresAt: Date.now() + ttl }),
    pop: async (id) => {
      const e = live(id);
      map.delete(id);
      return parse(e?.json);
    },
    touch: async (id, ttl) => {
      const e = live(id);
      if (e) e.expiresAt = Date.now() + ttl;
      return e !== undefined;
    },
    update: async (id, fn, ttl) => {
      const e = live(id);
      if (!e) return undefined;
      const next = fn(JSON.parse(e.json) as SessionData);
      map.set(id, { json: JSON.stringify(next), expiresAt: Date.now() + ttl });
      return next;
    },
    close: async () => map.clear(),
  };
}

/** better-sqlite3 prepared statements on the same table SqliteStore uses. */
function rawSqlite(path: string): SessionStore & { close(): Promise<void> } {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS sessions (id TEXT NOT NULL PRIMARY KEY, data TEXT NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID');
  const get = db.prepare<[string, number], { data: string }>('SELECT data FROM sessions WHERE id = ? AND expires_at > ?');
  const set = db.prepare<[string, string, number]>('INSERT INTO sessions (id, data, expires_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at');
  const pop = db.prepare<[string, number], { data: string }>('DELETE FROM sessions WHERE id = ? AND expires_at > ? RETURNING data');
  const touch = db.prepare<[number, string, number]>('UPDATE sessions SET expires_at = ? WHERE id = ? AND expires_at > ?');
  const update = db.transaction((id: string, fn: (d: SessionData) => SessionData, ttl: number) => {
    const row = get.get(id, Date.now());
    if (!row) return undefined;
    const next = fn(JSON.parse(row.data) as SessionData);
    set.run(id, JSON.stringify(next), Date.now() + ttl);
    return next;
  });
  return {
    get: async (id) => parse(get.get(id, Date.now())?.data),
    set: async (id, data, ttl) => void set.run(id, JSON.stringify(data), Date.now() + ttl),
    pop: async (id) => parse(pop.get(id, Date.now())?.data),
    touch: async (id, ttl) => touch.run(Date.now() + ttl, id, Date.now()).changes > 0,
    update: async (id, fn, ttl) => update.immediate(id, fn, ttl),
    close: async () => {
      db.close();
    },
  };
}

/** node-redis commands with JSON, as an application would call them directly: on one server or a cluster. */
async function rawRedis(url: string): Promise<SessionStore & { close(): Promise<void> }> {
  const { createClient, createCluster } = require('redis') as typeof import('redis');
  const client = url.startsWith('redis+cluster://')
    ? createCluster({ rootNodes: parseClusterUrl(url).nodes.map((socket) => ({ socket })), defaults: { socket: { reconnectStrategy: false } } })
    : createClient({ url, socket: { reconnectStrategy: false } });
  // Failures surface through the commands (and the report); no stack traces on stderr.
  client.on('error', () => {});
  await client.connect();
  return {
    get: async (id) => parse(await client.get(id)),
    set: async (id, data, ttl) => void (await client.set(id, JSON.stringify(data), { expiration: { type: 'PX', value: ttl } })),
    pop: async (id) => parse(await client.getDel(id)),
    touch: async (id, ttl) => (await client.pExpire(id, ttl)) === 1,
    close: async () => void (await client.close()),
  };
}

/** memjs's own API: no CAS, so pop is a get and a delete. */
function rawMemcached(url: string): SessionStore & { close(): Promise<void> } {
  const memjs = require('memjs') as typeof import('memjs');
  const client = memjs.Client.create(url.replace(/^memcached:\/\//, ''), { logger: { log: () => {} } });
  const seconds = (ttl: number) => Math.max(1, Math.ceil(ttl / 1000));
  return {
    get: async (id) => parse((await client.get(id)).value?.toString()),
    set: async (id, data, ttl) => void (await client.set(id, JSON.stringify(data), { expires: seconds(ttl) })),
    pop: async (id) => {
      const value = (await client.get(id)).value;
      if (value) await client.delete(id);
      return parse(value?.toString());
    },
    touch: async (id, ttl) => client.touch(id, seconds(ttl)),
    close: async () => client.close(),
  };
}

/** pg running PostgresStore's statements on its table, without its checks. */
async function rawPostgres(url: string): Promise<SessionStore & { close(): Promise<void> }> {
  const { Pool } = require('pg') as typeof import('pg');
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on('error', () => {});
  const sql = postgresStatements('sessions');
  await createTable(pool, sql.create);
  const run = async (statement: { name: string; text: string }, values: unknown[]) => pool.query({ ...statement, values });
  return {
    get: async (id) => parse((await run(sql.get, [Buffer.from(id)])).rows[0]?.data),
    set: async (id, data, ttl) => void (await run(sql.set, [Buffer.from(id), ttl, JSON.stringify(data)])),
    pop: async (id) => parse((await run(sql.pop, [Buffer.from(id)])).rows[0]?.data),
    touch: async (id, ttl) => ((await run(sql.touch, [Buffer.from(id), ttl])).rowCount ?? 0) > 0,
    close: () => pool.end(),
  };
}

/** Resolves at once: the most any store could reach through this harness. */
function noop(): SessionStore & { close(): Promise<void> } {
  const data: SessionData = {};
  return { get: async () => data, set: async () => {}, pop: async () => data, touch: async () => true, update: async () => data, close: async () => {} };
}

export interface TargetUrls {
  redis?: string;
  'redis-cluster'?: string;
  memcached?: string;
  postgres?: string;
}

/** The embedded stores always; Redis, Redis Cluster, Memcached and PostgreSQL when a URL for them is known. */
export function benchTargets(stores: readonly string[], urls: TargetUrls): BenchTarget[] {
  const dir = mkdtempSync(join(tmpdir(), 'scc-bench-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  const file = () => join(dir, `bench-${++files}.db`);
  const targets: BenchTarget[] = [{ name: 'no-op', kind: 'noop', family: 'harness', open: async () => noop() }];
  const pair = (family: string, store: BenchTarget['open'], raw: BenchTarget['open'], rawName: string) => {
    targets.push({ name: family, kind: 'store', family, open: store }, { name: `${family} (${rawName})`, kind: 'ceiling', family, open: raw });
  };
  for (const name of stores) {
    if (name === 'memory') pair('memory', async () => new MemoryStore(), async () => rawMap(), 'raw Map');
    else if (name === 'sqlite') pair('sqlite', async () => new SqliteStore({ path: file() }), async () => rawSqlite(file()), 'raw better-sqlite3');
    else if ((name === 'redis' || name === 'redis-cluster' || name === 'memcached' || name === 'postgres') && urls[name]) {
      const url = urls[name];
      const store: Recipe = { from: 'reference', backend: name, raw: false, url };
      const raw: Recipe = { ...store, raw: true };
      // Sampled where the server reports its own CPU over the protocol (Redis INFO on each node, Memcached stats).
      const serverCpu = name === 'postgres' ? undefined : serverCpuProbe(name, url);
      targets.push({ name, kind: 'store', family: name, open: () => openReference(store), recipe: store, serverCpu }, { name: `${name} (${RAW_NAMES[name]})`, kind: 'ceiling', family: name, open: () => openReference(raw), recipe: raw, serverCpu });
      if (name === 'redis') {
        // RedisStore's other client and its setting, measured beside the default so that the default stays earned.
        const onIoredis: Recipe = { ...store, driver: 'ioredis' };
        const pipelined: Recipe = { ...onIoredis, autoPipelining: true };
        targets.push(
          { name: 'redis (ioredis)', kind: 'store', family: name, open: () => openReference(onIoredis), recipe: onIoredis, serverCpu },
          { name: 'redis (ioredis auto-pipelining)', kind: 'store', family: name, open: () => openReference(pipelined), recipe: pipelined, serverCpu },
        );
      }
    }
  }
  return targets;
}

const RAW_NAMES = { redis: 'raw node-redis', 'redis-cluster': 'raw node-redis cluster', memcached: 'raw memjs', postgres: 'raw pg' };

/** Opens a networked reference store or its raw driver, in whichever thread asks. */
export function openReference(recipe: Extract<Recipe, { from: 'reference' }>): Promise<OpenedStore> {
  const { backend, raw, url } = recipe;
  if (raw) return backend === 'memcached' ? Promise.resolve(rawMemcached(url)) : backend === 'postgres' ? rawPostgres(url) : rawRedis(url);
  if (recipe.driver) return RedisStore.connect({ url, prefix: '', driver: recipe.driver, autoPipelining: recipe.autoPipelining });
  // Opened from its URL, as an app opens its store from its configuration.
  return connectStore(url, { prefix: '' });
}
