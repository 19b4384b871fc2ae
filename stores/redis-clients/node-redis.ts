/**
 * RedisStore on node-redis 5 (the `redis` package): `createClient` for one server,
 * `createCluster` for a Redis Cluster. Commands go through `sendCommand` as argument lists (no
 * per-command parser); node-redis writes every command issued in one tick as one batch.
 *
 * What node-redis does on its own, and what this binding adds:
 * - A command already written when the connection drops is rejected (flushWaitingForReply), never
 *   resent: it may have run. A command issued while it reconnects fails at once (no offline
 *   queue), as with ioredis: with commands queued over a server restart, a reconnected client was
 *   seen to stay stuck for good, its handshake never done, or ready but never writing again, so
 *   that every later call ran into its deadline.
 * - Its `timeout` command option covers only the wait to be written; a written command whose
 *   reply never comes (a hung server, a partition) would wait forever. `Deadlines` bounds the
 *   whole call by `timeoutMs`, with one timer for all the calls in flight.
 * - Its cluster client refreshes the slot map only on a MOVED or ASK reply, which a dead master
 *   never sends: after a failover, the killed master's slots would stay unreachable until it came
 *   back. A node's connection error here asks for the map again (at most every 200 ms).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { RedisClientType, RedisClusterType } from 'redis';
import { COMPARE_AND_SET, RECONNECT_TRIES, reconnectDelay, type ClusterAddress, type DriverOptions, type RedisDriver } from './driver.js';

type Client = RedisClientType;
type Cluster = RedisClusterType;

function load(): typeof import('redis') {
  try {
    return createRequire(import.meta.url)('redis') as typeof import('redis');
  } catch (cause) {
    throw new Error('RedisStore needs node-redis: npm install redis@5 (or ioredis: npm install ioredis@6)', { cause });
  }
}

const SCRIPT_SHA = createHash('sha1').update(COMPARE_AND_SET).digest('hex');

export function nodeRedisClient(url: string, { timeoutMs }: DriverOptions): Client {
  return load().createClient({
    url,
    socket: {
      connectTimeout: timeoutMs,
      // A few tries, then the client closes and commands fail at once, as with ioredis.
      reconnectStrategy: (retries) => (retries >= RECONNECT_TRIES ? false : reconnectDelay(retries + 1)),
    },
    // Drops a command that could not even be written in time (a socket that does not drain).
    commandOptions: { timeout: timeoutMs },
    // While reconnecting, a command fails at once: see above.
    disableOfflineQueue: true,
  }) as unknown as Client;
}

export function nodeRedisCluster({ nodes, username, password }: ClusterAddress, { timeoutMs }: DriverOptions): Cluster {
  return load().createCluster({
    rootNodes: nodes.map(({ host, port }) => ({ socket: { host, port } })),
    defaults: {
      ...(username !== undefined && { username }),
      ...(password !== undefined && { password }),
      // A master's client keeps reconnecting while its node is away: its connection errors are
      // what asks for the slot map again once a replica has taken over.
      socket: { connectTimeout: timeoutMs, reconnectStrategy: (retries: number) => Math.min(reconnectDelay(retries + 1), 1000) },
    },
    commandOptions: { timeout: timeoutMs },
  }) as unknown as Cluster;
}

/** A node-redis client or cluster, by its shape: `isOpen` and `sendCommand` (ioredis has `status` instead). */
export function isNodeRedis(client: object): client is Client | Cluster {
  return 'isOpen' in client && typeof (client as Client).sendCommand === 'function';
}

const isCluster = (client: Client | Cluster): client is Cluster => 'masters' in client;

/**
 * A deadline for every call in flight, with one timer: all deadlines are the same length, so they
 * end in the order they began and only the oldest can be due. A call past its deadline is
 * rejected; the command itself may still run (as with ioredis's commandTimeout).
 */
class Deadlines {
  readonly #entries: { due: number; reject: (error: Error) => void; done: boolean }[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly ms: number) {}

  bound<T>(promise: Promise<T>): Promise<T> {
    const entries = this.#entries;
    // Replies come back in order on one connection: the oldest calls are usually done by now.
    while (this.#head < entries.length && entries[this.#head]!.done) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > entries.length) {
      entries.splice(0, this.#head);
      this.#head = 0;
    }
    return new Promise<T>((resolve, reject) => {
      const entry = { due: performance.now() + this.ms, reject, done: false };
      entries.push(entry);
      this.#timer ??= setTimeout(() => this.#expire(), this.ms).unref();
      promise.then(
        (value) => ((entry.done = true), resolve(value)),
        (error: unknown) => ((entry.done = true), reject(error)),
      );
    });
  }

  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    const entries = this.#entries;
    while (this.#head < entries.length) {
      const entry = entries[this.#head]!;
      if (!entry.done && entry.due > now) break;
      if (!entry.done) entry.reject(new Error(`no reply within ${this.ms} ms`));
      this.#head++;
    }
    if (this.#head < entries.length) this.#timer = setTimeout(() => this.#expire(), Math.max(1, entries[this.#head]!.due - now)).unref();
  }
}

/** `start`: begin connecting now (a client the store made), so that commands issued before `connect` wait for it. */
export function nodeRedisDriver(client: Client | Cluster, { timeoutMs }: DriverOptions, start: boolean): RedisDriver {
  const cluster = isCluster(client) ? client : undefined;
  const single = cluster ? undefined : (client as Client);
  const send: (key: string | undefined, args: string[]) => Promise<unknown> = cluster
    ? (key, args) => cluster.sendCommand(key, false, args)
    : (_key, args) => single!.sendCommand(args);
  let connecting: Promise<unknown> | undefined = start && !client.isOpen ? client.connect() : undefined;
  // Not connected yet: an unhandled rejection here would end the process; `connect` reports it.
  connecting?.then(() => (connecting = undefined), () => {});
  const deadlines = new Deadlines(timeoutMs);
  // While connecting, a command waits for it (a cluster has no slot map before that).
  const run = <T>(key: string | undefined, args: string[]): Promise<T> =>
    deadlines.bound((connecting ? connecting.then(() => send(key, args)) : send(key, args)) as Promise<T>);

  const listeners: ((error: Error) => void)[] = [];
  if (cluster) {
    let asked = 0;
    cluster.on('node-error', () => {
      const live = cluster.masters.find((master) => master.client?.isReady)?.client;
      if (!live || !cluster.isOpen || performance.now() - asked < 200) return;
      asked = performance.now();
      cluster._slots.rediscover(live as never).catch((error: Error) => listeners.forEach((listener) => listener(error)));
    });
  }

  return {
    name: 'node-redis',
    client,
    get: (key) => run(key, ['GET', key]),
    set: (key, value, ttlMs) => run(key, ['SET', key, value, 'PX', String(ttlMs)]),
    getdel: (key) => run(key, ['GETDEL', key]),
    pexpire: async (key, ttlMs) => (await run(key, ['PEXPIRE', key, String(ttlMs)])) === 1,
    compareAndSet: async (key, expected, next, ttlMs) => {
      const args = [key, expected, next, String(ttlMs)];
      try {
        return (await run(key, ['EVALSHA', SCRIPT_SHA, '1', ...args])) === 'OK';
      } catch (error) {
        // NOSCRIPT: the script did not run (the server has not seen it, or restarted): send it whole.
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return (await run(key, ['EVAL', COMPARE_AND_SET, '1', ...args])) === 'OK';
      }
    },
    call: (...args) => run(undefined, args),
    connect: async () => {
      if (connecting) await connecting;
      else if (!client.isOpen) await client.connect();
    },
    onConnectionError: (listener) => {
      listeners.push(listener);
      client.on(cluster ? 'node-error' : 'error', listener);
      if (cluster) client.on('error', listener);
    },
    close: async () => {
      if (!client.isOpen) return;
      const ready = cluster ? true : single!.isReady;
      const destroy = () => {
        try {
          client.destroy();
        } catch {
          // Already closed.
        }
      };
      if (!ready) return destroy();
      // close() waits for the replies in flight, which a hung server never sends.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([client.close(), new Promise<void>((resolve) => (timer = setTimeout(() => resolve(destroy()), timeoutMs).unref()))]);
      clearTimeout(timer);
    },
  };
}
