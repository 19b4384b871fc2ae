#!/usr/bin/env node
// npm test, npm run bench and the other scripts that run this project's code go through here:
//
//   node scripts/supported-node.mjs '<the script's command>' [the arguments npm appends]
//
// On a Node that package.json's engines accept, the command runs as it is. On any other (a fresh
// machine with Node 20, say) it runs on Node 24 instead, through scripts/node-line.sh, which fetches
// that line once from the npm registry into .tmp/node-lines/24; one line says so. The install made
// by the older Node serves as it is: its only native addon, better-sqlite3, is a Node-API build,
// which loads on every line. Plain JavaScript that runs on old Nodes: that is its whole job.
import { spawn, spawnSync } from 'child_process';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';
import { DEFAULT_NODE_LINE, SUPPORTED_NODE, satisfiesNode } from '../command/node-support.js';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write("usage: node scripts/supported-node.mjs '<shell command>' [arguments...]\n");
  process.exit(2);
}
// The arguments after `npm test --` go to the script's last command, as npm itself would pass them.
let argv = ['sh', '-c', `${command} "$@"`, 'sh', ...args];

if (!satisfiesNode(process.versions.node)) {
  const nodeLine = join(dirname(fileURLToPath(import.meta.url)), 'node-line.sh');
  const line = String(DEFAULT_NODE_LINE);
  const event = process.env.npm_lifecycle_event;
  const script = event === 'test' ? 'npm test' : event ? `npm run ${event}` : command;
  process.stderr.write(`Node ${process.version} is not one this project supports (${SUPPORTED_NODE}): running \`${script}\` on Node ${line} from the npm registry (kept in .tmp/node-lines/${line})\n`);
  // Fetched here, quietly, so that the line above is the only one; what went wrong is shown if it fails.
  const fetched = spawnSync('bash', [nodeLine, line, 'node', '--version'], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (fetched.status !== 0) {
    process.stderr.write(fetched.stderr || `${fetched.error}\n`);
    process.exit(1);
  }
  argv = ['bash', nodeLine, line].concat(argv);
}

const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
// Ctrl-C reaches the command from the terminal too: wait for it to wind down rather than return
// first. A signal sent to this process alone is handed on, as npm hands it on to its script.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  process.stderr.write(`${argv[0]}: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (status, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(status === null ? 1 : status);
});
