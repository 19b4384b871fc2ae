/**
 * The second provider: a server binary of this machine, started on a free loopback port (in a
 * temp dir of its own, for the SQL servers) and stopped, with everything it wrote, afterwards.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { SPECS } from './backends.js';
import { freeLoopbackPort, waitUntilServing } from './network.js';
import type { LocalServer, SingleProcessBackend } from './server.js';

/** The first executable `name` in `dirs`. */
function inDirs(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
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

export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return inDirs(name, (env.PATH ?? '').split(delimiter));
}

/** A backend's binary on PATH, else in the places its packages put it (see BackendSpec.moreDirs). */
export function locateBinary(name: string, env: NodeJS.ProcessEnv, moreDirs: readonly string[] = []): string | undefined {
  return findOnPath(name, env) ?? inDirs(name, moreDirs);
}

interface Account {
  uid: number;
  gid: number;
}

/**
 * Who a server that refuses root runs as: nobody else when we are not root; its own system user
 * (from /etc/passwd) when we are.
 */
function accountFor(user: string | undefined): Account | undefined {
  if (user === undefined || process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`it refuses to run as root, and there is no system user "${user}" to run it as`);
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a program to its end, rejecting with its output when it fails or outlasts `timeoutMs`. */
export function run(binary: string, args: string[], timeoutMs: number, account?: Account): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: timeoutMs, killSignal: 'SIGKILL', ...account }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${binary} ${args.join(' ')} failed (${error.message.split('\n')[0]}): ${`${stdout}${stderr}`.trim()}`));
      else resolve(stdout);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Enough of a server's stderr to say why it would not start. */
const STDERR_KEPT = 8192;

/**
 * Starts a private server process on a free loopback port (or `port`) and waits until it serves.
 * A SQL server first gets a data dir in a temp dir of its own, and runs as its own system user
 * when we are root. It is stopped, and its temp dir removed, by `stop()`, or when this process exits.
 */
export async function startLocalServer(
  backend: SingleProcessBackend,
  options: { binary?: string; initBinary?: string; extraArgs?: string[]; port?: number } = {},
): Promise<LocalServer> {
  const spec = SPECS[backend];
  const binary = options.binary ?? locateBinary(spec.binary, process.env, spec.moreDirs?.());
  if (!binary) throw new Error(`${spec.binary} is not on PATH`);
  const port = options.port ?? (await freeLoopbackPort());
  const account = accountFor(spec.user);
  let dir = '';
  if (spec.init) {
    // Next to the server first: initdb of another major would make a data dir it cannot read.
    const initBinary = options.initBinary ?? locateBinary(spec.initBinary!, { PATH: dirname(binary) }) ?? locateBinary(spec.initBinary!, process.env, spec.moreDirs?.());
    if (!initBinary) throw new Error(`${spec.initBinary} is not on PATH`);
    dir = mkdtempSync(join(tmpdir(), `scc-${backend}-`));
    try {
      if (account) chownSync(dir, account.uid, account.gid);
      await spec.init(dir, initBinary, (program, args) => run(program, args, 120_000, account));
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
  const args = [...spec.args(port, dir), ...(options.extraArgs ?? [])];
  let child: ChildProcess;
  const signal = (name: NodeJS.Signals) => {
    try {
      // A forking server leads a process group of its own: its workers go with it.
      if (spec.forks) process.kill(-child.pid!, name);
      else child.kill(name);
    } catch {
      // already gone
    }
  };
  const removeDir = () => dir && rmSync(dir, { recursive: true, force: true });
  const killOnExit = () => {
    signal('SIGKILL');
    removeDir();
  };
  const stopWith = async (name: NodeJS.Signals) => {
    process.removeListener('exit', killOnExit);
    signal(name);
    // A clean stop that hangs is ended as a crash would be.
    const timer = setTimeout(() => signal('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  };
  const start = async () => {
    child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: spec.forks === true, ...account });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT)));
    process.once('exit', killOnExit);
    const started = child;
    try {
      await Promise.race([
        waitUntilServing('127.0.0.1', port, spec.probe, 30_000),
        exited(started).then(() => {
          throw new Error(`${spec.binary} exited at start (code ${started.exitCode}): ${stderr.trim()}`);
        }),
      ]);
    } catch (error) {
      await stopWith('SIGKILL');
      throw error;
    }
  };
  try {
    await start();
  } catch (error) {
    removeDir();
    throw error;
  }
  return {
    backend,
    url: spec.url('127.0.0.1', port),
    source: 'binary',
    port,
    ...(dir ? { dir } : {}),
    get pid() {
      return child.pid!;
    },
    stop: async () => {
      await stopWith(spec.stopSignal ?? 'SIGTERM');
      removeDir();
    },
    kill: () => stopWith('SIGKILL'),
    restart: async () => {
      await stopWith('SIGKILL');
      await start();
    },
  };
}
