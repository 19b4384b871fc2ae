import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { findOnPath, urlVariable } from '../servers/index.js';
import { connectStore } from '../stores/index.js';

const SCRIPT = new URL('../scripts/servers.mjs', import.meta.url).pathname;
const hasBinaries = (findOnPath('redis-server') && findOnPath('memcached')) || process.env.CI === 'true';

/** Starts scripts/servers.mjs as .ci/run does and reads its lines up to `ready`: the variables it printed. */
async function startScript(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; urls: Record<string, string>; stderr: () => string }> {
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const urls: Record<string, string> = {};
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'ready') return { child, urls, stderr: () => stderr };
    const [name, url] = line.split(/=(.*)/);
    urls[name!] = url!;
  }
  throw new Error(`servers.mjs ended before ready (exit ${child.exitCode}): ${stderr}`);
}

/** A set, get and pop through the reference store the URL opens: the server answers as that backend. */
async function roundTrip(url: string): Promise<unknown> {
  const store = await connectStore(url, { prefix: 'servers-script:' });
  try {
    await store.set('a', { n: 1 }, 60_000);
    return [await store.get('a'), await store.pop('a')];
  } finally {
    await store.close();
  }
}

async function refuses(url: string): Promise<boolean> {
  return connectStore(url, { timeoutMs: 1000 }).then(
    async (store) => (await store.close(), false),
    () => true,
  );
}

describe.skipIf(!hasBinaries)('scripts/servers.mjs', () => {
  it('prints a URL per server under the variable provisioning reads, serves them, and stops them when its stdin closes', async () => {
    const { child, urls } = await startScript([]);
    expect(Object.keys(urls)).toEqual([urlVariable('redis'), urlVariable('memcached')]);
    expect(urls.REDIS_URL).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.MEMCACHED_URL).toMatch(/^memcached:\/\/127\.0\.0\.1:\d+$/);
    for (const url of Object.values(urls)) expect(await roundTrip(url)).toEqual([{ n: 1 }, { n: 1 }]);
    child.stdin.end();
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    for (const url of Object.values(urls)) expect(await refuses(url)).toBe(true);
  });

  it('stops its servers when signalled', async () => {
    const { child, urls } = await startScript(['redis']);
    expect(Object.keys(urls)).toEqual(['REDIS_URL']);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(await refuses(urls.REDIS_URL!)).toBe(true);
  });

  it('refuses a backend it does not know, naming the ones it does', async () => {
    const child = spawn(process.execPath, [SCRIPT, 'mongodb'], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown backend mongodb; known: redis, memcached, redis-cluster, postgres, mysql');
  });
});
