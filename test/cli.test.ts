/** The conformance command as users run it: built JavaScript, a real process, real modules, exit codes. */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_URL_FORMS } from '../stores/connect.js';
import { copyBuild } from './support/pack.js';

const root = resolve(import.meta.dirname, '..');
// A copy of the run's build inside the repo, so that modules resolve express-session from node_modules.
const out = join(root, '.tmp', `conformance-cli-${process.pid}`);
const cli = join(out, 'cli', 'conformance.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: out, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', SESSION_CONFORMANCE_REPORT_DIR: '' } });

beforeAll(async () => {
  await copyBuild(out);
  const modules: Record<string, string> = {
    'memory-target.mjs': `import { MemoryStore } from './stores/memory.js';\nexport default { name: 'memory', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) };\n`,
    'memory-instance.cjs': `module.exports = import('./stores/memory.js').then(({ MemoryStore }) => new MemoryStore());\n`,
    'express-memory.cjs': `const session = require('express-session');\nmodule.exports = new session.MemoryStore();\n`,
    // A store that keeps the caller's object: a MUST failure, so the verdict fails.
    'aliasing.mjs': `const m = new Map();\nexport default { async get(id) { return m.get(id); }, async set(id, d) { m.set(id, d); }, async pop(id) { const d = m.get(id); m.delete(id); return d; } };\n`,
    'nothing.mjs': `export const notAStore = 1;\n`,
    // TypeScript with erasable syntax only: Node strips the types itself.
    'typed-target.ts': `import type { StoreFactory } from './suite/target.js';\nimport { MemoryStore } from './stores/memory.js';\nconst target: StoreFactory = { name: 'typed', open: (): MemoryStore => new MemoryStore() };\nexport default target;\n`,
  };
  for (const [name, text] of Object.entries(modules)) writeFileSync(join(out, name), text);
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('session-store-conformance', () => {
  it('--help documents the command, every store URL connectStore opens, every flag, the exit codes and what a module must export', () => {
    const { stdout, status } = run('--help');
    expect(status).toBe(0);
    for (const form of STORE_URL_FORMS) expect(stdout).toContain(form);
    for (const flag of ['check <module | store URL>', 'postgres://', '--only', '--skip', '--seed', '--runs', '--report', '--strict', '--json', '--express', '--koa', 'Exit status', 'export default']) expect(stdout).toContain(flag);
  });

  it('checks a target module, prints a line per clause and the table, and exits 0 on a passing verdict', () => {
    const { stdout, stderr, status } = run('check', './memory-target.mjs', '--runs', '5', '--skip', 'ttl-range');
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/\[\d+\/\d+\] ✓ round-trip \d+ ms/);
    expect(stdout).toMatch(/^round-trip\s+MUST\s+pass/m);
    expect(stdout).toContain('verdict: passes');
  });

  it('detects an express-session store and writes the reports it is asked for', () => {
    const { stdout, stderr, status } = run('check', './express-memory.cjs', '--runs', '5', '--only', 'round-trip,absent,pop', '--report', 'reports');
    expect(status, stderr).toBe(0);
    expect(stderr).toContain('(express)');
    expect(stdout).toMatch(/^pop\s+MUST\s+pass/m);
    expect(readdirSync(join(out, 'reports')).sort()).toEqual(['conformance-express-memorystore.html', 'conformance-express-memorystore.json', 'conformance-express-memorystore.md']);
  });

  it('exits 1 on a failing verdict, with what happened, what it means and the usual cause', () => {
    const { stdout, status } = run('check', './aliasing.mjs', '--only', 'copy-semantics', '--seed', '7');
    expect(status).toBe(1);
    expect(stdout).toMatch(/^copy-semantics\s+MUST\s+FAIL/m);
    expect(stdout).toContain("Usual cause: the store keeps the caller's object: copy on the way in and out.");
    expect(stdout).toContain('verdict: FAILS');
  });

  it('loads a TypeScript module', () => {
    const { stdout, stderr, status } = run('check', './typed-target.ts', '--runs', '5', '--only', 'round-trip');
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/^round-trip\s+MUST\s+pass/m);
  });

  it('opens a store URL through connectStore: memory:// on an injected clock, Redis on the system clock', () => {
    const memory = run('check', 'memory://', '--runs', '5', '--only', 'expiry,interleavings');
    expect(memory.status, memory.stderr).toBe(0);
    expect(memory.stderr).toContain('(url)');
    // interleavings needs an injected clock: it runs.
    expect(memory.stdout).toMatch(/^interleavings\s+MUST\s+pass/m);
    const redis = process.env.REDIS_URL;
    if (!redis) return;
    const networked = run('check', redis, '--runs', '5', '--only', 'round-trip,pop');
    expect(networked.status, networked.stderr).toBe(0);
    expect(networked.stdout).toMatch(/^pop\s+MUST\s+pass/m);
  });

  it('prints the report as JSON with --json', () => {
    const { stdout, status } = run('check', './aliasing.mjs', '--only', 'absent', '--json');
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { ok: boolean; clauses: { id: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.clauses.map((c) => [c.id, c.status])).toEqual([['absent', 'pass']]);
  });

  it.each([
    [['check', './missing.mjs'], /no module at .*missing\.mjs[\s\S]*export default \{ name: 'my store'/],
    [['check', './nothing.mjs'], /has no default export \(named exports: notAStore\)[\s\S]*For example:/],
    [['check', './memory-target.mjs', '--only', 'nope'], /--only: unknown clause "nope"; clause ids: round-trip/],
    [['check', './memory-target.mjs', '--runs', '0'], /--runs must be a whole number of at least 1, got "0"/],
    [['check', './memory-target.mjs', '--bogus'], /Unknown option '--bogus'/],
    [['check'], /check needs a module/],
    [['check', 'sqlite:relative.db'], /SQLite URL names an absolute file path/],
    [['run', 'x'], /unknown command "run"/],
  ])('exits 2 on misuse: %j', (args, message) => {
    const { stderr, status } = run(...(args as string[]));
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('--help');
  });
});
