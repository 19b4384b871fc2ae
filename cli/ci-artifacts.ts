/**
 * What CI renders of a run: JUnit XML (one testcase per clause) where --junit names a file, and
 * the Markdown verdict table appended to GitHub's job summary when $GITHUB_STEP_SUMMARY names one.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderJUnit } from '../suite/junit.js';
import { renderMarkdown } from '../suite/report.js';
import type { ConformanceReport } from '../suite/result.js';

/** Writes the artifacts; returns what it wrote, for the progress output. */
export async function writeCiArtifacts(report: ConformanceReport, junit: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const written: string[] = [];
  if (junit !== undefined) {
    await mkdir(dirname(junit), { recursive: true });
    await writeFile(junit, renderJUnit(report));
    written.push(`JUnit XML: ${junit}`);
  }
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary) {
    // Appended: every step, and every store checked in one step, adds its own table.
    await appendFile(summary, `${renderMarkdown(report)}\n`);
    written.push(`job summary: ${summary}`);
  }
  return written;
}
