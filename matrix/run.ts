/**
 * npm run matrix: the suite over the reference stores and the published stores of
 * matrix/published/, each on a backend this run starts (servers/ provisioning), in two shards side
 * by side; then the hand-written repros of matrix/repros/ replayed. Writes docs/matrix.md,
 * docs/matrix.html, matrix/verdicts.json and the repro section of docs/ecosystem.md.
 *
 *   npm run matrix -- --check            fails (exit 1, naming the cells) when a verdict differs
 *                                        from matrix/verdicts.json, which it then leaves alone
 *   npm run matrix -- --bench report.json  a full bench run's numbers beside the verdicts
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { provision, type ProvisionedServer } from '../servers/index.js';
import type { BenchReport } from '../bench/types.js';
import { formatClauseResult } from '../suite/format.js';
import { renderBenchSnapshot } from './bench-snapshot.js';
import { renderMatrixHtml } from './html.js';
import type { Backends } from './published/index.js';
import { MATRIX_DIR } from './published/packages.js';
import { renderMatrix, type MatrixColumn } from './render.js';
import { withReproSection } from './repros-doc.js';
import { replayRepros } from './repros.js';
import { MATRIX_STORES } from './stores.js';
import { compareVerdicts, describeCell, unstableCells, verdictsToCommit, type Cell, type Verdicts } from './verdicts.js';

const root = resolve(MATRIX_DIR, '..');
const USAGE = `usage: npm run matrix [-- --check] [-- --bench report.json]
  (no flag)            run every store, write docs/matrix.md, docs/matrix.html, matrix/verdicts.json
  --check              compare with matrix/verdicts.json instead: exit 1 naming each changed cell
  --bench report.json  put a full bench run's numbers beside the verdicts in docs/matrix.md`;
let flags: { check?: boolean; bench?: string; help?: boolean };
try {
  flags = parseArgs({ options: { check: { type: 'boolean' }, bench: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const check = flags.check === true;
const bench = flags.bench ? (JSON.parse(readFileSync(resolve(flags.bench), 'utf8')) as BenchReport) : undefined;
const verdictsFile = join(MATRIX_DIR, 'verdicts.json');

/** Runs one shard in its own process (of every store, or of `only` these columns) and reads back its columns. */
function runShard(k: number, n: number, backends: Backends, only?: string[]): Promise<MatrixColumn[]> {
  const out = join(backends.dir, `shard-${k}.json`);
  const child = spawn(process.execPath, [join(import.meta.dirname, 'shard.js'), String(k), String(n), out], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, MATRIX_BACKENDS: JSON.stringify(backends), ...(only && { MATRIX_COLUMNS: JSON.stringify(only) }) },
  });
  return new Promise((resolveShard, reject) =>
    child.on('exit', (code, signal) => (code === 0 ? resolveShard(JSON.parse(readFileSync(out, 'utf8')) as MatrixColumn[]) : reject(new Error(`matrix shard ${k} ended with ${signal ?? `exit ${code}`}`)))),
  );
}

const verdictsOf = (columns: MatrixColumn[]): Verdicts =>
  Object.fromEntries(columns.map((c) => [c.column, Object.fromEntries(c.report.clauses.map((r) => [r.id, r.status]))]));

const servers: ProvisionedServer[] = [];
const dir = mkdtempSync(join(tmpdir(), 'scc-matrix-'));
let status = 0;
try {
  const started = performance.now();
  const [redis, memcached, postgres, mysql] = await Promise.all((['redis', 'memcached', 'postgres', 'mysql'] as const).map(async (backend) => {
    const server = await provision(backend, { containers: false });
    servers.push(server);
    return server.url;
  }));
  const backends: Backends = { redis: redis!, memcached: memcached!, postgres: postgres!, mysql: mysql!, dir };
  const shards = Math.max(1, Math.min(2, availableParallelism()));
  process.stderr.write(`${MATRIX_STORES.length} stores in ${shards} shards (seed in matrix/shard.ts)\n`);
  const byColumn = new Map((await Promise.all(Array.from({ length: shards }, (_, k) => runShard(k, shards, backends)))).flat().map((c) => [c.column, c]));
  const columns = MATRIX_STORES.map((s) => byColumn.get(s.column)!);
  const repros = await replayRepros(backends);
  process.stderr.write(`matrix done in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  const verdicts = verdictsOf(columns);
  const committed = existsSync(verdictsFile) ? (JSON.parse(readFileSync(verdictsFile, 'utf8')) as Verdicts) : {};
  const shown = (column: string, clause: string) => repros.some((r) => r.column === column && r.clauses.includes(clause) && r.outcome !== 'not reproduced');
  if (check) {
    const { changed: changedOnce, unjudged } = compareVerdicts(committed, verdicts, shown);
    for (const cell of unjudged) console.log(`not judged this run (machine too busy, or a race its repro still shows), not counted as a change: ${describeCell(cell)}`);
    // A changed cell is judged once more, on its store alone, before it fails the check.
    const unstable = changedOnce.length === 0 ? [] : unstableCells(changedOnce, verdictsOf(await runShard(0, 1, backends, [...new Set(changedOnce.map((c) => c.column))])));
    const changed = changedOnce.filter((cell) => !unstable.includes(cell));
    // Each cell's own story, so that it can be judged from the log alone.
    const story = (cell: Cell) => {
      const result = columns.find((c) => c.column === cell.column)?.report.clauses.find((r) => r.id === cell.clause);
      return result && result.status !== 'pass' ? `\n${formatClauseResult(cell.column, result)}\n` : '';
    };
    for (const cell of unstable) console.log(`unstable, not counted as a change: ${describeCell(cell)}, then as committed on a second run of the store alone${story(cell)}`);
    if (changed.length > 0) {
      console.log(`${changed.length} verdicts changed from matrix/verdicts.json:\n${changed.map((c) => `  ${describeCell(c)}`).join('\n')}\n${changed.map(story).join('')}`);
      status = 1;
    } else console.log(`every verdict as in matrix/verdicts.json (${columns.length} stores)`);
  } else {
    writeFileSync(verdictsFile, `${JSON.stringify(verdictsToCommit(committed, verdicts, shown), null, 2)}\n`);
    const date = new Date();
    writeFileSync(join(root, 'docs', 'matrix.md'), renderMatrix(columns, repros, date) + (bench ? renderBenchSnapshot(bench) : ''));
    writeFileSync(join(root, 'docs', 'matrix.html'), renderMatrixHtml(columns, date));
    const ecosystem = join(root, 'docs', 'ecosystem.md');
    writeFileSync(ecosystem, withReproSection(readFileSync(ecosystem, 'utf8'), repros));
    console.log('wrote docs/matrix.md, docs/matrix.html, matrix/verdicts.json and the repros of docs/ecosystem.md');
  }
  const unbacked = repros.filter((r) => r.outcome === 'not reproduced');
  for (const r of unbacked) console.log(`repro ${r.file} did not reproduce its defect: ${r.output.split('\n').at(-1)}`);
  if (unbacked.length > 0) status = 1;
} finally {
  await Promise.allSettled(servers.map((s) => s.stop()));
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
