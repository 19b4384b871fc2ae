/** `npm run docs`: rewrites the parts of README.md and docs/contract.md generated from the clause objects. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clauses } from '../suite/clauses/index.js';
import { renderDocs } from './clause-docs.js';

// Run from dist/docgen/ after the build: the sources are two levels up.
const root = resolve(import.meta.dirname, '..', '..');
for (const [file, text] of renderDocs(clauses, (name) => readFileSync(join(root, name), 'utf8'))) {
  const path = join(root, file);
  if (readFileSync(path, 'utf8') === text) continue;
  writeFileSync(path, text);
  console.log(`docs: wrote ${file}`);
}
