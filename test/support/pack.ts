import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * The package as `npm pack` publishes it, into `dest`; returns the tarball's path. It is packed
 * from a staged copy that tsc builds itself: `npm pack` of the checkout runs prepack, which
 * deletes and rebuilds dist/ under any other test file packing or reading it at the same time.
 */
export function packTarball(dest: string): string {
  const stage = join(dest, 'stage');
  mkdirSync(stage, { recursive: true });
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], { cwd: root, stdio: 'pipe' });
  const { files } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
  for (const entry of ['package.json', ...files.filter((f) => !f.startsWith('dist/'))]) cpSync(join(root, entry), join(stage, entry), { recursive: true });
  // What prepack would do is done: the scripts stay out of it.
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dest], { cwd: stage, stdio: 'pipe' });
  return join(dest, readdirSync(dest).find((f) => f.endsWith('.tgz'))!);
}
