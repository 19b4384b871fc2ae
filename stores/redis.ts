import { createRequire } from 'node:module';
import type { Cluster, ClusterNode, Redis } from 'ioredis';
import type { SessionData, SessionStore, StoreDeclarations } from '../suite/contract.js';
import { redactUrl, withTimeout } from './connection-error.js';
import type { ClusterAddress, RedisDriver, RedisDriverName } from './redis-clients/driver.js';
import { ioredisClient, ioredisCluster, ioredisDriver, isIoredis } from './redis-clients/ioredis.js';
import { isNodeRedis, nodeRedisClient, nodeRedisCluster, nodeRedisDriver } from './redis-clients/node-redis.js';
import { assertValidId, assertValidTtl, assertValidUpdate, decodeSession, encodeSession } from './session-codec.js';

export type { RedisDriverName } from './redis-clients/driver.js';

/**
 * A node-redis 5 client (createClient) or cluster (createCluster), whatever modules and scripts
 * it was made with: what the store uses of it.
 */
export interface NodeRedisClientLike {
  readonly isOpen: boolean;
  sendCommand(...args: any[]): Promise<unknown>;
}

/** An existing client RedisStore can run on: ioredis's Redis or Cluster, node-redis's client or cluster. */
export type RedisClientLike = Redis | Cluster | NodeRedisClientLike;

export interface RedisStoreOptions {
  /**
   * redis://[[user]:password@]host:port[/db] (rediss:// for TLS), or for a Redis Cluster
   * redis+cluster://[[user]:password@]host:port,host:port (a few nodes suffice: the client finds
   * the rest). Ignored when `client` or `cluster` is given.
   */
  url?: string;
  /** Startup nodes of a Redis Cluster ('host:port' or { host, port }). Ignored when `client` is given. */
  cluster?: ClusterNode[];
  /**
   * An existing client, of either library: an ioredis Redis or Cluster, or a node-redis client
   * (createClient) or cluster (createCluster), told apart by their shape. The store then leaves
   * connecting options and closing it to you.
   */
  client?: RedisClientLike;
  /**
   * The client library the store makes its client with: 'node-redis' (the `redis` package) or
   * 'ioredis'. Default: node-redis when it is installed (measured the faster, see README
   * "Benchmark"), else ioredis. Ignored when `client` is given.
   */
  driver?: RedisDriverName;
  /** Prepended to every id to form the key. Default 'sess:'. */
  prefix?: string;
  /** How long connecting, and each command, may take. Default 5,000 ms. */
  timeoutMs?: number;
  /**
   * ioredis's enableAutoPipelining: commands issued in the same tick go out as one write. Off by
   * default: see the bench's auto-pipelining figures. Only with the ioredis driver (node-redis
   * always writes the commands of one tick together); ignored when `client` is given.
   */
  autoPipelining?: boolean;
}

const installed = (name: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
};

/** node-redis when installed (the benchmark ranks it first), else ioredis, whose loader names both install commands when neither is there. */
export function defaultRedisDriver(): RedisDriverName {
  return installed('redis') ? 'node-redis' : 'ioredis';
}

/** Startup nodes and credentials from redis+cluster://[[user]:password@]host:port,host:port (port default 6379). */
export function parseClusterUrl(url: string): ClusterAddress {
  const match = /^redis\+cluster:\/\/(?:([^@/]*)@)?([^@/?#]+)\/?$/.exec(url);
  if (!match) throw new TypeError(`a Redis Cluster URL has the form redis+cluster://[[user]:password@]host:port,host:port, got ${redactUrl(url)}`);
  const nodes = match[2]!.split(',').map((address) => {
    const node = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/.exec(address);
    if (!node || Number(node[3] ?? 6379) > 65_535) throw new TypeError(`"${address}" in ${redactUrl(url)} is not a host:port`);
    return { host: node[1] ?? node[2]!, port: Number(node[3] ?? 6379) };
  });
  const [user, password] = (match[1] ?? '').split(/:(.*)/s, 2).map(decodeURIComponent);
  return { nodes, ...(user ? { username: user } : {}), ...(password !== undefined ? { password } : {}) };
}

/** ioredis's ClusterNode forms ('host:port', a port, { host, port }) as host and port. */
function nodesOf(cluster: ClusterNode[]): ClusterAddress['nodes'] {
  return cluster.map((node) => {
    if (typeof node === 'number') return { host: '127.0.0.1', port: node };
    if (typeof node === 'object') return { host: node.host ?? '127.0.0.1', port: node.port ?? 6379 };
    return parseClusterUrl(`redis+cluster://${node}`).nodes[0]!;
  });
}

/**
 * Sessions as Redis strings with PX expiry: SET / GET / GETDEL / PEXPIRE. On a Redis Cluster too:
 * every command touches one key (the update script included), so each goes whole to the key's
 * slot and no hash tags are needed to keep keys together.
 */
export class RedisStore implements SessionStore {
  /** The same on a cluster: each key lives on one master, which answers for it alone. */
  static readonly declares: StoreDeclarations = { ttlResolutionMs: 1, sharedBackend: true, atomicPop: true, packages: ['ioredis', 'redis'] };

  readonly #driver: RedisDriver;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #where: string;
  #lastConnectionError: string | undefined;

  constructor(options: RedisStoreOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 5000;
    const url = options.url ?? 'redis://127.0.0.1:6379';
    const given = options.client;
    this.#ownsClient = given === undefined;
    this.#prefix = options.prefix ?? 'sess:';
    const driverOptions = { timeoutMs };
    if (given) {
      if (isIoredis(given)) this.#driver = ioredisDriver(given);
      else if (isNodeRedis(given)) this.#driver = nodeRedisDriver(given as Parameters<typeof nodeRedisDriver>[0], driverOptions, false);
      else throw new TypeError('RedisStore: `client` must be an ioredis Redis or Cluster, or a node-redis client or cluster');
      this.#where = `the given ${this.#driver.name} client`;
    } else {
      const driver = options.driver ?? defaultRedisDriver();
      if (driver !== 'ioredis' && driver !== 'node-redis') throw new TypeError(`RedisStore: \`driver\` must be 'ioredis' or 'node-redis', got ${JSON.stringify(driver)}`);
      const cluster = options.cluster ? { nodes: nodesOf(options.cluster) } : url.startsWith('redis+cluster:') ? parseClusterUrl(url) : undefined;
      if (driver === 'ioredis') {
        const { nodes, ...credentials } = cluster ?? { nodes: [] };
        this.#driver = ioredisDriver(cluster ? ioredisCluster(options.cluster ?? nodes, credentials, driverOptions) : ioredisClient(url, driverOptions, options.autoPipelining === true));
      } else {
        this.#driver = nodeRedisDriver(cluster ? nodeRedisCluster(cluster, driverOptions) : nodeRedisClient(url, driverOptions), driverOptions, true);
      }
      this.#where = options.cluster ? `the Redis Cluster at ${cluster!.nodes.map((node) => `${node.host}:${node.port}`).join(',')}` : redactUrl(url);
    }
    // Connection errors reach callers through the commands that fail (and connect's message);
    // without a listener a client would also print every reconnect attempt.
    if (this.#ownsClient) this.#driver.onConnectionError((error) => (this.#lastConnectionError = error.message));
  }

  /** Builds a store and checks, within the timeout, that the server answers and has GETDEL (Redis >= 6.2). */
  static async connect(options: RedisStoreOptions = {}): Promise<RedisStore> {
    const store = new RedisStore(options);
    try {
      await withTimeout(store.#verify(), options.timeoutMs ?? 5000, () => `no answer within ${options.timeoutMs ?? 5000} ms`);
    } catch (error) {
      await store.close().catch(() => {});
      const why = store.#lastConnectionError && !(error as Error).message.includes(store.#lastConnectionError) ? ` (${store.#lastConnectionError})` : '';
      throw new Error(`RedisStore could not use ${store.#where}: ${(error as Error).message}${why}`, { cause: error });
    }
    return store;
  }

  async #verify(): Promise<void> {
    await this.#driver.connect();
    const [info] = (await this.#driver.call('COMMAND', 'INFO', 'GETDEL')) as unknown[];
    if (!info) {
      const version = /redis_version:(\S+)/.exec(String(await this.#driver.call('INFO', 'server')))?.[1] ?? 'unknown';
      throw new Error(`the server (Redis ${version}) has no GETDEL command; RedisStore needs Redis >= 6.2 for an atomic pop`);
    }
  }

  /** The client library's own client the store runs on. */
  get client(): RedisClientLike {
    return this.#driver.client as RedisClientLike;
  }

  /** Which client library the store runs on. */
  get driver(): RedisDriverName {
    return this.#driver.name;
  }

  #key(id: string): string {
    return this.#prefix + id;
  }

  /** Rejection handlers per command, made once: an extra async layer per call would cost throughput. */
  readonly #failed = Object.fromEntries(
    ['GET', 'SET', 'GETDEL', 'PEXPIRE', 'EVAL'].map((command) => [
      command,
      (error: Error): never => {
        throw new Error(`Redis ${command} at ${this.#where} failed: ${error.message}`, { cause: error });
      },
    ]),
  ) as Record<'GET' | 'SET' | 'GETDEL' | 'PEXPIRE' | 'EVAL', (error: Error) => never>;

  async get(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    const text = await this.#driver.get(this.#key(id)).catch(this.#failed.GET);
    return text === null ? undefined : decodeSession(text);
  }

  async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    const json = encodeSession(data);
    // PX takes whole milliseconds only (a fractional one is a server error): round up, since
    // rounding down would end the session early, or send PX 0, which Redis refuses too.
    await this.#driver.set(this.#key(id), json, Math.ceil(ttlMs)).catch(this.#failed.SET);
  }

  async pop(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    const text = await this.#driver.getdel(this.#key(id)).catch(this.#failed.GETDEL);
    return text === null ? undefined : decodeSession(text);
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    // PEXPIRE on a missing (or expired) key returns 0 and creates nothing.
    return this.#driver.pexpire(this.#key(id), Math.ceil(ttlMs)).catch(this.#failed.PEXPIRE);
  }

  async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
    assertValidUpdate(id, fn, ttlMs);
    const key = this.#key(id);
    for (;;) {
      const text = await this.#driver.get(key).catch(this.#failed.GET);
      if (text === null) return undefined;
      const json = encodeSession(fn(decodeSession(text)));
      if (await this.#driver.compareAndSet(key, text, json, Math.ceil(ttlMs)).catch(this.#failed.EVAL)) return decodeSession(json);
      // Someone wrote in between (or the session went away): read again and retry.
    }
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#driver.close();
  }
}
