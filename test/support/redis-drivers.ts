/**
 * The client libraries RedisStore runs on: the Redis test files run their whole suite once per
 * driver, and borrow a client of each kind for the `client:` option.
 */
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import type { RedisDriverName } from '../../stores/redis.js';

export const REDIS_DRIVERS: readonly RedisDriverName[] = ['node-redis', 'ioredis'];

/** An existing, connected client of `driver`'s library on `url`, and how to end it. */
export async function borrowedClient(driver: RedisDriverName, url: string): Promise<{ client: Redis | ReturnType<typeof createClient>; ping(): Promise<string>; quit(): Promise<unknown> }> {
  if (driver === 'ioredis') {
    const client = new Redis(url);
    return { client, ping: () => client.ping(), quit: () => client.quit() };
  }
  const client = await createClient({ url }).connect();
  return { client, ping: () => client.ping(), quit: () => client.close() };
}

/** An existing, connected cluster client of `driver`'s library from its startup nodes. */
export async function borrowedCluster(driver: RedisDriverName, nodes: { host: string; port: number }[]): Promise<{ client: Cluster | ReturnType<typeof createCluster>; ping(): Promise<string>; quit(): Promise<unknown> }> {
  if (driver === 'ioredis') {
    const client = new Cluster(nodes);
    return { client, ping: () => client.ping(), quit: () => client.quit() };
  }
  const client = await createCluster({ rootNodes: nodes.map((socket) => ({ socket })) }).connect();
  return { client, ping: async () => String(await client.sendCommand(undefined, false, ['PING'])), quit: () => client.close() };
}
