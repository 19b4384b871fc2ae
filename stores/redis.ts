import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { SessionData, SessionStore, StoreDeclarations } from '../suite/contract.js';
import { redactUrl, withTimeout } from './connection-error.js';
import { assertValidId, assertValidTtl, assertValidUpdate, decodeSession, encodeSession } from './session-codec.js';

export interface RedisStoreOptions {
  /** redis://[:password@]host:port[/db]. Ignored when `client` is given. */
  url?: string;
  /** An existing ioredis client; the store then leaves closing it to you. */
  client?: Redis;
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

function createClient(url: string, timeoutMs: number, autoPipelining: boolean): Redis {
  let RedisClient: typeof Redis;
  try {
    ({ Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis'));
  } catch (cause) {
    throw new Error('RedisStore needs ioredis: npm install ioredis@6', { cause });
  }
  const client = new RedisClient(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // Fail commands fast while the server is away instead of queueing them forever.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => (attempt > 3 ? null : 100 * attempt),
    enableAutoPipelining: autoPipelining,
  });
  return client;
}

/** Sessions as Redis strings with PX expiry: SET / GET / GETDEL / PEXPIRE. */
export class RedisStore implements SessionStore {
  static readonly declares: StoreDeclarations = { ttlResolutionMs: 1, sharedBackend: true, atomicPop: true };

  readonly #client: Redis;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #where: string;
  #lastConnectionError: string | undefined;

  constructor(options: RedisStoreOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 5000;
    const url = options.url ?? 'redis://127.0.0.1:6379';
    this.#ownsClient = options.client === undefined;
    this.#client = options.client ?? createClient(url, timeoutMs, options.autoPipelining === true);
    this.#prefix = options.prefix ?? 'sess:';
    this.#where = options.client ? 'the given Redis client' : redactUrl(url);
    // Connection errors reach callers through the commands that fail (and connect's message);
    // without a listener ioredis would also print every reconnect attempt.
    if (this.#ownsClient) this.#client.on('error', (error: Error) => (this.#lastConnectionError = error.message));
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

  get client(): Redis {
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
