/**
 * What a store author gets from npm: pack the package, install the tarball into a fresh project
 * outside this repository, beside the vitest major the author uses, with npm's strict peer
 * resolution, and run a conformance file there that imports it by name.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLAUSE_IDS } from '../suite/index.js';

const root = resolve(import.meta.dirname, '..');

const CONSUMER_TEST = `import { runConformance, checkConformance, fromExpressStore, ManualClock, toExpressStore } from 'session-store-conformance';
import { MemoryStore, SqliteStore, connectStore } from 'session-store-conformance/stores';
import { checkHistory } from 'session-store-conformance/linearizability';
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
it('toExpressStore names its missing peer', () => {
  expect(() => toExpressStore(new MemoryStore())).toThrow('npm install express-session');
});
// This project installs neither ioredis nor memjs: opening their stores names the install command.
it('connectStore names the fix for a missing optional driver', async () => {
  await expect(connectStore('redis://127.0.0.1:1')).rejects.toThrow('RedisStore needs ioredis: npm install ioredis@6');
  await expect(connectStore('redis+cluster://127.0.0.1:1,127.0.0.1:2')).rejects.toThrow('npm install ioredis@6');
  await expect(connectStore('memcached://127.0.0.1:1')).rejects.toThrow('MemcachedStore needs memjs: npm install memjs@1');
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

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'scc-consumer-'));
  execFileSync('npm', ['pack', root, '--silent', '--pack-destination', work], { cwd: work, stdio: 'pipe' });
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
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
    // Instance on the system clock: no cross-instance, no scheduled interleavings. SQLite: no
    // cross-instance. Neither supplies faults to inject, nor makes its own ids (id-quality).
    // Plus four clauses of the express store, and five plain tests.
    const passed = CLAUSE_IDS.length - 4 + (CLAUSE_IDS.length - 3) + 4 + 5;
    expect(output).toMatch(new RegExp(`Tests\\s+${passed} passed \\| 7 skipped \\(${passed + 7}\\)`));
    // checkConformance reads the same variable: its store "m" reports too.
    expect(readdirSync(join(project, 'reports')).sort()).toEqual([
      'conformance-express-map.json', 'conformance-express-map.md', 'conformance-m.json', 'conformance-m.md', 'conformance-memorystore.json', 'conformance-memorystore.md', 'conformance-sqlite.json', 'conformance-sqlite.md',
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
  it('runs ./core and the session-store-conformance command', { timeout: 180_000 }, () => {
    const project = join(work, 'no-vitest');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project, stdio: 'pipe' });
    // vitest is an optional peer: nothing pulled it in.
    expect(readdirSync(join(project, 'node_modules'))).not.toContain('vitest');
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

    writeFileSync(join(project, 'store.mjs'), `import { MemoryStore } from 'session-store-conformance/stores';\nexport default new MemoryStore();\n`);
    const output = execFileSync(join(project, 'node_modules', '.bin', 'session-store-conformance'), ['check', './store.mjs', '--runs', '5', '--only', 'round-trip,absent,pop'], { cwd: project, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toMatch(/^pop\s+MUST\s+pass/m);
    expect(output).toContain('verdict: passes');
  });
});
