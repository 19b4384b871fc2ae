/**
 * Finds a Redis or Memcached server for tests, benchmarks and users' CI, in this order:
 *   1. an explicit URL in REDIS_URL / MEMCACHED_URL;
 *   2. a local redis-server / memcached binary on PATH, started on a free loopback port;
 *   3. a container through testcontainers, when a container runtime answers;
 * and otherwise says how to provide one. Under CI=true, or when SESSION_CONFORMANCE_REQUIRE
 * names the backend, a missing server is an error rather than a skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export type Backend = 'redis' | 'memcached';

export interface Server {
  backend: Backend;
  url: string;
  source: 'env' | 'binary' | 'container';
  /** Stops a server this module started; a no-op for one named by the environment. */
  stop(): Promise<void>;
}

export interface LocalServer extends Server {
  pid: number;
  /** Kills the process at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

interface BackendSpec {
  envVar: string;
  binary: string;
  scheme: string;
  image: string;
  containerPort: number;
  args(port: number): string[];
  /** A plain-text command and the prefix of the reply that proves the server is serving. */
  probe: [command: string, reply: string];
}

const SPECS: Record<Backend, BackendSpec> = {
  redis: {
    envVar: 'REDIS_URL',
    binary: 'redis-server',
    scheme: 'redis',
    image: 'redis:7-alpine',
    containerPort: 6379,
    args: (port) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
    probe: ['PING\r\n', '+PONG'],
  },
  memcached: {
    envVar: 'MEMCACHED_URL',
    binary: 'memcached',
    scheme: 'memcached',
    image: 'memcached:1.6-alpine',
    containerPort: 11211,
    // memcached refuses to run as root unless told which user to run as.
    args: (port) => ['-p', String(port), '-l', '127.0.0.1', '-U', '0', ...(process.getuid?.() === 0 ? ['-u', 'root'] : [])],
    probe: ['version\r\n', 'VERSION'],
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

export function isRequired(backend: Backend, env: NodeJS.ProcessEnv = process.env): boolean {
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

/** A port that was free a moment ago (neither server accepts port 0 and reports the real one). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once a server at host:port answers `command` with `reply`; rejects after `timeoutMs`. */
export async function waitUntilServing(host: string, port: number, [command, reply]: [string, string], timeoutMs: number): Promise<void> {
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
        if (data.includes('\n')) done(data.startsWith(reply), `answered ${JSON.stringify(data.trim())}`);
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
 * Starts a private server process on a free loopback port and waits until it serves. It is
 * stopped by `stop()`, or when this process exits.
 */
export async function startLocalServer(backend: Backend, options: { binary?: string; extraArgs?: string[] } = {}): Promise<LocalServer> {
  const spec = SPECS[backend];
  const binary = options.binary ?? findBinary(spec.binary);
  if (!binary) throw new Error(`${spec.binary} is not on PATH`);
  const port = await freePort();
  const child = spawn(binary, [...spec.args(port), ...(options.extraArgs ?? [])], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stopWith = async (signal: NodeJS.Signals) => {
    process.removeListener('exit', killOnExit);
    child.kill(signal);
    await exited(child);
  };
  try {
    await Promise.race([
      waitUntilServing('127.0.0.1', port, spec.probe, 10_000),
      exited(child).then(() => {
        throw new Error(`${spec.binary} exited at start (code ${child.exitCode}): ${stderr.trim()}`);
      }),
    ]);
  } catch (error) {
    await stopWith('SIGKILL');
    throw error;
  }
  return {
    backend,
    url: `${spec.scheme}://127.0.0.1:${port}`,
    source: 'binary',
    pid: child.pid!,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}

async function startContainer(backend: Backend): Promise<Server> {
  const spec = SPECS[backend];
  // Imported only here: it costs ~350 ms and most runs never get this far.
  const { GenericContainer } = await import('testcontainers');
  const container = await new GenericContainer(spec.image).withExposedPorts(spec.containerPort).start();
  return {
    backend,
    url: `${spec.scheme}://${container.getHost()}:${container.getMappedPort(spec.containerPort)}`,
    source: 'container',
    stop: async () => {
      await container.stop();
    },
  };
}

export interface ProvisionOptions {
  env?: NodeJS.ProcessEnv;
  /** Try testcontainers when no binary is found. Default true. */
  containers?: boolean;
}

/** Yields a server for `backend`, or throws BackendUnavailable saying how to provide one. */
export async function provision(backend: Backend, options: ProvisionOptions = {}): Promise<Server> {
  const env = options.env ?? process.env;
  const spec = SPECS[backend];
  const url = env[spec.envVar];
  if (url) return { backend, url, source: 'env', stop: async () => {} };
  const reasons: string[] = [];
  const binary = findBinary(spec.binary, env);
  if (binary) {
    try {
      return await startLocalServer(backend, { binary });
    } catch (error) {
      reasons.push(`${binary} failed to start: ${(error as Error).message}`);
    }
  } else {
    reasons.push(`no ${spec.binary} on PATH`);
  }
  if (options.containers !== false) {
    try {
      return await startContainer(backend);
    } catch (error) {
      const message = (error as Error).message;
      reasons.push(/container runtime/i.test(message) ? 'no container runtime answers' : `container failed: ${message}`);
    }
  }
  const required = isRequired(backend, env);
  throw new BackendUnavailable(
    `no ${backend} server (${reasons.join('; ')}). Provide one of: ` +
      `(1) ${spec.envVar}=${spec.scheme}://host:port; ` +
      `(2) ${spec.binary} on PATH (e.g. apt-get install -y ${backend === 'redis' ? 'redis-server' : 'memcached'}); ` +
      `(3) a container runtime (Docker or Podman) for testcontainers.` +
      (required ? ` It is required here (${env.CI === 'true' || env.CI === '1' ? 'CI=true' : 'SESSION_CONFORMANCE_REQUIRE'}).` : ''),
    backend,
    required,
  );
}
