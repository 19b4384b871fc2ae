/** Faults against real server processes: unreachable, killed mid-run, too old. */
import { describe, expect, it } from 'vitest';
import { checkConformance } from '../entry/index.js';
import { MemcachedStore, RedisStore } from '../stores/index.js';
import { findOnPath, startLocalServer, type Backend } from '../servers/index.js';
import { isAlive } from './support/process.js';

const CLOSED_PORT_URL = { redis: 'redis://127.0.0.1:1', memcached: 'memcached://127.0.0.1:1' };
const connect = {
  redis: (url: string) => RedisStore.connect({ url, timeoutMs: 2000 }),
  memcached: (url: string) => MemcachedStore.connect({ url, timeoutMs: 2000 }),
};

for (const backend of ['redis', 'memcached'] as const satisfies Backend[]) {
  const binary = findOnPath(backend === 'redis' ? 'redis-server' : 'memcached');
  // These need a real binary to kill; without one (and not in CI) they are skipped with the reason.
  const describeWithBinary = binary || process.env.CI === 'true' ? describe : describe.skip;

  describe(`${backend}: unreachable server`, () => {
    it('fails to open within the timeout, naming the URL', async () => {
      const started = performance.now();
      await expect(connect[backend](CLOSED_PORT_URL[backend])).rejects.toThrow(`could not use ${CLOSED_PORT_URL[backend]}`);
      expect(performance.now() - started).toBeLessThan(10_000);
    });

    it('fails the first operation within the timeout, naming the URL, when built without connect', async () => {
      const url = CLOSED_PORT_URL[backend];
      const store = backend === 'redis' ? new RedisStore({ url, timeoutMs: 2000 }) : new MemcachedStore({ url, timeoutMs: 2000 });
      const started = performance.now();
      await expect(store.get('any')).rejects.toThrow(`at ${url} failed`);
      expect(performance.now() - started).toBeLessThan(10_000);
      await store.close();
    });
  });

  describeWithBinary(`${backend}: server killed in the middle of a suite run (needs ${backend} on PATH)`, () => {
    it('fails the affected clauses with a clear error, finishes the run, and leaves no process behind', async () => {
      const server = await startLocalServer(backend);
      const target = { name: `${backend} (to be killed)`, ttlResolutionMs: backend === 'redis' ? 1 : 1000, open: () => connect[backend](server.url) };
      let opened = 0;
      const counting = { ...target, open: async () => { opened++; return target.open(); } };
      const run = checkConformance(counting, { numRuns: 200, operationTimeoutMs: 5000 });
      // Kill it once the run is under way, as a crash would.
      while (opened < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      await server.kill();
      const report = await run;
      const failed = report.clauses.filter((c) => c.status === 'fail');
      expect(failed.length).toBeGreaterThan(0);
      for (const clause of failed) expect(clause.error).toMatch(new RegExp(`(${backend === 'redis' ? 'Redis' : 'Memcached'} \\w+ at ${server.url}|could not (open|use)).*`, 's'));
      expect(isAlive(server.pid)).toBe(false);
    });
  });
}

describe.skipIf(!findOnPath('redis-server') && process.env.CI !== 'true')('redis: a server without GETDEL (Redis < 6.2)', () => {
  it('is refused at open with a clear error', async () => {
    // Renaming the command away is how a 6.0 server looks to a client.
    const server = await startLocalServer('redis', { extraArgs: ['--rename-command', 'GETDEL', '""'] });
    try {
      await expect(RedisStore.connect({ url: server.url })).rejects.toThrow(/has no GETDEL command; RedisStore needs Redis >= 6.2/);
    } finally {
      await server.stop();
    }
  });
});
