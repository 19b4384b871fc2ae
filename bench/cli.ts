#!/usr/bin/env node
/**
 * `npm run bench` (and the session-store-bench bin) — benchmark the reference stores on session-shaped workloads.
 * `npm run bench -- compare base.json head.json` — diff two reports; exits 1 on a regression.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError } from '../command/usage-error.js';
import { HELP, parseBenchArgs, positiveNumber } from './args.js';
import { compareReports, DEFAULT_COMPARE, renderComparison } from './compare.js';
import { runBench } from './index.js';
import { BENCH_SCHEMA_VERSION } from './report.js';
import type { BenchReport } from './types.js';
import { endRun } from '../suite/shutdown.js';
import { validateBenchReport } from './schema.js';
import { messageOf } from '../suite/describe-value.js';

function readReport(path: string): BenchReport {
  let report: BenchReport;
  try {
    report = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const version = (report as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== BENCH_SCHEMA_VERSION) throw new UsageError(`${path} has schemaVersion ${JSON.stringify(version)}; this version of the tool reads schemaVersion ${BENCH_SCHEMA_VERSION}`);
  const problems = validateBenchReport(report);
  if (problems.length) throw new UsageError(`${path} is not a benchmark report (schema version ${BENCH_SCHEMA_VERSION}): ${problems.slice(0, 3).join('; ')}`);
  return report;
}

async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'throughput-threshold': { type: 'string' }, 'p99-threshold': { type: 'string' }, alpha: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('compare needs two reports: compare <base.json> <head.json>');
  const options = {
    throughputThreshold: positiveNumber(values['throughput-threshold'], '--throughput-threshold', DEFAULT_COMPARE.throughputThreshold, false),
    p99Threshold: positiveNumber(values['p99-threshold'], '--p99-threshold', DEFAULT_COMPARE.p99Threshold, false),
    alpha: positiveNumber(values.alpha, '--alpha', DEFAULT_COMPARE.alpha, false),
  };
  const rows = compareReports(readReport(positionals[0]!), readReport(positionals[1]!), options);
  process.stdout.write(renderComparison(rows, options));
  return rows.some((r) => r.verdict === 'regression') ? 1 : 0;
}

async function benchCommand(argv: string[]): Promise<number> {
  const { config, out, urls, help } = parseBenchArgs(argv);
  if (help) {
    process.stdout.write(HELP);
    return 0;
  }
  const report = await runBench({ ...config, urls, out });
  process.stderr.write(`wrote the report to ${out}/: bench.md, bench.json\n`);
  const failures = new Map(report.results.filter((c) => c.failed).map((c) => [c.target, c.failed!]));
  for (const [target, why] of failures) process.stderr.write(`warning: ${target} ${why}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  try {
    return argv[0] === 'compare' ? await compareCommand(argv.slice(1)) : await benchCommand(argv);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`bench: ${(error as Error).message}\nRun with --help for the options.\n`);
      return 2;
    }
    // A store that cannot be opened at all, say: its message names what and where, a stack adds nothing.
    process.stderr.write(`bench: ${messageOf(error)}\n`);
    return 1;
  }
}

// Whatever a --store module left open (runBench closed what it exported), the command ends.
main(process.argv.slice(2)).then((code) => endRun({ command: 'bench', code }));
