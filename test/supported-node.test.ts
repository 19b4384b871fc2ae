/**
 * The Node check shared by the installed bins and scripts/supported-node.mjs, and that script as
 * npm runs it: on the Node running the tests (a supported one) and on a real Node 20 from the npm
 * registry, which it must move to Node 24.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_NODE, satisfiesNode } from '../command/node-support.js';
import { nodeLineBin } from './support/node-line.js';

const root = resolve(import.meta.dirname, '..');
const wrapper = join(root, 'scripts', 'supported-node.mjs');
// What the command sees: its Node, then each argument in brackets, so that spaces and quotes show.
const probe = `node -p process.version && printf '[%s]' `;
const args = ['plain', 'with space', `it's "quoted"`, '$HOME'];

describe('satisfiesNode', () => {
  it('is package.json\'s engines.node, which the bins cannot read at run time', () => {
    expect((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node).toBe(SUPPORTED_NODE);
  });

  it.each([
    ['v20.20.2', false], ['18.0.0', false], ['22.11.9', false], ['22.12.0', true], ['v22.23.3', true],
    ['23.11.0', false], ['24.0.0', true], ['25.9.0', false], ['26.0.0', true], ['31.2.1', true],
  ])('%s: %s', (version, supported) => {
    expect(satisfiesNode(version)).toBe(supported);
  });

  it('names what it cannot read', () => {
    expect(() => satisfiesNode('twenty')).toThrow('not a Node version: twenty');
    expect(() => satisfiesNode('22.0.0', '~22.1.0')).toThrow('not a range of the form ^x.y.z or >=x.y.z: ~22.1.0');
  });
});

describe('scripts/supported-node.mjs', () => {
  it('on a supported Node, runs the command as it is, with npm\'s arguments and its exit status', () => {
    const ran = spawnSync(process.execPath, [wrapper, probe, ...args], { cwd: root, encoding: 'utf8' });
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toBe(`${process.version}\n${args.map((a) => `[${a}]`).join('')}`);
    expect(ran.status).toBe(0);
    expect(spawnSync(process.execPath, [wrapper, 'exit 3'], { cwd: root }).status).toBe(3);
  });

  it('on Node 20, says so in one line and runs the same command on Node 24', { timeout: 180_000 }, () => {
    const node20 = join(nodeLineBin(20), 'node');
    nodeLineBin(24); // fetched beforehand, so that the timing of this test is the run's alone
    const env = { ...process.env, npm_lifecycle_event: 'test' };
    const ran = spawnSync(node20, [wrapper, probe, ...args], { cwd: root, encoding: 'utf8', env });
    expect(ran.stderr).toMatch(/^Node v20\.\d+\.\d+ is not one this project supports \(\^22\.12\.0 \|\| \^24\.0\.0 \|\| >=26\.0\.0\): running `npm test` on Node 24 from the npm registry \(kept in \.tmp\/node-lines\/24\)\n$/);
    expect(ran.stdout).toMatch(new RegExp(`^v24\\.\\d+\\.\\d+\\n${args.map((a) => `\\[${a.replace(/[$"]/g, '\\$&')}\\]`).join('')}$`));
    expect(ran.status).toBe(0);
    expect(spawnSync(node20, [wrapper, 'exit 3'], { cwd: root, stdio: 'ignore' }).status).toBe(3);
  });
});
