import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html/report.js';
import type { Cause, ClauseResult, ConformanceReport } from './result.js';
import type { ClauseStatus } from './verdict.js';

/** Text from a store (error messages, counterexamples) must not break the table or inject HTML. */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/([\\*_[\]#~])/g, '\\$1')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
    .replace(/\r?\n/g, '<br>');
}

/** A fenced block that no backtick run inside `text` can close early. */
function fenced(text: string): string {
  const longestRun = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}text\n${text}\n${fence}`;
}

const STATUS: Record<ClauseStatus, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '⚠️ warn',
  inconclusive: '❔ inconclusive',
  info: 'ℹ️ info',
  skipped: '⏭️ skipped',
};

/** The sections below the table, one per status that has more to say than a table cell holds. */
const SECTIONS: [ClauseStatus, string][] = [
  ['fail', 'Failures'],
  ['warn', 'Warnings (SHOULD)'],
  ['inconclusive', 'Inconclusive'],
  ['info', 'Information (INFO)'],
];

export function reportFileStem(store: string): string {
  return `conformance-${store.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'store'}`;
}

export function renderMarkdown(report: ConformanceReport): string {
  const { summary } = report;
  const lines = [
    `# Session store conformance: ${escapeMarkdownCell(report.store)}`,
    '',
    `**${report.ok ? 'OK' : 'NOT OK'}**${report.strict ? ' (strict)' : ''}: ${summary.pass} passed, ${summary.fail} failed, ${summary.warn} warned, ` +
      `${summary.inconclusive} inconclusive, ${summary.info} informational, ${summary.skipped} skipped · seed ${report.seed} · ${report.numRuns} runs per property · ${report.date}`,
    '',
    `Clock: ${report.target.clock} · TTL resolution: ${report.target.ttlResolutionMs} ms · max data: ${report.target.maxDataBytes} bytes` +
      (report.capabilities ? ` · touch: ${report.capabilities.touch ? 'yes' : 'no'} · update: ${report.capabilities.update ? 'yes' : 'no'}` : ''),
    '',
    `Versions: ${Object.entries(report.versions).map(([k, v]) => `${escapeMarkdownCell(k)} ${escapeMarkdownCell(v)}`).join(' · ')}`,
    '',
    ...causeHeadlines(report.clauses),
    ...loopDelays(report.clauses),
    '| Clause | Level | Status | Time | Detail |',
    '| --- | --- | --- | ---: | --- |',
  ];
  for (const c of report.clauses) {
    // One line per row: a timeline or counterexample belongs in the Failures section below.
    const detail = c.error !== undefined ? c.error.split('\n')[0]! : c.reason ?? (c.findings ? JSON.stringify(c.findings) : '');
    lines.push(`| \`${c.id}\` ${escapeMarkdownCell(c.title)} | ${c.level} | ${STATUS[c.status]} | ${c.durationMs} ms | ${escapeMarkdownCell(detail)} |`);
  }
  for (const [status, heading] of SECTIONS) {
    const results = report.clauses.filter((c) => c.status === status);
    if (results.length > 0) lines.push('', `## ${heading}`);
    for (const c of results) lines.push('', ...renderDetail(c));
  }
  return `${lines.join('\n')}\n`;
}

/** One line per cause that broke several clauses, before the table: the cause once, and the clauses it touched. */
function causeHeadlines(clauses: ClauseResult[]): string[] {
  const firsts = clauses.filter((c) => c.sharedCause?.[0] === c.id);
  return firsts.flatMap((c) => [
    `**One cause breaks ${c.sharedCause!.length} clauses** (${c.sharedCause!.map((id) => `\`${id}\``).join(', ')}): ${escapeMarkdownCell(c.error!.split('\n', 1)[0]!)}`,
    '',
  ]);
}

/**
 * How late the event loop turned during the real-time clauses' timed waits, what a store's timers
 * had to live with, and the suite's own share of it.
 */
function loopDelays(clauses: ClauseResult[]): string[] {
  const measured = clauses.filter((c) => c.loopDelayMs !== undefined);
  if (measured.length === 0) return [];
  const max = Math.max(...measured.map((c) => c.loopDelayMs!));
  const suite = Math.max(...measured.map((c) => c.suiteHeldMs ?? 0));
  const each = measured.map((c) => `\`${c.id}\` ${c.loopDelayMs} ms${c.suiteHeldMs !== undefined ? ` (suite ${c.suiteHeldMs})` : ''}`);
  return [`Event-loop delay during real-time clauses: up to ${max} ms, the suite's own share up to ${suite} ms (${each.join(' · ')})`, ''];
}

function renderDetail(c: ClauseResult): string[] {
  const lines = [`### \`${c.id}\` (${c.level})`, ''];
  const first = c.sharedCause?.[0];
  if (first !== undefined && first !== c.id) {
    // Explained once, under the first clause the cause broke.
    return [...lines, `Same cause as \`${first}\`: ${escapeMarkdownCell(c.error!.split('\n', 1)[0]!)}`, ...evidence(c)];
  }
  if (c.anomaly) {
    const others = (c.anomalyTypes ?? []).filter((t) => t !== c.anomaly);
    lines.push(`Anomaly: **${escapeMarkdownCell(c.anomaly)}**${others.length > 0 ? ` (also ${others.map(escapeMarkdownCell).join(', ')})` : ''}`, '');
  }
  const message = c.error ?? c.reason ?? c.status;
  // The message may hold a multi-line timeline: keep its layout in a block.
  lines.push(message.includes('\n') ? fenced(message) : escapeMarkdownCell(message));
  if (c.meaning) lines.push('', `**What it means:** ${escapeMarkdownCell(c.meaning)}.`);
  if (c.cause) lines.push('', `**Usual cause:** ${escapeMarkdownCell(c.cause)}.`);
  if (c.platformNote) lines.push('', `> ${escapeMarkdownCell(c.platformNote)}`);
  if (c.findings) lines.push('', `Findings: ${escapeMarkdownCell(JSON.stringify(c.findings))}`);
  lines.push(...evidence(c));
  for (const [i, further] of (c.furtherCauses ?? []).entries()) {
    lines.push('', `**Another cause** (${i + 2} of ${(c.furtherCauses?.length ?? 0) + 1}): ${escapeMarkdownCell(further.error ?? '')}`);
    if (further.cause) lines.push('', `**Usual cause:** ${escapeMarkdownCell(further.cause)}.`);
    lines.push(...evidence({ ...further, seed: c.seed }));
  }
  return lines;
}

/** A failure's counterexample, seed and replay: what replays it. */
function evidence(c: Cause & Pick<ClauseResult, 'seed'>): string[] {
  const lines: string[] = [];
  if (c.counterexample !== undefined) lines.push('', '<details><summary>Counterexample</summary>', '', fenced(c.counterexample.trim()), '', '</details>');
  lines.push('', `Seed ${c.seed}${c.path ? `, path \`${escapeMarkdownCell(c.path)}\`` : ''}.`);
  if (c.replay) lines.push('', 'Replay:', '', fenced(`runConformance(target, ${c.replay})`));
  return lines;
}

export async function writeReport(dir: string, report: ConformanceReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stem = join(dir, reportFileStem(report.store));
  await writeFile(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${stem}.md`, renderMarkdown(report));
  await writeFile(`${stem}.html`, renderHtml(report));
  return [`${stem}.json`, `${stem}.md`, `${stem}.html`];
}
