#!/usr/bin/env node
/**
 * The verdict baseline of issue 19: every broken and reference store, clause by clause with the
 * anomaly names, on seeds 11, 22 and 33 (test/support/verdict-baseline.ts says which stores).
 *
 *   node scripts/verdict-baseline.mjs record    writes test/verdict-baseline.json
 *   node scripts/verdict-baseline.mjs compare   records again and prints how it differs from it
 *   node scripts/verdict-baseline.mjs compare redis   only the stores whose name holds "redis"
 *
 * Run it on a supported Node (scripts/node-line.sh 24 node scripts/verdict-baseline.mjs compare):
 * it runs the TypeScript sources directly, in plain Node processes (no vitest), one per shard,
 * about 6 minutes on two cores. Outside `npm test`. `compare` exits 1 on a difference.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runTypeScriptSources } from './ts-sources.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const baselineFile = join(root, 'test/verdict-baseline.json');
const SHARDS = 3;

/**
 * Anomaly names the redesign changed, old → new, so that a renamed anomaly compares equal. The
 * faults checker had names of its own; it now names what it finds in the one vocabulary.
 */
const RENAMED = {
  'acknowledged write lost': 'lost write',
  'acknowledged write rolled back': 'stale read',
  'stale read after heal': 'stale read',
  resurrected: 'resurrection after pop',
};

async function runShard(shard) {
  if (!runTypeScriptSources()) throw new Error(`Node ${process.version} cannot run the TypeScript sources: use a supported Node (scripts/node-line.sh 24 …)`);
  const { recordShard } = await import(pathToFileURL(join(root, 'test/support/verdict-baseline.ts')).href);
  const baseline = await recordShard(shard === 'servers' ? 'servers' : Number(shard), SHARDS, (line) => process.stderr.write(`[${shard}] ${line}\n`), process.env.VERDICT_BASELINE_ONLY);
  process.stdout.write(JSON.stringify(baseline));
  // Pools and servers a store left open must not keep the shard alive.
  process.exit(0);
}

function shardProcess(shard) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--experimental-transform-types', '--no-warnings', fileURLToPath(import.meta.url), 'shard', String(shard)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`shard ${shard} exited with ${code}`))));
  });
}

async function recordAll() {
  const shards = [...Array.from({ length: SHARDS }, (_, i) => i), 'servers'];
  const parts = await Promise.all(shards.map(shardProcess));
  const merged = Object.assign({}, ...parts);
  // Sorted keys: the committed file diffs cleanly.
  return Object.fromEntries(Object.keys(merged).sort().map((name) => [name, merged[name]]));
}

/** One clause a line: the file reads, and diffs, store by store and seed by seed. */
function serialize(baseline) {
  const block = (entries, indent, inner) => `{\n${entries.map(([k, v]) => `${indent} ${JSON.stringify(k)}: ${inner(v)}`).join(',\n')}\n${indent}}`;
  return `${block(Object.entries(baseline), '', (seeds) => block(Object.entries(seeds), ' ', (clauses) => block(Object.entries(clauses), '  ', (v) => JSON.stringify(v))))}\n`;
}

const renamed = (name) => (name === undefined ? undefined : (RENAMED[name] ?? name));
const names = (list) => (list ?? []).map(renamed).sort().join(', ');

/**
 * The differences of one clause's verdict. A history that lists more anomaly types than its first
 * is no difference (the issue allows it) but is listed as such; a clause that could not judge on
 * one side is listed apart: on a loaded machine that is the load, not the checker.
 */
function differences(before, after) {
  if (!before || !after) return { changed: [`${before ? 'gone' : 'new'}`] };
  if (before.status !== after.status && (before.status === 'inconclusive' || after.status === 'inconclusive')) return { unjudged: [`${before.status} → ${after.status}`] };
  const changed = [];
  for (const key of ['status', 'level']) if (before[key] !== after[key]) changed.push(`${key} ${before[key]} → ${after[key]}`);
  if (renamed(before.anomaly) !== after.anomaly) changed.push(`anomaly ${before.anomaly} → ${after.anomaly}`);
  if (names(before.findingAnomalies) !== names(after.findingAnomalies)) changed.push(`faults anomalies [${names(before.findingAnomalies)}] → [${names(after.findingAnomalies)}]`);
  const more = (after.anomalyTypes ?? []).filter((t) => t !== after.anomaly && !(before.anomalyTypes ?? []).map(renamed).includes(t));
  return { changed, more: more.length > 0 ? [`also ${more.join(', ')}`] : [] };
}

/** Compares the stores `after` holds (all of them, or those a filter kept) with the baseline. */
function compare(before, after) {
  const sections = { changed: [], more: [], unjudged: [] };
  for (const name of Object.keys(after)) {
    for (const seed of new Set([...Object.keys(before[name] ?? {}), ...Object.keys(after[name] ?? {})])) {
      const [b, a] = [before[name]?.[seed] ?? {}, after[name]?.[seed] ?? {}];
      for (const clause of new Set([...Object.keys(b), ...Object.keys(a)])) {
        for (const [section, lines] of Object.entries(differences(b[clause], a[clause]))) {
          for (const line of lines) sections[section].push(`${name}, seed ${seed}, ${clause}: ${line}`);
        }
      }
    }
  }
  const titles = { changed: 'verdicts changed', more: 'more anomaly types listed (allowed)', unjudged: 'could not judge on one side (load?)' };
  for (const [section, lines] of Object.entries(sections)) console.log(`${titles[section]}: ${lines.length}${lines.map((l) => `\n  ${l}`).join('')}`);
  return sections.changed.length === 0;
}

const [command, shard] = process.argv.slice(2);
// A filter the shards read: which stores to run.
if (command === 'compare' && shard !== undefined) process.env.VERDICT_BASELINE_ONLY = shard;
if (command === 'shard') await runShard(shard);
else if (command === 'record') {
  writeFileSync(baselineFile, serialize(await recordAll()));
  console.log(`wrote ${baselineFile}`);
} else if (command === 'compare') {
  const clean = compare(JSON.parse(readFileSync(baselineFile, 'utf8')), await recordAll());
  console.log(clean ? 'clean: no verdict changed' : 'NOT clean');
  process.exitCode = clean ? 0 : 1;
} else {
  console.error('usage: node scripts/verdict-baseline.mjs record | compare');
  process.exitCode = 2;
}
