/**
 * Finds a Redis, Redis Cluster or Memcached server for tests, benchmarks and users' CI, in this order:
 *   1. an explicit URL in REDIS_URL / REDIS_CLUSTER_URL / MEMCACHED_URL;
 *   2. local binaries on PATH (redis-server, plus redis-cli for a cluster; memcached), started on
 *      free loopback ports;
 *   3. a container through testcontainers, when a container runtime answers (the image can be
 *      replaced through SESSION_CONFORMANCE_REDIS_IMAGE / SESSION_CONFORMANCE_MEMCACHED_IMAGE);
 * and otherwise says how to provide one. Under CI=true, or when SESSION_CONFORMANCE_REQUIRE
 * names the backend, a missing server is an error rather than a skip.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export type Backend = 'redis' | 'memcached' | 'redis-cluster';
/** The backends served by one process. */
export type SingleBackend = Exclude<Backend, 'redis-cluster'>;

export interface Server {
  backend: Backend;
  url: string;
  source: 'env' | 'binary' | 'container';
  /** Stops a server this module started; a no-op for one named by the environment. */
  stop(): Promise<void>;
}

export interface LocalServer extends Server {
  backend: SingleBackend;
  source: 'binary';
  port: number;
  /** The current process; a restart changes it. */
  readonly pid: number;
  /** Kills the process at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts the server again with the same arguments on the same port (and so the same data dir), and waits until it serves. */
  restart(): Promise<void>;
}

/** A Redis Cluster of local processes, all in one temp dir that `stop()` removes. */
export interface LocalCluster extends Server {
  backend: 'redis-cluster';
  source: 'binary';
  /** Every node, masters and replicas, in the order given to `redis-cli --cluster create`. */
  nodes: LocalServer[];
  /** The temp dir holding each node's nodes.conf (and data, with persistence on). */
  dir: string;
}

interface BackendSpec {
  binary: string;
  scheme: string;
  /** The default image, and the variable that replaces it (a mirror, a private registry, Valkey). */
  image: string;
  imageEnv: string;
  containerPort: number;
  args(port: number): string[];
  /** The command a container runs: spelled out, so that any image with the binary on PATH serves. */
  containerCommand: string[];
  /** A plain-text command and the reply that proves the server is serving. */
  probe: Probe;
}

/** A plain-text command and the prefix (string) or pattern (RegExp) its reply must have. */
export type Probe = [command: string, reply: string | RegExp];

const SPECS: Record<SingleBackend, BackendSpec> = {
  redis: {
    binary: 'redis-server',
    scheme: 'redis',
    image: 'redis:7-alpine',
    imageEnv: 'SESSION_CONFORMANCE_REDIS_IMAGE',
    containerPort: 6379,
    args: (port) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
    containerCommand: ['redis-server', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
    // A server with a password answers NOAUTH: serving all the same.
    probe: ['PING\r\n', /^(\+PONG|-NOAUTH)/],
  },
  memcached: {
    binary: 'memcached',
    scheme: 'memcached',
    image: 'memcached:1.6-alpine',
    imageEnv: 'SESSION_CONFORMANCE_MEMCACHED_IMAGE',
    containerPort: 11211,
    // memcached refuses to run as root unless told which user to run as.
    args: (port) => ['-p', String(port), '-l', '127.0.0.1', '-U', '0', ...(process.getuid?.() === 0 ? ['-u', 'root'] : [])],
    probe: ['version\r\n', 'VERSION'],
    // Images run memcached as an unprivileged user, so no -u.
    containerCommand: ['memcached', '-U', '0'],
  },
};

export class BackendUnavailable extends Error {
  override name = 'BackendUnavailable';
  constructor(
    message: string,
    readonly backend: Backend,
    readonly required: boolean,
  ) {
    super(message);
  }
}

export function isRequired(backend: Backend | 'browser', env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CI === 'true' || env.CI === '1') return true;
  return (env.SESSION_CONFORMANCE_REQUIRE ?? '').split(',').map((s) => s.trim()).includes(backend);
}

export function findBinary(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * A loopback port that was free a moment ago: `port`, or any with 0 (neither server accepts port
 * 0 and reports the real one). Resolves to undefined when `port` is taken.
 */
async function freePort(port = 0): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/** Any loopback port that was free a moment ago. */
export async function freeLoopbackPort(): Promise<number> {
  const port = await freePort();
  if (port === undefined) throw new Error('no free loopback port');
  return port;
}

/**
 * A free port for a cluster node: a node also listens on port + 10000 for the cluster bus, so
 * that one must be free too (and so the port at most 55535). Ports in `taken` are avoided.
 */
async function freeClusterPort(taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await freeLoopbackPort();
    if (port <= 55_535 && !taken.has(port) && !taken.has(port + 10_000) && (await freePort(port + 10_000)) !== undefined) return port;
  }
  throw new Error('found no free loopback port p with p + 10000 free too, in 100 tries');
}

/** A reply is complete at its first line, or for a bulk string ($<length>) once all of it arrived. */
function replyComplete(data: string): boolean {
  const bulk = /^\$(\d+)\r\n/.exec(data);
  return bulk ? Buffer.byteLength(data) >= bulk[0].length + Number(bulk[1]) + 2 : data.includes('\n');
}

/** Resolves once a server at host:port answers `command` with `reply`; rejects after `timeoutMs`. */
export async function waitUntilServing(host: string, port: number, [command, reply]: Probe, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host, port });
      let data = '';
      const done = (result: boolean, why?: string) => {
        if (why) lastError = why;
        socket.destroy();
        resolve(result);
      };
      socket.setTimeout(500, () => done(false, 'timed out'));
      socket.once('error', (error) => done(false, error.message));
      socket.once('connect', () => socket.write(command));
      socket.on('data', (chunk) => {
        data += chunk.toString();
        if (replyComplete(data)) done(typeof reply === 'string' ? data.startsWith(reply) : reply.test(data), `answered ${JSON.stringify(data.trim())}`);
      });
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${host}:${port} did not answer within ${timeoutMs} ms (${lastError})`);
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts a private server process on a free loopback port (or `port`) and waits until it serves.
 * It is stopped by `stop()`, or when this process exits.
 */
export async function startLocalServer(
  backend: SingleBackend,
  options: { binary?: string; extraArgs?: string[]; port?: number } = {},
): Promise<LocalServer> {
  const spec = SPECS[backend];
  const binary = options.binary ?? findBinary(spec.binary);
  if (!binary) throw new Error(`${spec.binary} is not on PATH`);
  const port = options.port ?? (await freeLoopbackPort());
  const args = [...spec.args(port), ...(options.extraArgs ?? [])];
  let child: ChildProcess;
  const killOnExit = () => child.kill('SIGKILL');
  const stopWith = async (signal: NodeJS.Signals) => {
    process.removeListener('exit', killOnExit);
    child.kill(signal);
    await exited(child);
  };
  const start = async () => {
    child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk.toString()));
    process.once('exit', killOnExit);
    const started = child;
    try {
      await Promise.race([
        waitUntilServing('127.0.0.1', port, spec.probe, 10_000),
        exited(started).then(() => {
          throw new Error(`${spec.binary} exited at start (code ${started.exitCode}): ${stderr.trim()}`);
        }),
      ]);
    } catch (error) {
      await stopWith('SIGKILL');
      throw error;
    }
  };
  await start();
  return {
    backend,
    url: `${spec.scheme}://127.0.0.1:${port}`,
    source: 'binary',
    port,
    get pid() {
      return child.pid!;
    },
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    restart: async () => {
      await stopWith('SIGKILL');
      await start();
    },
  };
}

/** Runs a program to its end, rejecting with its output when it fails or outlasts `timeoutMs`. */
function run(binary: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${binary} ${args.join(' ')} failed (${error.message.split('\n')[0]}): ${`${stdout}${stderr}`.trim()}`));
      else resolve(stdout);
    });
  });
}

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
  const redisServer = options.redisServer ?? findBinary('redis-server');
  const redisCli = options.redisCli ?? findBinary('redis-cli');
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
export function containerImage(backend: SingleBackend, env: NodeJS.ProcessEnv = process.env): string {
  const spec = SPECS[backend];
  return env[spec.imageEnv] || spec.image;
}

async function startContainer(backend: SingleBackend, env: NodeJS.ProcessEnv): Promise<Server> {
  const spec = SPECS[backend];
  const { GenericContainer } = await testcontainers();
  const container = await new GenericContainer(containerImage(backend, env)).withCommand(spec.containerCommand).withExposedPorts(spec.containerPort).start();
  return {
    backend,
    url: `${spec.scheme}://${container.getHost()}:${container.getMappedPort(spec.containerPort)}`,
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
async function startClusterContainer(env: NodeJS.ProcessEnv): Promise<Server> {
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

/** Where a backend can come from: the environment, local binaries, or a container. */
interface Provider {
  envVar: string;
  urlForm: string;
  /** Every one of them must be on PATH. */
  binaries: string[];
  /** The Debian/Ubuntu package that brings the binaries. */
  install: string;
  /** Whose image a container runs (a cluster's must also hold redis-cli and a POSIX shell). */
  image: SingleBackend;
  startLocal(binaries: string[]): Promise<Server>;
  startContainer(env: NodeJS.ProcessEnv): Promise<Server>;
}

const PROVIDERS: Record<Backend, Provider> = {
  redis: {
    envVar: 'REDIS_URL',
    urlForm: 'redis://host:port',
    binaries: ['redis-server'],
    install: 'redis-server',
    image: 'redis',
    startLocal: ([binary]) => startLocalServer('redis', { binary }),
    startContainer: (env) => startContainer('redis', env),
  },
  memcached: {
    envVar: 'MEMCACHED_URL',
    urlForm: 'memcached://host:port',
    binaries: ['memcached'],
    install: 'memcached',
    image: 'memcached',
    startLocal: ([binary]) => startLocalServer('memcached', { binary }),
    startContainer: (env) => startContainer('memcached', env),
  },
  'redis-cluster': {
    envVar: 'REDIS_CLUSTER_URL',
    urlForm: 'redis+cluster://host:port,host:port',
    binaries: ['redis-server', 'redis-cli'],
    // redis-cli comes with it, in the redis-tools package it depends on.
    install: 'redis-server',
    image: 'redis',
    startLocal: ([redisServer, redisCli]) => startLocalCluster({ redisServer, redisCli }),
    startContainer: startClusterContainer,
  },
};

export interface ProvisionOptions {
  env?: NodeJS.ProcessEnv;
  /** Try testcontainers when no binary is found. Default true. */
  containers?: boolean;
}

/** Yields a server for `backend`, or throws BackendUnavailable saying how to provide one. */
export async function provision(backend: Backend, options: ProvisionOptions = {}): Promise<Server> {
  const env = options.env ?? process.env;
  const provider = PROVIDERS[backend];
  const url = env[provider.envVar];
  if (url) return { backend, url, source: 'env', stop: async () => {} };
  const reasons: string[] = [];
  const binaries = provider.binaries.map((name) => findBinary(name, env));
  const missing = provider.binaries.filter((_, i) => !binaries[i]);
  if (missing.length === 0) {
    try {
      return await provider.startLocal(binaries as string[]);
    } catch (error) {
      reasons.push(`${binaries.join(' + ')} failed to start: ${(error as Error).message}`);
    }
  } else {
    reasons.push(`no ${missing.join(' or ')} on PATH`);
  }
  if (options.containers !== false) {
    try {
      return await provider.startContainer(env);
    } catch (error) {
      const message = (error as Error).message;
      reasons.push(/container runtime/i.test(message) ? 'no container runtime answers' : `container failed: ${message}`);
    }
  }
  const required = isRequired(backend, env);
  throw new BackendUnavailable(
    `no ${backend} server (${reasons.join('; ')}). Provide one of: ` +
      `(1) ${provider.envVar}=${provider.urlForm}; ` +
      `(2) ${provider.binaries.join(' and ')} on PATH (e.g. apt-get install -y ${provider.install}); ` +
      `(3) a container runtime (Docker or Podman) for testcontainers, running ${SPECS[provider.image].image} or the image ${SPECS[provider.image].imageEnv} names.` +
      (required ? ` It is required here (${env.CI === 'true' || env.CI === '1' ? 'CI=true' : 'SESSION_CONFORMANCE_REQUIRE'}).` : ''),
    backend,
    required,
  );
}

