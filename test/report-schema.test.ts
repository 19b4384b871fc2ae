/**
 * The JSON report against its published schema (suite/report.schema.json): real reports of a
 * correct store, of a broken store caught with named anomalies, and of a faults run validate; the
 * schema's names are the suite's own; and a report with an anomaly outside the vocabulary does not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate, type Schema } from '../bench/json-schema.js';
import { ANOMALY_NAMES } from '../suite/anomaly.js';
import { checkConformance, CLAUSE_IDS, type ConformanceReport, type StoreFactory } from '../entry/index.js';
import { CLAUSE_STATUSES } from '../suite/verdict.js';
import { MemoryStore } from '../stores/index.js';
import { defects } from './broken/defects.js';
import { forgetful } from './support/forgetful-store.js';
import { tempDir } from './support/temp-dir.js';

const schema = JSON.parse(readFileSync(new URL('../suite/report.schema.json', import.meta.url), 'utf8')) as Schema & { $defs: Record<string, Schema> };
const dir = tempDir('report-schema');

/** The JSON file checkConformance wrote for `target`. */
async function writtenReport(target: StoreFactory, options: Parameters<typeof checkConformance>[1]): Promise<ConformanceReport> {
  const report = await checkConformance(target, { ...options, report: dir });
  const file = join(dir, `conformance-${target.name}.json`);
  expect(report.store).toBe(target.name);
  return JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport;
}

describe('the JSON report and its schema', () => {
  it('names what the suite names: the anomaly vocabulary, the clause ids and the statuses', () => {
    expect(schema.$defs.anomaly!.enum).toEqual(ANOMALY_NAMES);
    expect(schema.$defs.clauseId!.enum).toEqual([...CLAUSE_IDS]);
    expect(schema.$defs.status!.enum).toEqual([...CLAUSE_STATUSES]);
    expect(schema.properties!.schemaVersion!.const).toBe(3);
  });

  it('validates the report of a correct store', { timeout: 120_000 }, async () => {
    const report = await writtenReport({ name: 'memory', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) }, { seed: 11, numRuns: 10 });
    expect(validate(report, schema)).toEqual([]);
  });

  it('validates the report of a store caught with named anomalies, each typed into the report', { timeout: 120_000 }, async () => {
    const broken = defects.find((d) => d.name === 'pop is a get, then a delete, though declared atomic')!;
    const report = await writtenReport({ ...broken.target, name: 'get-then-delete' }, { seed: 11, numRuns: 30 });
    expect(validate(report, schema)).toEqual([]);
    const named = report.clauses.filter((c) => c.anomaly !== undefined);
    expect(named.map((c) => c.id)).toContain('atomic-pop');
    // The leading anomaly comes first among every type the history showed.
    for (const c of named) expect(c.anomalyTypes?.[0]).toBe(c.anomaly);
    expect(named.some((c) => c.history !== undefined)).toBe(true);
  });

  it('validates the report of a faults run, with its drawing', { timeout: 60_000 }, async () => {
    const report = await writtenReport({ ...forgetful(), name: 'forgetful' }, { only: ['faults'], seed: 7 });
    const [faults] = report.clauses;
    expect(faults).toMatchObject({ status: 'fail', anomaly: 'lost write', anomalyTypes: ['lost write'] });
    expect(faults!.faults?.sessions[0]?.anomalies).toEqual(['lost write']);
    expect(validate(report, schema)).toEqual([]);
  });

  it('rejects an anomaly outside the vocabulary, and a report of another schema version', () => {
    const clause = { id: 'concurrency', title: 't', level: 'MUST', status: 'fail', durationMs: 1, seed: 1, numRuns: 1, anomaly: 'acknowledged write lost' };
    const report = {
      schemaVersion: 2, ok: false, strict: false, store: 's', date: '2030-01-01T00:00:00.000Z', seed: 1, numRuns: 1,
      target: { clock: 'system' }, capabilities: null, versions: {}, summary: Object.fromEntries(CLAUSE_STATUSES.map((s) => [s, 0])), clauses: [clause],
    };
    expect(validate(report, schema)).toEqual(['$.schemaVersion: expected 3', `$.clauses[0].anomaly: "acknowledged write lost" is not one of ${JSON.stringify(ANOMALY_NAMES)}`]);
  });
});
