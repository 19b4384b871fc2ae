import { createRequire } from 'node:module';
import type { Cluster, ClusterNode, Redis } from 'ioredis';
import type { SessionData, SessionStore, StoreDeclarations } from '../suite/contract.js';
import { redactUrl, withTimeout } from './connection-error.js';
import { assertValidId, assertValidTtl, assertValidUpdate, decodeSession, encodeSession } from './session-codec.js';

export interface RedisStoreOptions {
  /**
   * redis://[[user]:password@]host:port[/db] (rediss:// for TLS), or for a Redis Cluster
   * redis+cluster://[[user]:password@]host:port,host:port (a few nodes suffice: the client finds
   * the rest). Ignored when `client` or `cluster` is given.
   */
  url?: string;
  /** Startup nodes of a Redis Cluster ('host:port' or { host, port }), as ioredis's Cluster takes them. Ignored when `client` is given. */
  cluster?: ClusterNode[];
  /** An existing ioredis client (a Redis or a Cluster); the store then leaves closing it to you. */
  client?: Redis | Cluster;
  /** Prepended to every id to form the key. Default 'sess:'. */
  prefix?: string;
  /** How long connecting, and each command, may take. Default 5,000 ms. */
  timeoutMs?: number;
  /**
   * ioredis's enableAutoPipelining: commands issued in the same tick go out as one write. Off by
   * default: see the bench's auto-pipelining figures. Ignored when `client` is given.
   */
  autoPipelining?: boolean;
}

// Compare-and-set for `update`: replaces the value only if it is still the one `fn` saw, so a
// shared connection needs no WATCH (which is per connection, and ioredis multiplexes one).
const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return false`;

function loadIoredis(): typeof import('ioredis') {
  try {
    return createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  } catch (cause) {
    throw new Error('RedisStore needs ioredis: npm install ioredis@6', { cause });
  }
}

function createClient(url: string, timeoutMs: number, autoPipelining: boolean): Redis {
  return new (loadIoredis().Redis)(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // 0: a command in flight when the connection drops fails (it may or may not have run) rather
    // than being sent again after the reconnect, where a second GETDEL would report a session it
    // had just popped as absent (found by the faults clause). Commands fail fast while the server
    // is away instead of queueing forever.
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => (attempt > 3 ? null : 100 * attempt),
    enableAutoPipelining: autoPipelining,
  });
}

interface ClusterAddress {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
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

function createCluster(nodes: ClusterNode[], credentials: Omit<ClusterAddress, 'nodes'>, timeoutMs: number): Cluster {
  return new (loadIoredis().Cluster)(nodes, {
    lazyConnect: true,
    // Give up on unreachable startup nodes after a few tries, as the standalone client does.
    clusterRetryStrategy: (attempt) => (attempt > 3 ? null : 100 * attempt),
    // No resending of a command whose node connection closed under it (it may have run, as in
    // createClient); redirections (MOVED, ASK, TRYAGAIN, CLUSTERDOWN), where nothing ran, are still followed.
    retryDelayOnFailover: 0,
    redisOptions: { ...credentials, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0 },
  });
}

/**
 * Sessions as Redis strings with PX expiry: SET / GET / GETDEL / PEXPIRE. On a Redis Cluster too:
 * every command touches one key (the update script included), so each goes whole to the key's
 * slot and no hash tags are needed to keep keys together.
 */
export class RedisStore implements SessionStore {
  /** The same on a cluster: each key lives on one master, which answers for it alone. */
  static readonly declares: StoreDeclarations = { ttlResolutionMs: 1, sharedBackend: true, atomicPop: true, packages: ['ioredis'] };

  readonly #client: Redis | Cluster;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #where: string;
  #lastConnectionError: string | undefined;

  constructor(options: RedisStoreOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 5000;
    const url = options.url ?? 'redis://127.0.0.1:6379';
    this.#ownsClient = options.client === undefined;
    this.#prefix = options.prefix ?? 'sess:';
    if (options.client) {
      this.#client = options.client;
      this.#where = 'the given Redis client';
    } else if (options.cluster) {
      this.#client = createCluster(options.cluster, {}, timeoutMs);
      this.#where = `the Redis Cluster at ${options.cluster.map((node) => (typeof node === 'object' ? `${node.host}:${node.port}` : node)).join(',')}`;
    } else if (url.startsWith('redis+cluster:')) {
      const { nodes, ...credentials } = parseClusterUrl(url);
      this.#client = createCluster(nodes, credentials, timeoutMs);
      this.#where = redactUrl(url);
    } else {
      this.#client = createClient(url, timeoutMs, options.autoPipelining === true);
      this.#where = redactUrl(url);
    }
    // Connection errors reach callers through the commands that fail (and connect's message);
    // without a listener ioredis would also print every reconnect attempt.
    if (this.#ownsClient) {
      const remember = (error: Error) => (this.#lastConnectionError = error.message);
      this.#client.on('error', remember);
      // A cluster reports each node's connection errors apart.
      this.#client.on('node error', remember);
    }
  }

  /** Builds a store and checks, within the timeout, that the server answers and has GETDEL (Redis >= 6.2). */
  static async connect(options: RedisStoreOptions = {}): Promise<RedisStore> {
    const store = new RedisStore(options);
    try {
      await withTimeout(store.#verify(), options.timeoutMs ?? 5000, () => `no answer within ${options.timeoutMs ?? 5000} ms`);
    } catch (error) {
      await store.close().catch(() => {});
      const why = store.#lastConnectionError ? ` (${store.#lastConnectionError})` : '';
      throw new Error(`RedisStore could not use ${store.#where}: ${(error as Error).message}${why}`, { cause: error });
    }
    return store;
  }

  async #verify(): Promise<void> {
    if (this.#client.status === 'wait') await this.#client.connect();
    const [info] = (await this.#client.call('COMMAND', 'INFO', 'GETDEL')) as unknown[];
    if (!info) {
      const version = /redis_version:(\S+)/.exec(await this.#client.info('server'))?.[1] ?? 'unknown';
      throw new Error(`the server (Redis ${version}) has no GETDEL command; RedisStore needs Redis >= 6.2 for an atomic pop`);
    }
  }

  get client(): Redis | Cluster {
    return this.#client;
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
    const text = await this.#client.get(this.#key(id)).catch(this.#failed.GET);
    return text === null ? undefined : decodeSession(text);
  }

  async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    const json = encodeSession(data);
    // PX takes whole milliseconds only (a fractional one is a server error): round up, since
    // rounding down would end the session early, or send PX 0, which Redis refuses too.
    await this.#client.set(this.#key(id), json, 'PX', Math.ceil(ttlMs)).catch(this.#failed.SET);
  }

  async pop(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    const text = await this.#client.getdel(this.#key(id)).catch(this.#failed.GETDEL);
    return text === null ? undefined : decodeSession(text);
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    // PEXPIRE on a missing (or expired) key returns 0 and creates nothing.
    return (await this.#client.pexpire(this.#key(id), Math.ceil(ttlMs)).catch(this.#failed.PEXPIRE)) === 1;
  }

  async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
    assertValidUpdate(id, fn, ttlMs);
    const key = this.#key(id);
    for (;;) {
      const text = await this.#client.get(key).catch(this.#failed.GET);
      if (text === null) return undefined;
      const json = encodeSession(fn(decodeSession(text)));
      const stored = await this.#client.eval(COMPARE_AND_SET, 1, key, text, json, Math.ceil(ttlMs)).catch(this.#failed.EVAL);
      if (stored === 'OK') return decodeSession(json);
      // Someone wrote in between (or the session went away): read again and retry.
    }
  }

  async close(): Promise<void> {
    if (!this.#ownsClient) return;
    if (this.#client.status === 'end' || this.#client.status === 'wait') {
      this.#client.disconnect();
      return;
    }
    await this.#client.quit().catch(() => this.#client.disconnect());
  }
}
