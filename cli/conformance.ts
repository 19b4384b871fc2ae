#!/usr/bin/env node
/**
 * session-store-conformance: the suite from the command line, with no test runner. Loads a
 * module whose default export is a store or target, runs every clause with a progress line per
 * clause, prints the table, writes the reports, closes what the module exported, and exits 1 on
 * a failing verdict, 2 on misuse or when there is no verdict to give; always, even when the store
 * left handles open.
 */
import { parseArgs } from 'node:util';
import { fromExpressStore, fromKoaStore } from '../adapters/index.js';
import { CLAUSE_IDS, type ClauseId } from '../suite/contract.js';
import { ConformanceRun } from '../suite/run.js';
import type { ClauseResult, ClauseStatus, ConformanceReport } from '../suite/result.js';
import { catchStrayErrors, closeExport, endRun, GRACE_MS } from '../suite/shutdown.js';
import type { ConformanceOptions } from '../suite/options.js';
import { STORE_URL_FORMS } from '../stores/connect.js';
import { writeCiArtifacts } from './ci-artifacts.js';
import { EXPECTED_EXPORT, loadTarget } from '../command/load-target.js';
import { UsageError } from '../command/usage-error.js';
import { createProgress } from '../command/progress.js';
import { renderTable } from './table.js';
import { messageOf } from '../suite/describe-value.js';

const HELP = `Usage: session-store-conformance check <module | store URL> [options]

Runs the session-store conformance suite on the default export of <module> (ESM or CommonJS;
TypeScript through Node's type stripping, or tsx when your project has it). The export may be:
  a SessionStore (get, set, pop), a target { name, open(ctx) }, an express-session store, or a
  koa-session store (detected by shape; --express / --koa force the adapter).
A store URL opens a reference store instead (connectStore), in one of these forms:
${STORE_URL_FORMS.map((form) => `  ${form}`).join('\n')}

Options:
  --only <ids>     run only these clauses (comma-separated)
  --skip <ids>     leave these clauses out (comma-separated)
  --seed <n>       fast-check seed (default: SESSION_CONFORMANCE_SEED, else random; printed)
  --runs <n>       runs per property (default 50)
  --report <dir>   write conformance-<store>.json, .md and .html there (default: SESSION_CONFORMANCE_REPORT_DIR)
  --strict         SHOULD failures and inconclusive checks fail the run too
  --json           print the report as JSON on stdout (progress goes to stderr)
  --junit <file>   write JUnit XML there, one testcase per clause, for CI test reports
  --express        treat the export as an express-session / connect store
  --koa            treat the export as a koa-session external store
  -h, --help       this text
  -v, --version    the package version

When $GITHUB_STEP_SUMMARY names a file (GitHub Actions), the verdict table is appended to it.

Exit status: 0 when the verdict passes, 1 when it fails, 2 when there is no verdict: a usage
error, a module that cannot be loaded (it throws, or a package it imports is missing), or a
store that cannot be opened (its server does not answer).

The run removes the sessions it wrote, whatever the verdict. Store code that throws outside the
call the suite awaited (from a driver callback or a timer, or an unhandled rejection) fails the
clause that was running, with the error and the call in flight. After the reports, the command
calls close() on what the module exported (the target's, else the store's) and exits. If the
store left sockets, timers or servers open, it says which, one line on stderr, and exits anyway
within ${GRACE_MS / 1000} s.

Clause ids: ${CLAUSE_IDS.join(', ')}

${EXPECTED_EXPORT}`;

function clauseList(value: string | undefined, flag: string): ClauseId[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of ids) if (!(CLAUSE_IDS as readonly string[]).includes(id)) throw new UsageError(`${flag}: unknown clause "${id}"; clause ids: ${CLAUSE_IDS.join(', ')}`);
  return ids as ClauseId[];
}

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || Number(value) < min) throw new UsageError(`${flag} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, got "${value}"`);
  return Number(value);
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      only: { type: 'string' }, skip: { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' }, report: { type: 'string' }, junit: { type: 'string' },
      strict: { type: 'boolean' }, json: { type: 'boolean' }, express: { type: 'boolean' }, koa: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' },
    },
  });
  return { values, positionals };
}

/** What the user's module exported: closed before the command exits, whatever happened. */
let exported: unknown;

/** The store could not be opened at all: a setup to fix, not a verdict on the store. */
class SetupError extends Error {}

const MARK: Record<ClauseStatus, string> = { pass: '✓', fail: '✗', warn: '!', inconclusive: '?', info: 'i', skipped: '-' };

/** A clause as it finishes: the progress display shows it on stderr, so --json output stays clean. */
function progressLabel(result: ClauseResult): string {
  const detail = result.status === 'fail' || result.status === 'warn' ? `: ${(result.error ?? '').split('\n')[0]}` : result.status === 'skipped' ? ` (${result.reason})` : '';
  return `${MARK[result.status]} ${result.id} ${result.durationMs} ms${detail}`;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.version) {
    const { packageVersions } = await import('../suite/versions.js');
    console.log(packageVersions()['session-store-conformance']);
    return 0;
  }
  const [command, spec, ...extra] = positionals;
  if (command !== 'check') throw new UsageError(command === undefined ? 'missing command: check <module>' : `unknown command "${command}"; the command is: check <module>`);
  if (spec === undefined) throw new UsageError('check needs a module: session-store-conformance check ./my-store.js');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (values.express && values.koa) throw new UsageError('--express and --koa exclude each other');
  if (values.junit === '') throw new UsageError('--junit needs a file path');

  const options: ConformanceOptions = {
    ...(values.only !== undefined && { only: clauseList(values.only, '--only') }),
    ...(values.skip !== undefined && { skip: clauseList(values.skip, '--skip') }),
    ...(values.seed !== undefined && { seed: integer(values.seed, '--seed', -(2 ** 31)) }),
    ...(values.runs !== undefined && { numRuns: integer(values.runs, '--runs', 1) }),
    ...(values.report !== undefined && { report: values.report }),
    ...(values.strict && { strict: true }),
    onClauseDone: (result) => progress.tick(progressLabel(result)),
  };
  const progress = createProgress();
  const force = values.express ? 'express' : values.koa ? 'koa' : undefined;
  const { target, kind } = await loadTarget(spec, { express: (s) => fromExpressStore(s as never), koa: (s) => fromKoaStore(s as never) }, force, (value) => (exported = value));
  process.stderr.write(`session-store-conformance: checking ${spec} (${kind})\n`);
  const run = new ConformanceRun(target, options);
  await run.capabilities().catch((error: unknown) => {
    throw new SetupError((error as Error).message);
  });
  progress.start(run.clauses.length);
  const report: ConformanceReport = await run.runAll();
  progress.done();
  for (const line of await writeCiArtifacts(report, values.junit)) process.stderr.write(`session-store-conformance: ${line}\n`);
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else console.log(renderTable(report));
  return report.ok ? 0 : 1;
}

catchStrayErrors('session-store-conformance');
main(process.argv.slice(2))
  .catch((error: unknown) => {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') || (error instanceof TypeError && error.message.startsWith('session-store-conformance:'));
    console.error(`session-store-conformance: ${messageOf(error).replace(/^session-store-conformance: /, '')}`);
    if (usage) console.error('Run with --help for usage.');
    else if (!(error instanceof SetupError)) console.error('No verdict: the run could not start.');
    return 2;
  })
  .then((code) => endRun({ command: 'session-store-conformance', code, close: async () => [await closeExport(exported)].map((problem) => problem && `the module's default export: ${problem}`) }));
