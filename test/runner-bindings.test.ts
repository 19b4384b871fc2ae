/**
 * The suite in the test runner a store's repository already uses, from the packed tarball: a
 * project outside this repository installs it beside mocha and jest (and no vitest; the run's one
 * consumer install, from test/support/pack.ts), and runs a correct store and a broken one through
 * the node:test, mocha and jest bindings, with the real runners. Also: the root entry without
 * vitest, and the CLI's CI artifacts (JUnit XML, the GitHub job summary), read back with a real
 * XML parser.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../stores/index.js';
import { checkConformance, clauses, renderJUnit, type ClauseId, type ConformanceReport } from '../entry/core.js';
import { defects } from './broken/defects.js';
import { consumerModules, consumerProject } from './support/pack.js';

const RUNNERS = ['node-test', 'mocha', 'jest'] as const;
type Runner = (typeof RUNNERS)[number];

const BROKEN = 'keeps popped sessions';
const BROKEN_ONLY: ClauseId[] = ['round-trip', 'absent', 'pop'];

const FILES: Record<string, string> = {
  // test/broken's "pop returns the value but keeps it", on the reference store: of the clauses
  // below it breaks exactly pop.
  'broken-store.mjs': `import { MemoryStore } from 'session-store-conformance/stores';
class KeepsPoppedStore extends MemoryStore {
  async pop(id) { return this.get(id); }
}
export default { name: '${BROKEN}', clock: 'injected', open: ({ clock }) => new KeepsPoppedStore({ clock }) };
`,
  // jest's ESM mode: no transform, and node --experimental-vm-modules (below).
  'jest.config.mjs': `export default { testMatch: ['**/*.jest.test.mjs'], transform: {} };\n`,
  // The root entry without vitest: the adapters and checkConformance work; runConformance says what to do.
  'root.mjs': `import { checkConformance, fromExpressStore, runConformance } from 'session-store-conformance';
const sessions = new Map();
const later = (call) => void Promise.resolve().then(call);
const target = fromExpressStore({
  get: (sid, cb) => later(() => cb(null, sessions.has(sid) ? JSON.parse(sessions.get(sid)) : null)),
  set: (sid, sess, cb) => (sessions.set(sid, JSON.stringify(sess)), later(cb)),
  destroy: (sid, cb) => (sessions.delete(sid), later(cb)),
}, { name: 'express map' });
const report = await checkConformance(target, { numRuns: 5, only: ['round-trip', 'absent', 'pop'], report: false });
console.log(JSON.stringify(report.clauses.map((c) => [c.id, c.status])));
try {
  runConformance(target);
  console.log('registered');
} catch (error) {
  console.log(error.message);
}
`,
};
for (const runner of RUNNERS) {
  const file = runner === 'node-test' ? 'node' : runner;
  FILES[`correct.${file}.test.mjs`] = `import { runConformance } from 'session-store-conformance/${runner}';
import { MemoryStore } from 'session-store-conformance/stores';
runConformance(new MemoryStore(), { numRuns: 5 });
`;
  FILES[`broken.${file}.test.mjs`] = `import { runConformance } from 'session-store-conformance/${runner}';
import broken from './broken-store.mjs';
runConformance(broken, { only: ${JSON.stringify(BROKEN_ONLY)}, numRuns: 10 });
`;
}

let project: string;
let modules: string;

beforeAll(async () => {
  project = await consumerProject('runners');
  modules = consumerModules(project);
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(project, name), text);
}, 300_000);

/** A clean environment: the outer vitest's own variables (VITEST above all) would steer the inner run. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'FORCE_COLOR' && (k === 'SESSION_CONFORMANCE_SEED' || !k.startsWith('SESSION_CONFORMANCE')) && k !== 'GITHUB_STEP_SUMMARY'),
  );
  return { ...env, NO_COLOR: '1', ...extra };
}

function commandFor(runner: Runner, file: string): string[] {
  const bin = (path: string) => join(modules, path);
  if (runner === 'node-test') return ['--test', '--test-reporter=spec', file];
  if (runner === 'mocha') return [bin('mocha/bin/mocha.js'), file];
  return ['--experimental-vm-modules', bin('jest/bin/jest.js'), '--ci', file.replace(/\./g, '\\.')];
}

/** Runs one test file with the real runner, on this Node, and reads back the report it wrote. */
function runWith(runner: Runner, kind: 'correct' | 'broken'): { status: number | null; output: string; report: ConformanceReport } {
  const reports = join(project, `reports-${runner}-${kind}`);
  const file = `${kind}.${runner === 'node-test' ? 'node' : runner}.test.mjs`;
  const run = spawnSync(process.execPath, commandFor(runner, file), { cwd: project, encoding: 'utf8', env: cleanEnv({ SESSION_CONFORMANCE_REPORT_DIR: reports }), timeout: 240_000 });
  const output = `${run.stdout}${run.stderr}`;
  const json = readdirSync(reports).find((f) => f.endsWith('.json'));
  return { status: run.status, output, report: JSON.parse(readFileSync(join(reports, json!), 'utf8')) as ConformanceReport };
}

const title = (id: ClauseId) => `[${id}] ${clauses.find((c) => c.id === id)!.title}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How each runner prints a passed, failed and skipped test, and its totals. */
const LOOKS: Record<Runner, { pass: string; fail: string; skip: string; totals: (r: { passed: number; failed: number; skipped: number }) => RegExp[] }> = {
  'node-test': {
    pass: '✔ ',
    fail: '✖ ',
    skip: '﹣ ',
    totals: ({ passed, failed, skipped }) => [new RegExp(`ℹ tests ${passed + failed + skipped}\\n`), new RegExp(`ℹ fail ${failed}\\n`), new RegExp(`ℹ skipped ${skipped}\\n`)],
  },
  mocha: {
    pass: '✔ ',
    fail: '\\d+\\) ',
    skip: '- ',
    totals: ({ passed, failed, skipped }) => [new RegExp(` ${passed} passing`), failed ? new RegExp(` ${failed} failing`) : /^(?![\s\S]*failing)/, skipped ? new RegExp(` ${skipped} pending`) : /^(?![\s\S]*pending)/],
  },
  jest: {
    pass: '✓ ',
    fail: '✕ ',
    skip: '○ skipped ',
    totals: ({ passed, failed, skipped }) => [new RegExp(`Tests: +${[failed && `${failed} failed`, skipped && `${skipped} skipped`, `${passed} passed`].filter(Boolean).join(', ')}, ${passed + failed + skipped} total`)],
  },
};

describe.each(RUNNERS)('the %s binding, from the packed tarball, in the real runner', (runner) => {
  const looks = LOOKS[runner];

  it('passes a correct store: one test per clause, skips as skips, exit 0, the report written', { timeout: 240_000 }, () => {
    const { status, output, report } = runWith(runner, 'correct');
    expect(status, output).toBe(0);
    expect(output).toContain('session store conformance: MemoryStore');
    // A store instance on the system clock: no second instance, no scheduled interleavings, no faults.
    // Nor does it make its own ids (id-quality): a store's methods are known only once it is
    // open, so jest, which skips only when registering, shows that skip as a pass with the reason.
    const skipped: ClauseId[] = ['cross-instance', 'interleavings', 'faults', 'id-quality'];
    const shownSkipped = runner === 'jest' ? skipped.filter((id) => id !== 'id-quality') : skipped;
    for (const clause of clauses) expect(output, clause.id).toMatch(new RegExp(`${shownSkipped.includes(clause.id) ? looks.skip : looks.pass}${escape(title(clause.id))}`));
    for (const total of looks.totals({ passed: clauses.length - shownSkipped.length, failed: 0, skipped: shownSkipped.length })) expect(output).toMatch(total);
    if (runner === 'jest') expect(output).toContain('[id-quality] skipped: the app chooses the session ids: the store has no createId');
    expect(report.clauses).toHaveLength(clauses.length);
    expect(report.summary.fail).toBe(0);
    expect(report.clauses.filter((c) => c.status === 'skipped').map((c) => c.id).sort()).toEqual([...skipped].sort());
  });

  it('turns exactly the broken clause red, with the replay line, and exits non-zero', { timeout: 240_000 }, () => {
    const { status, output, report } = runWith(runner, 'broken');
    expect(status, output).not.toBe(0);
    expect(output).toMatch(new RegExp(`${looks.fail}${escape(title('pop'))}`));
    for (const id of ['round-trip', 'absent'] as const) expect(output).toMatch(new RegExp(`${looks.pass}${escape(title(id))}`));
    for (const total of looks.totals({ passed: 2, failed: 1, skipped: 0 })) expect(output).toMatch(total);
    expect(output).toContain(`${BROKEN} violates [pop] (MUST)`);
    expect(output).toMatch(/Replay: runConformance\(target, \{ only: \['pop'\], seed: -?\d+/);
    expect(Object.fromEntries(report.clauses.map((c) => [c.id, c.status]))).toEqual({ 'round-trip': 'pass', absent: 'pass', pop: 'fail' });
  });
});

describe('a consumer without vitest', () => {
  it('imports the root entry: the adapters and checkConformance work, runConformance names what to do', { timeout: 60_000 }, () => {
    expect(readdirSync(modules)).not.toContain('vitest');
    const [statuses, message] = execFileSync(process.execPath, ['root.mjs'], { cwd: project, encoding: 'utf8', env: cleanEnv() }).trim().split('\n');
    expect(JSON.parse(statuses!)).toEqual([['round-trip', 'pass'], ['absent', 'pass'], ['pop', 'pass']]);
    expect(message).toContain('runConformance from the package root registers vitest tests, and this file is not running under vitest');
    expect(message).toContain('npm install --save-dev vitest');
    for (const entry of ['session-store-conformance/node-test', 'session-store-conformance/mocha', 'session-store-conformance/jest', "checkConformance from 'session-store-conformance/core'"]) expect(message).toContain(entry);
  });
});

// What CI parses the JUnit file with: a strict XML parser, from the consumer project.
type XmlNode = { $?: Record<string, string>; _?: string; [child: string]: unknown };
async function parseXml(xml: string): Promise<{ testsuites: XmlNode & { testsuite: (XmlNode & { testcase: XmlNode[] })[] } }> {
  const { parseStringPromise } = createRequire(join(project, 'package.json'))('xml2js') as { parseStringPromise(xml: string, options: object): Promise<never> };
  return parseStringPromise(xml, { strict: true });
}

/** Characters XML 1.0 forbids: none may reach the file. */
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const replaced = (text: string) => text.replace(new RegExp(FORBIDDEN.source, 'gu'), '\uFFFD');

const property = (node: XmlNode, name: string) => ((node.properties as XmlNode[])[0]!.property as XmlNode[]).find((p) => p.$!.name === name)?.$!.value;

describe('JUnit XML', () => {
  it('has one testcase per clause: a fail is a <failure>, a skip <skipped>, a warn and an INFO finding pass with <system-out>', { timeout: 60_000 }, async () => {
    // Breaks only atomic-pop, a SHOULD: a warning, which strict mode turns into a failure.
    const target = defects.find((d) => d.name === 'pop is a get, then a delete')!.target;
    const only: ClauseId[] = ['round-trip', 'pop', 'cross-instance', 'atomic-pop', 'lost-update'];
    for (const strict of [false, true]) {
      const report = await checkConformance(target, { numRuns: 10, only, strict, report: false });
      const { testsuites } = await parseXml(renderJUnit(report));
      const suite = testsuites.testsuite[0]!;
      expect(testsuites.$).toMatchObject({ tests: '5', failures: strict ? '1' : '0', errors: '0', skipped: '1' });
      expect(suite.$).toMatchObject({ name: `session store conformance: ${target.name}`, tests: '5', failures: strict ? '1' : '0', skipped: '1' });
      expect(property(suite, 'seed')).toBe(String(report.seed));
      const cases = Object.fromEntries(suite.testcase.map((c) => [c.$!.name, c]));
      expect(Object.keys(cases)).toEqual(report.clauses.map((c) => title(c.id)));
      const atomicPop = cases[title('atomic-pop')]!;
      expect(property(atomicPop, 'status')).toBe(strict ? 'fail' : 'warn');
      if (strict) {
        expect((atomicPop.failure as XmlNode[])[0]!._).toContain('violates [atomic-pop] (SHOULD)');
        expect(atomicPop['system-out']).toBeUndefined();
      } else {
        expect((atomicPop['system-out'] as string[])[0]).toContain('falls short of [atomic-pop] (SHOULD)');
        expect(atomicPop.failure).toBeUndefined();
      }
      expect((cases[title('cross-instance')]!.skipped as XmlNode[])[0]!.$!.message).toBe('the target does not declare sharedBackend');
      expect((cases[title('lost-update')]!['system-out'] as string[])[0]).toMatch(/^\[lost-update\] \{"lostUpdateRate":/);
      for (const id of ['round-trip', 'pop'] as const) expect(Object.keys(cases[title(id)]!).sort()).toEqual(['$', 'properties']);
    }
  });

  it("escapes a store's name and error text, and replaces characters XML 1.0 forbids", { timeout: 60_000 }, async () => {
    const name = `evil <&> "q" 'a' \u0000\u001b\uD800 ]]> store`;
    const message = `disk <full> & "quoted" 'x' \u0000\u0007\uFFFE\uDC00 ]]>\r\nsecond line </failure>`;
    class FailingStore extends MemoryStore {
      override async set(): Promise<void> {
        throw new Error(message);
      }
    }
    const report = await checkConformance({ name, clock: 'injected', open: ({ clock }) => new FailingStore({ clock }) }, { numRuns: 5, only: ['round-trip'], report: false });
    const xml = renderJUnit(report);
    expect(xml).not.toMatch(FORBIDDEN);
    const suite = (await parseXml(xml)).testsuites.testsuite[0]!;
    expect(suite.$!.name).toBe(replaced(`session store conformance: ${name}`));
    expect(property(suite, 'store')).toBe(replaced(name));
    const [failure] = suite.testcase[0]!.failure as XmlNode[];
    const error = report.clauses[0]!.error!;
    expect(error).toContain(message.split('\n')[0]);
    expect(failure!.$!.message).toBe(replaced(error.split('\n')[0]!));
    for (const line of error.split('\n')) expect(failure!._).toContain(replaced(line));
    expect(failure!._).toContain(replaced(`${name} violates [round-trip] (MUST)`));
  });

  it('the CLI writes it with --junit and appends the verdict table to $GITHUB_STEP_SUMMARY', { timeout: 120_000 }, async () => {
    const summary = join(project, 'step-summary.md');
    writeFileSync(summary, '# an earlier step\n');
    const cli = join(modules, 'session-store-conformance', 'dist', 'cli', 'conformance.js');
    const run = spawnSync(process.execPath, [cli, 'check', './broken-store.mjs', '--runs', '10', '--only', BROKEN_ONLY.join(','), '--junit', 'ci/junit.xml'], {
      cwd: project,
      encoding: 'utf8',
      env: cleanEnv({ GITHUB_STEP_SUMMARY: summary }),
    });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain('JUnit XML: ci/junit.xml');
    const { testsuites } = await parseXml(readFileSync(join(project, 'ci', 'junit.xml'), 'utf8'));
    expect(testsuites.$).toMatchObject({ tests: '3', failures: '1', skipped: '0' });
    const failed = testsuites.testsuite[0]!.testcase.filter((c) => c.failure);
    expect(failed.map((c) => c.$!.name)).toEqual([title('pop')]);
    expect((failed[0]!.failure as XmlNode[])[0]!._).toMatch(/Replay: runConformance\(target, \{ only: \['pop'\], seed: -?\d+/);

    const markdown = readFileSync(summary, 'utf8');
    expect(markdown.startsWith('# an earlier step\n# Session store conformance: keeps popped sessions\n')).toBe(true);
    expect(markdown).toMatch(/\| `pop` .* \| MUST \| ❌ fail \|/);
  });
});
