/**
 * What RedisStore needs of a Redis client: five single-key commands, a generic call for the
 * checks at connect, and its connection's life. One binding per client library (ioredis.ts,
 * node-redis.ts) implements it, so that the store itself is written once.
 */

/** The client libraries RedisStore runs on, by their npm package: ioredis, and node-redis (`redis`). */
export type RedisDriverName = 'ioredis' | 'node-redis';

export interface RedisDriver {
  readonly name: RedisDriverName;
  /** The library's own client (a single-server client or a cluster client). */
  readonly client: unknown;
  get(key: string): Promise<string | null>;
  /** SET key value PX ttlMs (whole milliseconds). */
  set(key: string, value: string, ttlMs: number): Promise<unknown>;
  getdel(key: string): Promise<string | null>;
  /** PEXPIRE: true when the key existed. */
  pexpire(key: string, ttlMs: number): Promise<boolean>;
  /** Runs COMPARE_AND_SET on `key`: true when `next` replaced `expected`. */
  compareAndSet(key: string, expected: string, next: string, ttlMs: number): Promise<boolean>;
  /** Any command, to any node: for the checks at connect. */
  call(...args: string[]): Promise<unknown>;
  /** Connects a client that is not connected yet; resolves once it can take commands. */
  connect(): Promise<void>;
  /** Connection errors (a cluster's per node too), which otherwise a client may print. */
  onConnectionError(listener: (error: Error) => void): void;
  /** Ends the connection: gracefully when it is up, at once otherwise. */
  close(): Promise<void>;
}

export interface DriverOptions {
  /** How long connecting, and each command, may take. */
  timeoutMs: number;
}

/**
 * Compare-and-set for `update`: replaces the value only if it is still the one `fn` saw, so a
 * shared connection needs no WATCH (which is per connection, and both clients multiplex one).
 */
export const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return false`;

/** Startup nodes and credentials of a Redis Cluster. */
export interface ClusterAddress {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
}

/** Reconnect after a dropped connection: a few tries, then the client gives up and commands fail fast (both bindings alike). */
export const RECONNECT_TRIES = 3;
export const reconnectDelay = (attempt: number): number => 100 * attempt;
