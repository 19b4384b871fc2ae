import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';

const script = resolve(import.meta.dirname, '..', '..', 'scripts', 'node-line.sh');

/**
 * The directory holding the `node` of a Node line from the npm registry, fetched once into this
 * checkout's .tmp/node-lines/ by scripts/node-line.sh: a real Node the project does not support
 * (20, say), to run things on as a user of one would.
 */
export function nodeLineBin(major: number): string {
  const execPath = execFileSync('bash', [script, String(major), 'node', '-p', 'process.execPath'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return dirname(execPath.trim());
}
