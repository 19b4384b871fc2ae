/**
 * What a store author gets from npm: pack the package, install the tarball into a fresh project,
 * and run a conformance file there that imports it by name.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { CLAUSE_IDS } from '../suite/index.js';

const root = resolve(import.meta.dirname, '..');

it('a consumer imports runConformance from the packed tarball and passes', { timeout: 180_000 }, () => {
  // Inside the repo (git-ignored) so the consumer resolves vitest and fast-check, its peers, from here.
  const work = join(root, '.tmp', `consumer-${process.pid}`);
  mkdirSync(work, { recursive: true });
  onTestFinished(() => rmSync(work, { recursive: true, force: true }));
  const npm = (...args: string[]) => execFileSync('npm', args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  npm('pack', root, '--silent', '--pack-destination', work);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', '--offline', join(work, tarball)], { cwd: project, stdio: 'pipe' });
  writeFileSync(
    join(project, 'store.test.ts'),
    `import { runConformance, checkConformance, ManualClock } from 'session-store-conformance';
import { MemoryStore, SqliteStore } from 'session-store-conformance/stores';
import { checkHistory } from 'session-store-conformance/linearizability';
import { expect, it } from 'vitest';

runConformance(new MemoryStore(), { numRuns: 10 });
runConformance({ name: 'sqlite', clock: 'injected', open: ({ clock }) => new SqliteStore({ clock }) }, { numRuns: 10 });
it('checkConformance works without the vitest binding', async () => {
  const report = await checkConformance({ name: 'm', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) }, { numRuns: 5 });
  expect(report.summary.fail).toBe(0);
  expect(new ManualClock(0).now()).toBe(0);
  expect(checkHistory([{ client: 0, op: 'get', id: 'a', input: {}, output: undefined, call: 0, ret: 1 }]).ok).toBe(true);
});
`,
  );
  writeFileSync(join(project, 'vitest.config.mjs'), `export default { test: { include: ['store.test.ts'] } };\n`);
  // A clean environment: the outer vitest's own variables would steer the inner run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'FORCE_COLOR'));
  env.NO_COLOR = '1';
  // The vitest binding writes the per-store report when the environment names a directory.
  env.SESSION_CONFORMANCE_REPORT_DIR = join(project, 'reports');
  const vitest = join(root, 'node_modules', '.bin', 'vitest');
  const output = execFileSync(vitest, ['run', '--reporter', 'verbose'], { cwd: project, encoding: 'utf8', env });
  // Instance on the system clock: no cross-instance, no scheduled interleavings. SQLite: no cross-instance.
  const passed = CLAUSE_IDS.length - 2 + (CLAUSE_IDS.length - 1) + 1;
  expect(output).toMatch(new RegExp(`Tests\\s+${passed} passed \\| 3 skipped \\(${passed + 3}\\)`));
  const written = readdirSync(join(project, 'reports')).sort();
  // checkConformance reads the same variable: its store "m" reports too.
  expect(written).toEqual(['conformance-m.json', 'conformance-m.md', 'conformance-memorystore.json', 'conformance-memorystore.md', 'conformance-sqlite.json', 'conformance-sqlite.md']);
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['store.test.ts'] }),
  );
  execFileSync(tsc, ['-p', project], { cwd: project, encoding: 'utf8' });
});
