/** Results as text: the account a store author reads first, in a terminal or a test failure. */
import type { Cause, ClauseResult } from './result.js';
import type { ClauseStatus } from './verdict.js';

const HEADLINE: Record<ClauseStatus, string> = {
  fail: 'violates',
  warn: 'falls short of',
  inconclusive: 'could not be judged on',
  info: 'reports on',
  pass: 'passes',
  skipped: 'skips',
};

/**
 * A readable account of one clause that did not simply pass: the vitest binding throws it for a
 * failure and annotates the test with it otherwise.
 */
export function formatClauseResult(store: string, r: ClauseResult): string {
  const [first, ...others] = r.sharedCause ?? [];
  // The cause is explained once, under the first clause it broke; the others name it and keep their evidence.
  if (first !== undefined && first !== r.id) return [`${store} ${HEADLINE[r.status]} [${r.id}] (${r.level}) for the same cause as [${first}]: ${r.error!.split('\n', 1)[0]}`, ...evidence(r)].join('\n');
  // What happened first, then what it means and why it usually happens: the three lines a
  // store author reads before anything else.
  const [what, ...more] = (r.error ?? r.reason ?? r.status).split('\n');
  const lines = first === undefined ? [what!] : [`One cause breaks ${others.length + 1} clauses (${[first, ...others].join(', ')}): ${what}`];
  if (r.meaning) lines.push(`What it means: ${r.meaning}.`);
  if (r.cause) lines.push(`Usual cause: ${r.cause}.`);
  lines.push(...more, '', `${store} ${HEADLINE[r.status]} [${r.id}] (${r.level}): ${r.title}`);
  if (r.platformNote) lines.push(r.platformNote);
  if (r.status === 'warn' || r.status === 'inconclusive') {
    lines.push('This does not fail the run; with strict: true (or SESSION_CONFORMANCE_STRICT=1) it would.');
  }
  lines.push(...evidence(r));
  for (const [i, c] of (r.furtherCauses ?? []).entries()) {
    lines.push('', `Another cause (${i + 2} of ${(r.furtherCauses?.length ?? 0) + 1}): ${c.error}`);
    if (c.cause) lines.push(`Usual cause: ${c.cause}.`);
    lines.push(...evidence({ ...c, seed: r.seed }));
  }
  return lines.join('\n');
}

/** A failure's counterexample, seed and replay line: what replays it. */
function evidence(r: Cause & Pick<ClauseResult, 'seed'>): string[] {
  const lines: string[] = [];
  if (r.counterexample !== undefined) {
    lines.push('', `Counterexample${r.shrinks ? ` (shrunk in ${r.shrinks} steps)` : ''}:`, `  ${r.counterexample.trim()}`);
  }
  lines.push('', `Seed: ${r.seed}${r.path ? `, path: ${JSON.stringify(r.path)}` : ''}`);
  if (r.replay) lines.push(`Replay: runConformance(target, ${r.replay})`);
  return lines;
}
