/**
 * The hand-written repros of matrix/repros/: each is at most 20 lines on a published store's own
 * API (no suite), run as a script from matrix/ on the run's backends (REDIS_URL, MEMCACHED_URL,
 * POSTGRES_URL, MYSQL_URL, TMPDIR). Its first line names what it backs:
 * `// <matrix column> × <clause>[, <clause>…]: <the defect in a sentence>` (one defect can fail
 * several clauses). It exits 0 when the defect showed,
 * RACE_NOT_SEEN when it depends on a race that did not happen this time (accepted), and anything
 * else when the store behaved: a repro that stops reproducing fails the run.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backends } from './published/index.js';
import { MATRIX_DIR } from './published/packages.js';

export const REPROS_DIR = join(MATRIX_DIR, 'repros');
/** The exit status of a repro whose race did not happen this time. */
export const RACE_NOT_SEEN = 3;

export interface ReproResult {
  file: string;
  column: string;
  clauses: string[];
  defect: string;
  outcome: 'reproduced' | 'race not seen this time' | 'not reproduced';
  output: string;
}

/** What a repro's first line says it backs. */
export function reproHeader(source: string): { column: string; clauses: string[]; defect: string } {
  const match = /^\/\/ (.+?) × ([\w-]+(?:, [\w-]+)*): (.+)$/.exec(source.split('\n')[0] ?? '');
  if (!match) throw new Error(`a repro starts with "// <column> × <clause>[, <clause>…]: <defect>", not ${JSON.stringify(source.split('\n')[0])}`);
  return { column: match[1]!, clauses: match[2]!.split(', '), defect: match[3]! };
}

export function replayRepro(file: string, backends: Backends, dir = REPROS_DIR, timeoutMs = 60_000): Promise<ReproResult> {
  const header = reproHeader(readFileSync(join(dir, file), 'utf8'));
  const child = spawn(process.execPath, [join(dir, file)], {
    cwd: MATRIX_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    env: { ...process.env, REDIS_URL: backends.redis, MEMCACHED_URL: backends.memcached, POSTGRES_URL: backends.postgres, MYSQL_URL: backends.mysql, TMPDIR: backends.dir },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) =>
    child.on('close', (code) =>
      resolve({ file, ...header, output: output.trim(), outcome: code === 0 ? 'reproduced' : code === RACE_NOT_SEEN ? 'race not seen this time' : 'not reproduced' }),
    ),
  );
}

/** Every repro, one after another (each is short, and some are races that load would hide). */
export async function replayRepros(backends: Backends, dir = REPROS_DIR): Promise<ReproResult[]> {
  const results: ReproResult[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort()) {
    const result = await replayRepro(file, backends, dir);
    process.stderr.write(`repro ${file}: ${result.outcome}\n`);
    results.push(result);
  }
  return results;
}
