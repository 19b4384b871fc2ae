#!/usr/bin/env node
// The soak: the reference stores' conformance over and over, each run on a fresh random seed,
// against real servers, optionally beside busy processes that compete for the CPU. A correct
// store must pass every run; each failing seed is printed with the lines that replay it.
// Not part of npm test: 50 runs take about a quarter of an hour.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const HELP = `npm run soak -- [options]

Runs the reference stores' conformance files repeatedly, each run on a fresh random seed and on
servers of its own: Redis, a Redis Cluster and Memcached are required and started for each run
from the binaries on PATH (REDIS_URL and the like are ignored, so nothing else writes to them).
Prints every failing seed with the command that replays it; exits 1 if any run failed.

Options:
  --runs N        how many runs (default 10)
  --cpu-load N    keep N extra processes spinning on the CPU during the runs (default 0)
  --seed N        take seeds N, N+1, … instead of random ones (to replay a soak)
  --files LIST    comma-separated test files (default: test/stores/*.test.ts and
                  test/concurrency-repeat.test.ts)
  -h, --help      this text`;

const root = resolve(import.meta.dirname, '..');
const DEFAULT_FILES = ['test/stores/', 'test/concurrency-repeat.test.ts'];

function fail(message) {
  console.error(`soak: ${message}\n\n${HELP}`);
  process.exit(2);
}

function count(value, name, fallback) {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`${name} must be a whole number, got "${value}"`);
  return Number(value);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: 'string' },
      'cpu-load': { type: 'string' },
      seed: { type: 'string' },
      files: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const runs = count(values.runs, '--runs', 10);
if (runs < 1) fail('--runs must be at least 1');
const cpuLoad = count(values['cpu-load'], '--cpu-load', 0);
const firstSeed = values.seed === undefined ? undefined : count(values.seed, '--seed', 0);
const files = values.files ? values.files.split(',').filter(Boolean) : DEFAULT_FILES;

const out = join(root, '.tmp', 'soak');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Busy processes, bounded by the soak itself: killed when it ends, however it ends.
const hogs = Array.from({ length: cpuLoad }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stopHogs = () => hogs.forEach((hog) => hog.kill('SIGKILL'));
process.on('exit', stopHogs);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

function vitest(seed, outputFile) {
  // Servers of its own each run (the test setup starts them from the binaries on PATH): a check
  // such as "the run left no items on the Memcached server" holds only where nothing else writes.
  const { REDIS_URL, REDIS_CLUSTER_URL, MEMCACHED_URL, ...inherited } = process.env;
  const env = { ...inherited, NO_COLOR: '1', SESSION_CONFORMANCE_SEED: String(seed), SESSION_CONFORMANCE_REQUIRE: 'redis,redis-cluster,memcached' };
  const args = ['vitest', 'run', ...files, '--reporter=dot', '--reporter=json', `--outputFile.json=${outputFile}`];
  return new Promise((done) => {
    // vitest prints unhandled errors (which fail a run whose tests all passed) on its own streams.
    const child = spawn('npx', args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => done({ code, output }));
  });
}

/** The end of what a run printed, indented: where vitest reports errors outside any test. */
function tail(output, lines = 30) {
  return output.trim().split('\n').slice(-lines).map((line) => `      ${line}`).join('\n');
}

/** The first lines of a failure message: the violation, the seed and the replay options. */
function summary(message) {
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  const replay = lines.find((line) => line.startsWith('Replay:'));
  return [...lines.slice(0, 3), ...(replay && !lines.slice(0, 3).includes(replay) ? [replay] : [])].map((line) => `      ${line}`).join('\n');
}

const failedSeeds = [];
const started = performance.now();
console.log(`soak: ${runs} runs of ${files.join(' ')}${cpuLoad ? ` beside ${cpuLoad} busy process(es)` : ''}`);
for (let run = 1; run <= runs; run++) {
  const seed = firstSeed === undefined ? randomInt(1, 2 ** 31 - 1) : firstSeed + run - 1;
  const outputFile = join(out, `run-${run}.json`);
  const runStarted = performance.now();
  const { code, output } = await vitest(seed, outputFile);
  const seconds = ((performance.now() - runStarted) / 1000).toFixed(1);
  let results;
  try {
    results = JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    console.log(`run ${run}/${runs} seed ${seed}: vitest wrote no results (exit ${code}, ${seconds} s)\n${tail(output)}`);
    failedSeeds.push(seed);
    continue;
  }
  const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped } = results;
  console.log(`run ${run}/${runs} seed ${seed}: ${passed} passed, ${failed} failed, ${skipped} skipped (${seconds} s)`);
  if (failed === 0 && code === 0) continue;
  failedSeeds.push(seed);
  if (failed === 0) console.log(`    every test passed, yet vitest exited ${code}: what it printed last\n${tail(output)}`);
  for (const file of results.testResults) {
    for (const test of file.assertionResults.filter((t) => t.status === 'failed')) {
      const relative = file.name.slice(root.length + 1);
      console.log(`    ✗ ${relative} > ${test.fullName}`);
      console.log(summary(test.failureMessages.join('\n')));
      console.log(`      rerun: SESSION_CONFORMANCE_SEED=${seed} npx vitest run ${relative} -t ${JSON.stringify(test.title)}`);
    }
  }
}

const minutes = ((performance.now() - started) / 60_000).toFixed(1);
console.log(`\nsoak: ${runs - failedSeeds.length} of ${runs} runs clean in ${minutes} min${failedSeeds.length ? `; failing seeds: ${failedSeeds.join(', ')}` : ''}`);
process.exit(failedSeeds.length ? 1 : 0);
