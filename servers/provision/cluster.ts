/** A Redis Cluster of local redis-server processes, formed by redis-cli. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, run, startLocalServer } from './local.js';
import { freeClusterPort, waitUntilServing } from './network.js';
import type { LocalCluster, LocalServer } from './server.js';

export interface LocalClusterOptions {
  /** Give each of the 3 masters a replica (6 nodes), so that a master can fail over. Default false. */
  replicas?: boolean;
  redisServer?: string;
  redisCli?: string;
  /** More redis-server arguments for every node. */
  extraArgs?: string[];
}

/**
 * Starts a Redis Cluster of 3 masters (and 3 replicas when asked) on free loopback ports, each
 * node with its own nodes.conf in one temp dir (a stale nodes.conf would break the next create),
 * and waits until every node reports cluster_state:ok and every replica has synced.
 */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const redisServer = options.redisServer ?? findOnPath('redis-server');
  const redisCli = options.redisCli ?? findOnPath('redis-cli');
  if (!redisServer || !redisCli) throw new Error(`${redisServer ? 'redis-cli' : 'redis-server'} is not on PATH`);
  const dir = mkdtempSync(join(tmpdir(), 'scc-cluster-'));
  const nodes: LocalServer[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const taken = new Set<number>();
    const ports: number[] = [];
    for (let i = 0; i < (options.replicas ? 6 : 3); i++) {
      const port = await freeClusterPort(taken);
      taken.add(port).add(port + 10_000);
      ports.push(port);
    }
    const started = await Promise.allSettled(
      ports.map((port) => {
        const nodeDir = join(dir, String(port));
        mkdirSync(nodeDir);
        return startLocalServer('redis', {
          binary: redisServer,
          port,
          extraArgs: [
            '--cluster-enabled', 'yes', '--cluster-config-file', join(nodeDir, 'nodes.conf'), '--cluster-node-timeout', '1000', '--dir', nodeDir,
            // A replica's first sync would otherwise wait 5 s for more replicas to share it.
            '--repl-diskless-sync-delay', '0',
            ...(options.extraArgs ?? []),
          ],
        });
      }),
    );
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await run(redisCli, ['--cluster', 'create', ...addresses, '--cluster-replicas', options.replicas ? '1' : '0', '--cluster-yes'], 30_000);
    // A master serves once the cluster is ok; a replica once its initial sync is done.
    await Promise.all(ports.map((port) => waitUntilServing('127.0.0.1', port, ['CLUSTER INFO\r\n', /cluster_state:ok/], 20_000)));
    await Promise.all(ports.map((port) => waitUntilServing('127.0.0.1', port, ['INFO replication\r\n', /role:master|master_link_status:up/], 20_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { backend: 'redis-cluster', url: `redis+cluster://${nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`, source: 'binary', nodes, dir, stop };
}

