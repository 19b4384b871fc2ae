/**
 * The whole tree type-checks (`npm run typecheck`: the sources, the tests, the configs). npm test
 * ran it before vitest, ~20 s of one core while the other idled; as a test file it runs beside the
 * others, and a type error still fails npm test, with tsc's diagnostics as the failure.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

it('tsc finds no type error', { timeout: 240_000 }, async () => {
  const { code, output } = await new Promise<{ code: number | string | null | undefined; output: string }>((done) =>
    execFile('npm', ['run', '--silent', 'typecheck'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => done({ code: error ? error.code : 0, output: `${stdout}${stderr}` })),
  );
  expect(output).toBe('');
  expect(code).toBe(0);
});
