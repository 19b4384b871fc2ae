/** The benchmark report's JSON Schema (bench/report.schema.json) and validation against it. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate, type Schema } from './json-schema.js';

/** Found by walking up from this file, so it works from source and from dist/. */
function schemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'bench', 'report.schema.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bench/report.schema.json not found');
    dir = parent;
  }
}

export function benchReportSchema(): Schema {
  return JSON.parse(readFileSync(schemaPath(), 'utf8')) as Schema;
}

/** Problems with `report` as a benchmark report, each with its JSON path; empty when valid. */
export function validateBenchReport(report: unknown): string[] {
  return validate(report, benchReportSchema());
}
