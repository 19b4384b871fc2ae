#!/usr/bin/env node
// Starts local servers through the package's own provisioning (servers/), for a shell script that
// needs them for a while (.ci/run):
//
//   node scripts/servers.mjs [redis] [memcached] [redis-cluster] [postgres] [mysql]   (default: redis memcached)
//
// Prints one `REDIS_URL=redis://127.0.0.1:…` line per server (the variable provisioning reads),
// then `ready`, and keeps them up until its stdin closes or it is signalled; then it stops them and
// exits. It runs servers/ from source on a fresh clone, with no install and no build (ts-sources.mjs).
import { runTypeScriptSources } from './ts-sources.mjs';

if (!runTypeScriptSources()) {
  process.stderr.write(`servers.mjs: Node ${process.version} cannot run TypeScript sources; run it through scripts/supported-node.mjs or on Node 22.18 or later\n`);
  process.exit(2);
}

const { startLocalCluster, startLocalServer, urlVariable } = await import('../servers/provision/index.ts');

const BACKENDS = ['redis', 'memcached', 'redis-cluster', 'postgres', 'mysql'];
const asked = process.argv.slice(2);
const backends = asked.length > 0 ? asked : ['redis', 'memcached'];
const unknown = backends.filter((backend) => !BACKENDS.includes(backend));
if (unknown.length > 0) {
  process.stderr.write(`servers.mjs: unknown backend ${unknown.join(', ')}; known: ${BACKENDS.join(', ')}\n`);
  process.exit(2);
}

const servers = [];
let stopping;
function stopAll(status) {
  stopping ??= Promise.allSettled(servers.map((server) => server.stop())).then(() => process.exit(status));
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(0));

try {
  for (const backend of backends) {
    const server = backend === 'redis-cluster' ? await startLocalCluster() : await startLocalServer(backend);
    servers.push(server);
    process.stdout.write(`${urlVariable(backend)}=${server.url}\n`);
  }
} catch (error) {
  process.stderr.write(`servers.mjs: ${error}\n`);
  await stopAll(1);
}
process.stdout.write('ready\n');
// Whoever started us is done with the servers when it closes our stdin (or exits, which closes it).
process.stdin.on('end', () => stopAll(0));
process.stdin.resume();
