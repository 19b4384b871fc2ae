/**
 * What a store author gets from npm: pack the package, install the tarball into a fresh project
 * outside this repository, beside the vitest major the author uses, with npm's strict peer
 * resolution, and run a conformance file there that imports it by name.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLAUSE_IDS } from '../entry/index.js';
import { nodeLineBin } from './support/node-line.js';
import { consumerModules, consumerProject, packedTarball } from './support/pack.js';
import { shareOf } from './support/share.js';
import { serverFor } from './support/servers.js';

const root = resolve(import.meta.dirname, '..');
const execFileAsync = promisify(execFile);

const CONSUMER_TEST = `import { runConformance, checkConformance, fromExpressStore, ManualClock, toExpressStore } from 'session-store-conformance';
import { MemoryStore, SqliteStore, connectStore } from 'session-store-conformance/stores';
import { checkHistory } from 'session-store-conformance/linearizability';
import * as adapters from 'session-store-conformance/adapters';
import { provision } from 'session-store-conformance/servers';
import { runBench, validateBenchReport, type BenchReport } from 'session-store-conformance/bench';
import { expect, it } from 'vitest';

runConformance(new MemoryStore(), { numRuns: 10 });
runConformance({ name: 'sqlite', clock: 'injected', open: ({ clock }) => new SqliteStore({ clock }) }, { numRuns: 10 });
it('checkConformance works without the vitest binding', async () => {
  const report = await checkConformance({ name: 'm', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) }, { numRuns: 5 });
  expect(report.summary.fail).toBe(0);
  expect(new ManualClock(0).now()).toBe(0);
  expect(checkHistory([{ client: 0, op: 'get', id: 'a', input: {}, output: undefined, call: 0, ret: 1 }]).ok).toBe(true);
});
// An express-session store, as an author of one tests it: runConformance through fromExpressStore.
type Callback = (error?: unknown, value?: unknown) => void;
const sessions = new Map<string, string>();
const later = (call: () => void) => void Promise.resolve().then(call);
const expressMap = {
  get: (sid: string, cb: Callback) => later(() => cb(null, sessions.has(sid) ? JSON.parse(sessions.get(sid)!) : null)),
  set: (sid: string, sess: object, cb: Callback) => (sessions.set(sid, JSON.stringify(sess)), later(cb)),
  destroy: (sid: string, cb: Callback) => (sessions.delete(sid), later(cb)),
};
runConformance(fromExpressStore(expressMap, { name: 'express map' }), { numRuns: 5, only: ['round-trip', 'absent', 'pop', 'model'] });
it('the adapters subpath is what the root re-exports', () => {
  expect(adapters.fromExpressStore).toBe(fromExpressStore);
  expect(adapters.toExpressStore).toBe(toExpressStore);
});
it('toExpressStore names its missing peer', () => {
  expect(() => toExpressStore(new MemoryStore())).toThrow('npm install express-session');
});
// This project installs neither ioredis, memjs nor pg: opening their stores names the install command.
it('connectStore names the fix for a missing optional driver', async () => {
  await expect(connectStore('redis://127.0.0.1:1')).rejects.toThrow('RedisStore needs ioredis: npm install ioredis@6');
  await expect(connectStore('redis+cluster://127.0.0.1:1,127.0.0.1:2')).rejects.toThrow('npm install ioredis@6');
  await expect(connectStore('memcached://127.0.0.1:1')).rejects.toThrow('MemcachedStore needs memjs: npm install memjs@1');
  await expect(connectStore('postgres://127.0.0.1:1/db')).rejects.toThrow('PostgresStore needs pg: npm install pg@8');
  // A bad URL is told as such before the missing driver.
  await expect(connectStore('postgresql://127.0.0.1:1/a/b')).rejects.toThrow('the path must be a database name');
});
// Nor testcontainers: with no server binary either, the container path names its install.
it('provision names testcontainers when the container path needs it', async () => {
  await expect(provision('memcached', { env: { PATH: '/nonexistent' } })).rejects.toThrow('container failed: testcontainers is not installed (npm install --save-dev testcontainers)');
});
it('runs the bench as a library, typed, from the bench subpath', { timeout: 30_000 }, async () => {
  const report: BenchReport = await runBench({ stores: ['memory'], workloads: ['session-mix'], concurrency: [2], durationMs: 20, warmupMs: 5, runs: 1, sessions: 50, openLoop: { enabled: false }, machinery: false, provision: false, progress: { start() {}, tick() {}, done() {} }, log: () => {} });
  expect(validateBenchReport(report)).toEqual([]);
  expect(report.results.find((c) => c.target === 'memory')?.summary?.opsPerSec.median).toBeGreaterThan(0);
});
`;

let work: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'scc-consumer-'));
  tarball = await packedTarball();
  return () => rmSync(work, { recursive: true, force: true });
}, 120_000);

// Both majors the peer range names: an author on either installs without forcing peers.
describe.each([5, 4])('a consumer on vitest %i', (vitestMajor) => {
  it('installs the packed tarball without peer-dependency errors, passes runConformance and type-checks', { timeout: 180_000 }, () => {
    const project = join(work, `vitest-${vitestMajor}`);
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // No --legacy-peer-deps or --force: a peer conflict fails the install here as it would for the author.
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `vitest@${vitestMajor}`, 'better-sqlite3@13'], { cwd: project, stdio: 'pipe' });
    writeFileSync(join(project, 'store.test.ts'), CONSUMER_TEST);
    writeFileSync(join(project, 'vitest.config.mjs'), `export default { test: { include: ['store.test.ts'] } };\n`);

    // A clean environment: the outer vitest's own variables would steer the inner run.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'FORCE_COLOR'));
    env.NO_COLOR = '1';
    // The vitest binding writes the per-store report when the environment names a directory.
    env.SESSION_CONFORMANCE_REPORT_DIR = join(project, 'reports');
    const output = execFileSync(join(project, 'node_modules', '.bin', 'vitest'), ['run', '--reporter', 'verbose'], { cwd: project, encoding: 'utf8', env });
    expect(output).toContain(`RUN  v${vitestMajor}.`);
    // Instance on the system clock: no cross-instance, no scheduled interleavings. SQLite, on an
    // injected clock: no cross-instance, no expiry-while-busy (no timer of its can fall behind).
    // Neither supplies faults to inject, nor makes its own ids (id-quality).
    // Plus four clauses of the express store, and six plain tests.
    const passed = CLAUSE_IDS.length - 4 + (CLAUSE_IDS.length - 4) + 4 + 6;
    expect(output).toMatch(new RegExp(`Tests\\s+${passed} passed \\| 8 skipped \\(${passed + 8}\\)`));
    // checkConformance reads the same variable: its store "m" reports too.
    expect(readdirSync(join(project, 'reports')).sort()).toEqual([
      ...['express-map', 'm', 'memorystore', 'sqlite'].flatMap((store) => ['html', 'json', 'md'].map((ext) => `conformance-${store}.${ext}`)),
    ]);

    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['store.test.ts'] }),
    );
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', project], { cwd: project, encoding: 'utf8' });

    // The bench bin from the installed package: a store module of the author's own beside the references.
    writeFileSync(join(project, 'my-store.mjs'), `import { MemoryStore } from 'session-store-conformance/stores';\nexport default { name: 'my store', open: () => new MemoryStore() };\n`);
    const bench = execFileSync(join(project, 'node_modules', '.bin', 'session-store-bench'), ['--quick', '--stores', 'memory', '--store', './my-store.mjs', '--store', 'sqlite::memory:', '--duration', '20', '--warmup', '5', '--sessions', '50', '--out', 'bench'], { cwd: project, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(bench).toBe('');
    const report = JSON.parse(readFileSync(join(project, 'bench', 'bench.json'), 'utf8')) as { results: { target: string; summary?: object }[] };
    // A module of the author's and a store URL, opened through connectStore.
    for (const name of ['my store', 'sqlite::memory:']) {
      const cells = report.results.filter((c) => c.target === name);
      expect(cells.length, name).toBeGreaterThan(0);
      expect(cells.every((c) => c.summary)).toBe(true);
    }
  });
});

describe('a consumer without vitest', () => {
  it('runs ./core and the session-store-conformance command', { timeout: 180_000 }, async () => {
    const project = await consumerProject('no-vitest');
    // vitest is an optional peer: nothing pulled it in.
    expect(readdirSync(consumerModules(project))).not.toContain('vitest');
    writeFileSync(
      join(project, 'core.mjs'),
      `import { checkConformance } from 'session-store-conformance/core';
import { MemoryStore } from 'session-store-conformance/stores';
const report = await checkConformance({ name: 'm', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) }, { numRuns: 5, report: false });
console.log(report.ok, report.summary.fail);
`,
    );
    const env = { ...process.env, NO_COLOR: '1', SESSION_CONFORMANCE_REPORT_DIR: '' };
    expect(execFileSync(process.execPath, ['core.mjs'], { cwd: project, encoding: 'utf8', env }).trim()).toBe('true 0');
    // ./provision was an alias of ./servers; it is gone, and Node says so by name.
    writeFileSync(join(project, 'provision.mjs'), `await import('session-store-conformance/provision').catch((error) => console.log(error.code));\n`);
    expect(execFileSync(process.execPath, ['provision.mjs'], { cwd: project, encoding: 'utf8', env }).trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');

    writeFileSync(join(project, 'store.mjs'), `import { MemoryStore } from 'session-store-conformance/stores';\nexport default new MemoryStore();\n`);
    const output = execFileSync(join(consumerModules(project), '.bin', 'session-store-conformance'), ['check', './store.mjs', '--runs', '5', '--only', 'round-trip,absent,pop'], { cwd: project, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toMatch(/^pop\s+MUST\s+pass/m);
    expect(output).toContain('verdict: passes');
  });
});

// Each alternative of each optional peer's range, e.g. `ioredis@^5.0.0` and `ioredis@^6.0.0`: the
// i-th project takes the i-th alternative of every peer (the last one where a range has fewer), so
// as many resolutions as the widest range has alternatives cover every major the ranges accept,
// and a range widened later is tested as it is. Each resolution takes half a minute of a core: a
// run takes its share of them, and .ci/run's Node lines together take them all.
const peers = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> }).peerDependencies;
const alternatives = Object.entries(peers).map(([name, range]) => range.split('||').map((alternative) => `${name}@${alternative.trim()}`));
const peerSets = shareOf(Array.from({ length: Math.max(...alternatives.map((a) => a.length)) }, (_, i) => alternatives.map((a) => a[Math.min(i, a.length - 1)]!)));

const redis = await serverFor('redis');

describe('consumers beside each accepted major of each optional peer', () => {
  // Resolution is what the ranges decide, and npm decides it without extracting anything: each set
  // is resolved with --dry-run; the tests below run in the one consumer install made for real
  // (test/support/pack.ts's consumerInstall, shared with runner-bindings.test.ts).
  it.concurrent.each(peerSets.map((set) => [set.join(' '), set] as const))('resolves the packed tarball beside %s with npm\'s strict peer resolution', { timeout: 240_000 }, async (_, set) => {
    const project = mkdtempSync(join(work, 'peers-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // --strict-peer-deps: any peer the tarball does not accept fails the resolution (ERESOLVE), as it
    // would for the author without it.
    const { stdout } = await execFileAsync('npm', ['install', '--dry-run', '--no-audit', '--no-fund', '--prefer-offline', '--strict-peer-deps', tarball, ...set], { cwd: project, maxBuffer: 64 * 1024 * 1024 });
    // The plan, a line `add <name> <version>` per package (nested copies included).
    const added = [...stdout.matchAll(/^add (\S+) (\S+)$/gm)].map(([, name, version]) => `${name}@${version}`);
    for (const spec of set) {
      const name = spec.slice(0, spec.lastIndexOf('@'));
      expect(added).toContainEqual(expect.stringMatching(new RegExp(`^${name}@${/\d+/.exec(spec.slice(name.length))![0]}\\.`)));
    }
  });

  // The same resolution refuses a major outside the ranges: the installs above could fail.
  it.concurrent('refuses, under the same resolution, a driver major outside its range (ioredis 4)', { timeout: 120_000 }, async () => {
    const project = mkdtempSync(join(work, 'peers-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await expect(execFileAsync('npm', ['install', '--dry-run', '--no-audit', '--no-fund', '--prefer-offline', '--strict-peer-deps', tarball, 'ioredis@4'], { cwd: project })).rejects.toMatchObject({ stderr: expect.stringMatching(/ERESOLVE[\s\S]*Found: ioredis@4\./) });
  });

  it.skipIf('skip' in redis)('on ioredis 5, runs the conformance command on a RedisStore of its own against a real redis-server', { timeout: 240_000 }, async () => {
    // The run's consumer install holds the tarball beside ioredis 5.0.0, the low end of its range.
    const project = await consumerProject('ioredis5');
    const { url } = (redis as { server: { url: string } }).server;
    writeFileSync(
      join(project, 'store.mjs'),
      `import { RedisStore } from 'session-store-conformance/stores';
export default { name: 'redis on ioredis 5', ...RedisStore.declares, open: () => RedisStore.connect({ url: ${JSON.stringify(url)}, prefix: 'package-ioredis5-${process.pid}:' }) };
`,
    );
    const env = { ...process.env, NO_COLOR: '1', SESSION_CONFORMANCE_REPORT_DIR: '' };
    const only = ['round-trip', 'absent', 'replace', 'pop', 'expiry', 'update', 'cross-instance', 'atomic-pop'];
    const output = execFileSync(join(consumerModules(project), '.bin', 'session-store-conformance'), ['check', './store.mjs', '--runs', '5', '--only', only.join(','), '--json'], { cwd: project, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    const report = JSON.parse(output) as { ok: boolean; versions: Record<string, string>; clauses: { id: string; status: string }[] };
    expect(report.versions.ioredis).toMatch(/^5\./);
    expect(report.clauses.map((c) => `${c.id} ${c.status}`).sort()).toEqual(only.map((id) => `${id} pass`).sort());
    expect(report.ok).toBe(true);
  });

  // The bins are ESM with static imports that need a supported Node: on Node 20 (a real one, from
  // the npm registry) they must say so in one line, before any of those load.
  it.each(['session-store-conformance', 'session-store-bench'])('%s on Node 20 says which Node it needs, in one line, and exits 2', { timeout: 240_000 }, async (bin) => {
    const project = await consumerProject('node-20');
    const result = spawnSync(join(consumerModules(project), '.bin', bin), ['--help'], { cwd: project, encoding: 'utf8', env: { ...process.env, PATH: `${nodeLineBin(20)}:${process.env.PATH}` } });
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^${bin}: needs Node\\.js \\^22\\.12\\.0 \\|\\| \\^24\\.0\\.0 \\|\\| >=26\\.0\\.0, this is v20\\.\\d+\\.\\d+; install Node 24 \\(https://nodejs\\.org/\\) or run it as \`npx -p node@24 ${bin} …\`\\n$`));
    expect(result.status).toBe(2);
  });
});
