/** RedisStore on ioredis: a `Redis` for one server, a `Cluster` for a Redis Cluster. */
import { createRequire } from 'node:module';
import type { Cluster, ClusterNode, Redis } from 'ioredis';
import { COMPARE_AND_SET, RECONNECT_TRIES, reconnectDelay, type DriverOptions, type RedisDriver } from './driver.js';

function load(): typeof import('ioredis') {
  try {
    return createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  } catch (cause) {
    throw new Error('RedisStore needs ioredis: npm install ioredis@6 (or node-redis: npm install redis@5)', { cause });
  }
}

export function ioredisClient(url: string, { timeoutMs }: DriverOptions, autoPipelining: boolean): Redis {
  // The default export, not `Redis`: ioredis exports the class by that name only from 5.2.5 on.
  return new (load().default)(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // 0: a command in flight when the connection drops fails (it may or may not have run) rather
    // than being sent again after the reconnect, where a second GETDEL would report a session it
    // had just popped as absent (found by the faults clause). Commands fail fast while the server
    // is away instead of queueing forever.
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => (attempt > RECONNECT_TRIES ? null : reconnectDelay(attempt)),
    enableAutoPipelining: autoPipelining,
  });
}

export function ioredisCluster(nodes: ClusterNode[], credentials: { username?: string; password?: string }, { timeoutMs }: DriverOptions): Cluster {
  return new (load().Cluster)(nodes, {
    lazyConnect: true,
    // Give up on unreachable startup nodes after a few tries, as the standalone client does.
    clusterRetryStrategy: (attempt) => (attempt > RECONNECT_TRIES ? null : reconnectDelay(attempt)),
    // No resending of a command whose node connection closed under it (it may have run, as in
    // ioredisClient); redirections (MOVED, ASK, TRYAGAIN, CLUSTERDOWN), where nothing ran, are still followed.
    retryDelayOnFailover: 0,
    redisOptions: { ...credentials, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0 },
  });
}

/** An ioredis client, by its shape: a Redis or a Cluster has `status` and the command methods. */
export function isIoredis(client: object): client is Redis | Cluster {
  return 'status' in client && typeof (client as Redis).getdel === 'function' && typeof (client as Redis).call === 'function';
}

export function ioredisDriver(client: Redis | Cluster): RedisDriver {
  return {
    name: 'ioredis',
    client,
    get: (key) => client.get(key),
    set: (key, value, ttlMs) => client.set(key, value, 'PX', ttlMs),
    getdel: (key) => client.getdel(key),
    pexpire: async (key, ttlMs) => (await client.pexpire(key, ttlMs)) === 1,
    compareAndSet: async (key, expected, next, ttlMs) => (await client.eval(COMPARE_AND_SET, 1, key, expected, next, ttlMs)) === 'OK',
    call: (command, ...args) => client.call(command, ...args),
    connect: async () => {
      if (client.status === 'wait') await client.connect();
    },
    onConnectionError: (listener) => {
      client.on('error', listener);
      // A cluster reports each node's connection errors apart.
      client.on('node error', listener);
    },
    close: async () => {
      if (client.status === 'end' || client.status === 'wait') {
        client.disconnect();
        return;
      }
      await client.quit().catch(() => client.disconnect());
    },
  };
}
