/** What a store author sees in vitest's own output: a warning passes, visibly; strict fails it. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function runFixture(env: Record<string, string>, config = 'test/fixtures/vitest.config.ts'): { status: number | null; output: string } {
  // A clean environment: the outer vitest's own variables would steer the inner run.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'FORCE_COLOR' && !k.startsWith('SESSION_CONFORMANCE')));
  const vitest = join(root, 'node_modules', '.bin', 'vitest');
  const run = spawnSync(vitest, ['run', '--config', config, '--reporter', 'verbose'], { cwd: root, encoding: 'utf8', env: { ...clean, NO_COLOR: '1', ...env } });
  return { status: run.status, output: run.stdout + run.stderr };
}

it('a SHOULD failure passes the test with an annotation; an INFO finding is a notice', { timeout: 60_000 }, () => {
  const { status, output } = runFixture({});
  expect(status, output).toBe(0);
  expect(output).toMatch(/✓ .*\[atomic-pop\]/);
  expect(output).toContain('warning');
  expect(output).toContain('falls short of [atomic-pop] (SHOULD)');
  expect(output).toContain('with strict: true (or SESSION_CONFORMANCE_STRICT=1) it would');
  expect(output).toMatch(/notice\s+\S+ \[lost-update\] \{"lostUpdateRate":/);
});

it('under SESSION_CONFORMANCE_STRICT=1 the same SHOULD failure fails the test', { timeout: 60_000 }, () => {
  const { status, output } = runFixture({ SESSION_CONFORMANCE_STRICT: '1' });
  expect(status, output).toBe(1);
  expect(output).toContain('violates [atomic-pop] (SHOULD)');
});

it('store code that throws from its own callback fails the clause it belongs to, which names the error and the call; the other clauses pass', { timeout: 60_000 }, () => {
  const { status, output } = runFixture({}, 'test/fixtures/ends/vitest.config.ts');
  expect(status, output).toBe(1);
  expect(output).toMatch(/✓ .*\[round-trip\]/);
  expect(output).toMatch(/× .*\[atomic-pop\]/);
  expect(output).toMatch(/store code threw an Error: SQLITE_BUSY: database is locked, in a callback, timer or promise of store\.set\("scc-[0-9a-f]+-\d+-logout"/);
  // Vitest leaves an error that a listener handled to that listener: the clause's failure is its one report.
  expect(output).toContain('Tests  1 failed | 1 passed (2)');
});
