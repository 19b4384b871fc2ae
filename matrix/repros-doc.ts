/**
 * The section of docs/ecosystem.md that quotes every repro of matrix/repros/ with what the last
 * matrix run saw it do: written by `npm run matrix` between two markers, so the quoted code is
 * always the code the run replays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPROS_DIR, type ReproResult } from './repros.js';

const START = '<!-- matrix repros: written by npm run matrix -->';
const END = '<!-- end of matrix repros -->';

function quote(result: ReproResult): string {
  const [, ...code] = readFileSync(join(REPROS_DIR, result.file), 'utf8').trimEnd().split('\n');
  const seen = result.output.split('\n').filter((line) => !line.includes('cookie is not signed')).at(-1) ?? '';
  return [
    `**${result.column}** (${result.clauses.map((c) => `\`${c}\``).join(', ')}): ${result.defect}. [\`matrix/repros/${result.file}\`](../matrix/repros/${result.file}):`,
    '',
    '```js',
    ...code,
    '```',
    '',
    `Last run: ${result.outcome}${seen ? `, printing \`${seen}\`` : ''}.`,
  ].join('\n');
}

/** docs/ecosystem.md with its repro section rewritten (added at the end when it has none yet). */
export function withReproSection(doc: string, repros: readonly ReproResult[]): string {
  const section = [START, '', ...repros.map(quote).flatMap((q) => [q, '']), END].join('\n');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) return `${doc.trimEnd()}\n\n${section}\n`;
  return doc.slice(0, start) + section + doc.slice(end + END.length);
}
