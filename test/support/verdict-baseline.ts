/**
 * The verdicts of every broken store and every reference store, clause by clause with the anomaly
 * names, on a few seeds: what a change to the checkers must leave as it is (issue 19). Run by
 * scripts/verdict-baseline.mjs in plain Node processes, one per shard, outside `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConformance, type ClauseResult, type StoreFactory } from '../../entry/index.js';
import { MemcachedStore, MemoryStore, PostgresStore, RedisStore, SqliteStore } from '../../stores/index.js';
import { processFaults, startLocalServer, type Backend, type ProvisionedServer } from '../../servers/index.js';
import { defects } from '../broken/defects.js';
import { expressDefects } from '../broken/express-defects.js';
import { goodIds } from '../broken/id-defects.js';
import { TimerStore } from '../broken/timer-store.js';
import { TutorialStore } from '../broken/tutorial-store.js';
import { CheckOnReadStore } from './check-on-read-store.js';
import { serverFor } from './servers.js';

export const SEEDS = [11, 22, 33];
/** As the self-check runs the broken stores: their `fails` lists are exact at this many runs. */
const NUM_RUNS = 50;

/** One clause's verdict: what a redesign must not change. */
export interface Verdict {
  status: string;
  level: string;
  /** The named anomaly of a concurrency or faults failure. */
  anomaly?: string;
  /** Every anomaly type the clause reports, where it reports more than one. */
  anomalyTypes?: string[];
  /** The faults clause's anomaly counts by name (names only: counts vary with timing). */
  findingAnomalies?: string[];
}

/** store name → seed → clause id → verdict */
export type Baseline = Record<string, Record<string, Record<string, Verdict>>>;

interface Subject {
  name: string;
  /** A fresh target per seed, and what to release after it. */
  open: () => Promise<{ target: StoreFactory; release?: () => Promise<void> }>;
  /** A faults run is real-time and hurts its server: once is enough, on the first seed. */
  seeds?: number[];
}

const plain = (target: StoreFactory): Subject['open'] => async () => ({ target });

function inMemory(): Subject[] {
  return [
    ...defects.map((d) => ({ name: `broken: ${d.name}`, open: plain(d.target) })),
    ...expressDefects.map((d) => ({ name: `express broken: ${d.name}`, open: plain(d.target) })),
    { name: 'tutorial store', open: plain({ name: 'tutorial', open: () => new TutorialStore() }) },
    { name: 'timer store', open: plain({ name: 'timer', open: () => new TimerStore() }) },
    { name: 'check-on-read store', open: plain({ name: 'check-on-read', open: () => new CheckOnReadStore() }) },
    { name: `good ids: ${goodIds.name}`, open: plain(goodIds) },
    { name: 'memory (injected clock)', open: plain({ name: 'memory', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) }) },
    { name: 'memory', open: plain({ name: 'memory', ...MemoryStore.declares, open: () => new MemoryStore() }) },
    {
      name: 'sqlite (shared file, injected clock)',
      open: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'scc-baseline-'));
        return {
          target: { name: 'sqlite', clock: 'injected', sharedBackend: true, open: ({ clock }) => new SqliteStore({ path: join(dir, 'shared.db'), clock }) },
          release: async () => rmSync(dir, { recursive: true, force: true }),
        };
      },
    },
  ];
}

/** The reference stores of each backend whose server starts here; one that cannot is left out, and said so. */
const ON_SERVERS: [Backend, (url: string) => StoreFactory][] = [
  ['redis', (url) => ({ name: 'redis', ...RedisStore.declares, open: () => RedisStore.connect({ url, prefix: `baseline-${process.pid}:` }) })],
  ['memcached', (url) => ({ name: 'memcached', ...MemcachedStore.declares, open: () => MemcachedStore.connect({ url, prefix: `baseline-${process.pid}:` }) })],
  ['postgres', (url) => ({ name: 'postgres', ...PostgresStore.declares, open: () => PostgresStore.connect({ url, table: `baseline_${process.pid}` }) })],
];

async function onServers(log: (line: string) => void): Promise<{ subjects: Subject[]; stop: () => Promise<void> }> {
  const servers: ProvisionedServer[] = [];
  const subjects: Subject[] = [];
  for (const [backend, target] of ON_SERVERS) {
    const found = await serverFor(backend);
    if ('skip' in found) log(`${backend} left out: ${found.skip}`);
    else {
      servers.push(found.server);
      subjects.push({ name: backend, open: plain(target(found.server.url)) });
    }
  }
  // The faults clause, on a Redis of its own restarted mid-run: without persistence a durable claim fails.
  subjects.push({
    name: 'redis restarted, no persistence, claimed durable (faults only)',
    seeds: [SEEDS[0]!],
    open: async () => {
      const server = await startLocalServer('redis');
      return {
        target: {
          name: 'redis (restarted)',
          ...RedisStore.declares,
          durable: true,
          open: () => RedisStore.connect({ url: server.url, timeoutMs: 1000 }),
          faults: { driver: processFaults([server]), faults: [{ kind: 'restart' as const }], durationMs: 2000 },
        },
        release: () => server.stop(),
      };
    },
  });
  return { subjects, stop: async () => void (await Promise.all(servers.map((s) => s.stop()))) };
}

/** What a clause's result says about the store, without timings, messages or counts. */
export function verdictOf(c: ClauseResult): Verdict {
  const verdict: Verdict = { status: c.status, level: c.level };
  if (c.anomaly !== undefined) verdict.anomaly = String(c.anomaly);
  const types = (c as { anomalyTypes?: unknown[] }).anomalyTypes;
  if (types && types.length > 0) verdict.anomalyTypes = types.map(String);
  const counts = c.findings?.anomalies;
  if (counts && typeof counts === 'object' && !Array.isArray(counts) && Object.keys(counts).length > 0) verdict.findingAnomalies = Object.keys(counts).sort();
  return verdict;
}

/**
 * The verdicts of shard `shard` of `shards` ('servers' for the server-backed stores), logged as
 * they come, of the stores whose name holds `only` if given. The faults run is left to the servers
 * shard; every other target runs every clause.
 */
export async function recordShard(shard: number | 'servers', shards: number, log: (line: string) => void, only?: string): Promise<Baseline> {
  const baseline: Baseline = {};
  let subjects: Subject[];
  let stop = async () => {};
  if (shard === 'servers') ({ subjects, stop } = await onServers(log));
  else subjects = inMemory().filter((_, i) => i % shards === shard);
  try {
    for (const subject of subjects.filter((s) => only === undefined || s.name.includes(only))) {
      baseline[subject.name] = {};
      for (const seed of subject.seeds ?? SEEDS) {
        const { target, release } = await subject.open();
        const started = Date.now();
        try {
          const only = target.faults ? { only: ['faults' as const] } : {};
          const report = await checkConformance(target, { seed, numRuns: NUM_RUNS, ...only });
          baseline[subject.name]![seed] = Object.fromEntries(report.clauses.map((c) => [c.id, verdictOf(c)]));
        } finally {
          await release?.();
        }
        log(`${subject.name}, seed ${seed}: ${Date.now() - started} ms`);
      }
    }
  } finally {
    await stop();
  }
  return baseline;
}
