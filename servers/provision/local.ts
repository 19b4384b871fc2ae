/**
 * The second provider: a server binary of this machine, started on a free loopback port (in a
 * temp dir of its own, for the SQL servers) and stopped, with everything it wrote, afterwards.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * Whether a process of group `group` still runs. A zombie has let go of everything it held (its
 * memory, shared segments included), so only live members count; where /proc cannot tell them
 * apart, any member does.
 */
export function groupRuns(group: number): boolean {
  try {
    process.kill(-group, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so count from its last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === group && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/** How long a killed server's workers may take to exit before a restart goes ahead anyway. */
const GROUP_EXIT_MS = 10_000;

/** Waits until no process of group `group` runs, at most GROUP_EXIT_MS. */
async function groupExited(group: number): Promise<void> {
  const deadline = performance.now() + GROUP_EXIT_MS;
  while (groupRuns(group) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
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
    // A killed postmaster's backends outlive it for a moment, still attached to its shared
    // memory: a restart before they are gone fails ("pre-existing shared memory block is still in use").
    if (spec.forks) await groupExited(child.pid!);
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
