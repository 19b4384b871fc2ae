/** The third provider: a server in a container, through testcontainers, when a container runtime answers. */
import { SPECS } from './backends.js';
import { freeClusterPort, waitUntilServing } from './network.js';
import type { ProvisionedServer, SingleProcessBackend } from './server.js';

/**
 * testcontainers, an optional peer: imported only here, since it costs ~350 ms and most runs never
 * get this far, and named with its install command when it is missing.
 */
async function testcontainers(): Promise<typeof import('testcontainers')> {
  try {
    return await import('testcontainers');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error('testcontainers is not installed (npm install --save-dev testcontainers)', { cause: error });
  }
}

/** The image a container for `backend` runs: the one the environment names, else the default (for pre-pulling it, say). */
export function containerImage(backend: SingleProcessBackend, env: NodeJS.ProcessEnv = process.env): string {
  const spec = SPECS[backend];
  return env[spec.imageEnv] || spec.image;
}

export async function startContainer(backend: SingleProcessBackend, env: NodeJS.ProcessEnv): Promise<ProvisionedServer> {
  const spec = SPECS[backend];
  const { GenericContainer } = await testcontainers();
  const container = await new GenericContainer(containerImage(backend, env))
    .withCommand(spec.containerCommand)
    .withEnvironment(spec.containerEnv ?? {})
    .withExposedPorts(spec.containerPort)
    .start();
  const host = container.getHost();
  const port = container.getMappedPort(spec.containerPort);
  try {
    // An open port is not a server that serves: PostgreSQL's image, say, first runs its init scripts.
    await waitUntilServing(host, port, spec.probe, 60_000);
  } catch (error) {
    await container.stop();
    throw error;
  }
  return {
    backend,
    url: spec.url(host, port),
    source: 'container',
    stop: async () => {
      await container.stop();
    },
  };
}

/** The engine's host as a cluster node can announce it: Redis takes letters, digits, '-' and '.'. */
function announcedHost(host: string): string {
  return host === 'localhost' ? '127.0.0.1' : host;
}

/**
 * A Redis Cluster of 3 masters in one container. A cluster client goes wherever the nodes say the
 * slots are, so a node must announce an address that reaches it from outside: each listens inside
 * on the very port it is published on outside, and announces the engine's host for clients
 * (cluster-announce-hostname, Redis 7), while the nodes talk to one another over the container's
 * own loopback. The last node runs in the foreground, so the container stops when it is stopped.
 */
export async function startClusterContainer(env: NodeJS.ProcessEnv): Promise<ProvisionedServer> {
  const { GenericContainer, getContainerRuntimeClient } = await testcontainers();
  const host = announcedHost((await getContainerRuntimeClient()).info.containerRuntime.host);
  // Free here; with an engine on another host a taken port fails the start, and the reason says so.
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freeClusterPort(taken);
    taken.add(port).add(port + 10_000);
    ports.push(port);
  }
  const node = (port: number) =>
    `redis-server --port ${port} --cluster-enabled yes --cluster-config-file /tmp/${port}/nodes.conf --dir /tmp/${port} --cluster-node-timeout 1000 ` +
    `--save '' --appendonly no --protected-mode no --cluster-announce-hostname ${host} --cluster-preferred-endpoint-type hostname`;
  const [last, ...others] = [...ports].reverse() as [number, ...number[]];
  const script = [
    `mkdir -p ${ports.map((port) => `/tmp/${port}`).join(' ')}`,
    ...others.map((port) => `${node(port)} --daemonize yes --pidfile /tmp/${port}/pid --logfile /tmp/${port}/log`),
    `(for p in ${ports.join(' ')}; do until redis-cli -p $p ping >/dev/null 2>&1; do sleep 0.1; done; done; ` +
      `redis-cli --cluster create ${ports.map((port) => `127.0.0.1:${port}`).join(' ')} --cluster-replicas 0 --cluster-yes >/tmp/create.log 2>&1) &`,
    `exec ${node(last)}`,
  ].join('\n');
  const container = await new GenericContainer(containerImage('redis', env))
    .withCommand(['sh', '-c', script])
    .withExposedPorts(...ports.map((port) => ({ container: port, host: port })))
    .start();
  try {
    await Promise.all(ports.map((port) => waitUntilServing(container.getHost(), port, ['CLUSTER INFO\r\n', /cluster_state:ok/], 20_000)));
  } catch (error) {
    const created = await container.exec(['cat', '/tmp/create.log']).catch(() => ({ output: '' }));
    await container.stop();
    throw new Error(`the cluster in the container did not form: ${(error as Error).message}. redis-cli --cluster create said: ${created.output.trim() || 'nothing'}`);
  }
  return {
    backend: 'redis-cluster',
    url: `redis+cluster://${ports.map((port) => `${host}:${port}`).join(',')}`,
    source: 'container',
    stop: async () => {
      await container.stop();
    },
  };
}

