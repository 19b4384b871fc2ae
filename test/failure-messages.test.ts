/**
 * Failures a store author understands in ten seconds: what happened (in time, for timed
 * clauses), what it means for the app's users, and the usual cause, as the first three lines of
 * the message, in the vitest message, the Markdown report and the CLI alike.
 */
import { describe, expect, it } from 'vitest';
import { clauses } from '../suite/clauses/index.js';
import type { ClauseId } from '../suite/contract.js';
import { checkConformance, formatClauseResult, renderMarkdown, type ClauseResult } from '../entry/core.js';
import { defects } from './broken/defects.js';
import { TutorialStore } from './broken/tutorial-store.js';

const clause = (id: ClauseId) => clauses.find((c) => c.id === id)!;

/** A timeline in ms rounded to 0.1: `set(ttl 300) at 0 → set(ttl 600) at 12.3 → get at 499 → absent; …`. */
const TIME = String.raw`\d+(\.\d)?`;
const timeline = (steps: string, rule: string) => new RegExp(`^${steps}; ${rule}$`);

function expectThreeLines(result: ClauseResult | undefined, firstLine: RegExp): string[] {
  expect(result?.status).toBe('fail');
  const lines = formatClauseResult('store', result!).split('\n');
  expect(lines[0]).toMatch(firstLine);
  expect(lines[1]).toBe(`What it means: ${clause(result!.id).meaning}.`);
  const cause = clause(result!.id).cause;
  if (cause) expect(lines[2]).toBe(`Usual cause: ${cause}.`);
  return lines;
}

describe('the tutorial store, on real time', () => {
  it('replace: an old timer deleting the new session, told in time, with what it means and why', async () => {
    const report = await checkConformance(new TutorialStore(), { only: ['replace', 'copy-semantics', 'bad-input'] });
    const replace = report.clauses.find((c) => c.id === 'replace');
    expectThreeLines(replace, timeline(`set\\(ttl 300\\) at 0 → set\\(ttl 600\\) at ${TIME} → get at ${TIME} → absent`, `it must be live until at least ${TIME}`));
    // Real time speaks of time, with data that says nothing.
    expect(replace!.error).not.toMatch(/\\u|\{"[^n]/);
    expectThreeLines(report.clauses.find((c) => c.id === 'copy-semantics'), /\S/);
    expectThreeLines(report.clauses.find((c) => c.id === 'bad-input'), /\S/);
    // The same words in the Markdown report.
    const markdown = renderMarkdown(report);
    expect(markdown).toContain(`**What it means:** ${clause('replace').meaning}.`);
    expect(markdown).toContain('**Usual cause:** an expiry timer from an earlier set still fires');
  });
});

describe('broken stores on the injected clock', () => {
  const cases: [ClauseId, string, RegExp][] = [
    ['expiry', 'sessions never expire', timeline(`set\\(ttl \\d+\\) at 0 → get at \\d+ → \\{.*\\} → (pop|get) at \\d+ → .+`, 'it must be gone from \\d+ on')],
    ['replace', 'set on an existing id keeps the old expiry', timeline(`set\\(ttl \\d+\\) at 0 → set\\(ttl \\d+\\) at \\d+ → get at \\d+ → .+`, 'it must be (live until at least \\d+|gone from \\d+ on)')],
    ['touch', 'touch revives an expired session', timeline(`set\\(ttl \\d+\\) at 0 → touch at \\d+ → true`, 'it must be gone from \\d+ on')],
    ['copy-semantics', "stores the caller's object instead of a copy", /\S/],
    ['bad-input', 'throws synchronously on bad input', /\S/],
    ['id-isolation', 'ids are case-folded, as under a case-insensitive collation', /\S/],
    ['no-resurrection', 'touch is a get and a set of the old data', /\S/],
  ];
  it.each(cases)('%s: the first three lines say what happened, what it means and the usual cause', async (id, defectName, firstLine) => {
    const defect = defects.find((d) => d.name === defectName)!;
    const report = await checkConformance(defect.target, { only: [id] });
    expectThreeLines(report.clauses[0], firstLine);
  });

  it('a 10 kB value prints within a fixed length', async () => {
    const defect = defects.find((d) => d.name === 'silently truncates payloads over 64 KiB')!;
    const report = await checkConformance(defect.target, { only: ['round-trip'] });
    const [roundTrip] = report.clauses;
    expect(roundTrip?.status).toBe('fail');
    expect(roundTrip!.error!.length).toBeLessThan(600);
  });
});
