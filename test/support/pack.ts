import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { messageOf } from '../../suite/describe-value.js';

const root = resolve(import.meta.dirname, '..', '..');
// test/global-setup.ts names one directory per vitest run, outside this repository (a consumer
// project made in it must not resolve this repo's node_modules); a file run some other way gets its own.
const sharedRoot = process.env.SCC_TEST_BUILD_DIR ?? mkdtempSync(join(tmpdir(), 'scc-test-build-'));
const WAIT_MS = 240_000;

/**
 * What `make` leaves in a directory of this vitest run, made once however many test files ask.
 * Five files used to run tsc each (one of them through npm pack's prepack, which also rebuilt the
 * checkout's dist/ under the others): now the first to ask claims the directory with an atomic
 * mkdir, and the others wait for its marker, which also carries a failure to every waiter.
 */
async function once(name: string, make: (dir: string) => void): Promise<string> {
  const dir = join(sharedRoot, name);
  mkdirSync(sharedRoot, { recursive: true });
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return waitFor(dir, name);
  }
  try {
    make(dir);
  } catch (error) {
    writeFileSync(join(dir, '.failed'), messageOf(error));
    throw error;
  }
  writeFileSync(join(dir, '.done'), '');
  return dir;
}

async function waitFor(dir: string, name: string): Promise<string> {
  for (const started = Date.now(); Date.now() - started < WAIT_MS; await sleep(100)) {
    if (existsSync(join(dir, '.done'))) return dir;
    if (existsSync(join(dir, '.failed'))) throw new Error(`the shared ${name} failed in another test file: ${readFileSync(join(dir, '.failed'), 'utf8')}`);
  }
  throw new Error(`the shared ${name} in ${dir} was not ready after ${WAIT_MS / 1000} s`);
}

const build = () =>
  once('build', (dir) => {
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], { cwd: root, stdio: 'pipe' });
  });

/**
 * tsc's build of the package, copied into `dest` (dist's layout: cli/, stores/, …). Callers put
 * `dest` inside the checkout so that the built modules resolve this repo's node_modules.
 */
export async function copyBuild(dest: string): Promise<void> {
  cpSync(join(await build(), 'dist'), dest, { recursive: true });
}

/**
 * The package as `npm pack` publishes it; returns the tarball's path. It is packed from a staged
 * copy of the shared build: `npm pack` of the checkout runs prepack, which deletes and rebuilds
 * dist/ under any other test file reading it.
 */
export async function packedTarball(): Promise<string> {
  const built = await build();
  const dir = await once('pack', (dir) => {
    const stage = join(dir, 'stage');
    cpSync(join(built, 'dist'), join(stage, 'dist'), { recursive: true });
    const { files } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
    for (const entry of ['package.json', ...files.filter((f) => !f.startsWith('dist/'))]) cpSync(join(root, entry), join(stage, entry), { recursive: true });
    // What prepack would do is done: the scripts stay out of it.
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: stage, stdio: 'pipe' });
  });
  return join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
}

/** The runner majors the consumer below installs: the newest each peer range accepts. */
export const MOCHA_MAJOR = 12;
export const JEST_MAJOR = 30;

/**
 * A consumer's install of the packed tarball with no vitest: beside mocha and jest (the runner
 * bindings), xml2js (what CI parses JUnit with) and ioredis 5.0.0 (the lowest release the peer
 * range accepts: RedisStore once took ioredis's class by the name `Redis`, exported from 5.2.5 on;
 * `npm run test:ioredis5` runs the whole Redis suite on the latest 5.x),
 * under npm's strict peer resolution, so an optional peer it does not accept fails the install.
 * package.test and runner-bindings each installed a project of their own (two to three npm
 * installs, the run's costliest steps after tsc); now one is made per run, and each test works in
 * a project directory of its own inside it (`consumerProject`), which resolves these packages by
 * walking up, as a package in a workspace does.
 */
export async function consumerInstall(): Promise<string> {
  const tarball = await packedTarball();
  return once('consumer', (dir) => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--strict-peer-deps', tarball, `mocha@${MOCHA_MAJOR}`, `jest@${JEST_MAJOR}`, 'xml2js@0.6', 'ioredis@5.0.0'], { cwd: dir, stdio: 'pipe' });
  });
}

/** A fresh ESM project directory inside the shared consumer install, for one test's files. */
export async function consumerProject(prefix: string): Promise<string> {
  const project = mkdtempSync(join(await consumerInstall(), `${prefix}-`));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: prefix, private: true, type: 'module' }));
  return project;
}

/** The node_modules a project from `consumerProject` resolves its packages (and bins) from: the shared install's. */
export function consumerModules(project: string): string {
  return join(dirname(project), 'node_modules');
}
