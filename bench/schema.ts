/** The benchmark report's JSON Schema (bench/report.schema.json) and validation against it. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findUp } from '../suite/find-up.js';
import { validate, type Schema } from './json-schema.js';

/** Found by walking up from this file, so it works from source and from dist/. */
function schemaPath(): string {
  const path = findUp(dirname(fileURLToPath(import.meta.url)), (dir) => {
    const candidate = join(dir, 'bench', 'report.schema.json');
    return existsSync(candidate) ? candidate : undefined;
  });
  if (!path) throw new Error('bench/report.schema.json not found');
  return path;
}

export function benchReportSchema(): Schema {
  return JSON.parse(readFileSync(schemaPath(), 'utf8')) as Schema;
}

/** Problems with `report` as a benchmark report, each with its JSON path; empty when valid. */
export function validateBenchReport(report: unknown): string[] {
  return validate(report, benchReportSchema());
}
