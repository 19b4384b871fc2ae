import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import os from 'node:os';
import { packageVersions } from '../suite/versions.js';
import { parseClusterUrl } from '../stores/redis.js';
import type { TargetUrls } from './targets.js';

export interface Environment {
  node: string;
  os: string;
  cpus: { model: string; count: number };
  loadAverage: number[];
  memoryGiB: number;
  gitCommit: string | null;
  packages: Record<string, string>;
  servers: Record<string, string>;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

async function redisVersion(url: string): Promise<string> {
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown';
  } finally {
    client.disconnect();
  }
}

function memcachedVersion(url: string): Promise<string> {
  const [host, port] = url.replace(/^memcached:\/\//, '').split(',')[0]!.split(':');
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: host!, port: Number(port ?? 11211) }, () => socket.write('version\r\n'));
    socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().replace('VERSION', '').trim());
    });
    socket.once('error', reject);
  });
}

async function postgresVersion(url: string): Promise<string> {
  const { Client } = createRequire(import.meta.url)('pg') as typeof import('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

export async function describeEnvironment(urls: TargetUrls): Promise<Environment> {
  const cpus = os.cpus();
  const servers: Record<string, string> = {};
  if (urls.redis) servers.redis = await redisVersion(urls.redis).catch(() => 'unknown');
  // Any node answers INFO for itself: the first one stands for the cluster.
  const clusterNode = urls['redis-cluster'] && parseClusterUrl(urls['redis-cluster']).nodes[0];
  if (clusterNode) servers['redis-cluster'] = await redisVersion(`redis://${clusterNode.host.includes(':') ? `[${clusterNode.host}]` : clusterNode.host}:${clusterNode.port}`).catch(() => 'unknown');
  if (urls.memcached) servers.memcached = await memcachedVersion(urls.memcached).catch(() => 'unknown');
  if (urls.postgres) servers.postgres = await postgresVersion(urls.postgres).catch(() => 'unknown');
  return {
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: { model: cpus[0]?.model ?? 'unknown', count: cpus.length },
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    gitCommit: gitCommit(),
    packages: packageVersions(['tinybench', 'better-sqlite3', 'redis', 'ioredis', 'memjs', 'connect-redis', 'pg']),
    servers,
  };
}
