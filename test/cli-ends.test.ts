/**
 * The commands end, with the right code, on stores that hold handles (a node-redis client, a
 * timer, a listening server), that throw from a callback, that hang, and on misuse; and a failing
 * run leaves nothing behind on a real SQLite file or Redis. Each run is a real process of the
 * built command; a run still going long after its verdict is killed, which fails the test.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBuild } from './support/pack.js';
import { tempDir } from './support/temp-dir.js';

const root = resolve(import.meta.dirname, '..');
const out = join(root, '.tmp', `cli-ends-${process.pid}`);
const fixtures = join(root, 'test', 'fixtures', 'ends');
const fixture = (name: string) => join(fixtures, name);
const redisUrl = process.env.REDIS_URL;

/** How long a command may still run once it printed its verdict (or, for a run with none, at all). */
const AFTER_VERDICT_MS = 20_000;
/** A bound on a whole run, far above what these runs take, so that a hang fails instead of waiting for vitest. */
const WHOLE_RUN_MS = 150_000;

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a built command. Once its verdict is printed (or the line that ends a run with none), a
 * kill timer starts: if it fires, the command did not end, and the promise rejects with what it printed.
 */
function runCommand(command: string, args: string[], env: Record<string, string> = {}, cwd = out): Promise<Ended> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [command, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', SESSION_CONFORMANCE_REPORT_DIR: '', ...env } });
    let stdout = '';
    let stderr = '';
    let killer: NodeJS.Timeout | undefined;
    const kill = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`${why}; it printed:\n${stdout}\n${stderr}`));
    };
    const whole = setTimeout(() => kill(`still running after ${WHOLE_RUN_MS} ms`), WHOLE_RUN_MS);
    const watchVerdict = () => {
      if (killer === undefined && /verdict: |wrote the report to/.test(stdout + stderr)) killer = setTimeout(() => kill(`still running ${AFTER_VERDICT_MS} ms after its verdict`), AFTER_VERDICT_MS);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      watchVerdict();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      watchVerdict();
    });
    child.on('close', (code) => {
      clearTimeout(whole);
      clearTimeout(killer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

const check = (args: string[], env?: Record<string, string>) => runCommand(join(out, 'cli', 'conformance.js'), ['check', ...args], env);

beforeAll(async () => {
  await copyBuild(out);
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the conformance command ends, whatever the store holds', () => {
  it('a store that keeps a timer: the verdict, one line naming the timer and the fix, exit 0', async () => {
    const { code, stdout, stderr } = await check([fixture('holds-timer.mjs'), '--only', 'round-trip,absent', '--runs', '5']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('verdict: passes');
    expect(stderr).toMatch(/session-store-conformance: the store left 1 timer open after the run \(Timeout\); exiting with 0 anyway\. Close them in the close\(\) of your target .* or of your store \(store\.close\(\)\)/);
  });

  it('a module that leaves a server listening: named, unless the target closes it', async () => {
    const left = await check([fixture('holds-server.mjs'), '--only', 'round-trip', '--runs', '5']);
    expect(left.code, left.stderr).toBe(0);
    expect(left.stderr).toContain('the store left 1 server open after the run (TCPServerWrap)');
    const closed = await check([fixture('holds-server.mjs'), '--only', 'round-trip', '--runs', '5'], { FIXTURE_CLOSE: '1' });
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stderr).not.toContain('left');
  });

  it.skipIf(!redisUrl)('a store on a node-redis client: its socket is named, unless the store closes the client', async () => {
    const left = await check([fixture('redis-store.mjs'), '--only', 'round-trip,pop', '--runs', '5'], { FIXTURE_PREFIX: `ends-left-${process.pid}:` });
    expect(left.code, left.stderr).toBe(0);
    expect(left.stderr).toMatch(/the store left 1 socket open after the run \(TCPSocketWrap\)/);
    const closed = await check([fixture('redis-store.mjs'), '--only', 'round-trip,pop', '--runs', '5'], { FIXTURE_CLOSE: '1', FIXTURE_PREFIX: `ends-closed-${process.pid}:` });
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stderr).not.toContain('left');
  });

  it('a store that throws from its own callback: the clause that was running fails with the error and the call, the others pass, exit 1', async () => {
    const { code, stdout, stderr } = await check([fixture('throws-from-callback.mjs'), '--only', 'round-trip,pop,atomic-pop', '--runs', '5']);
    expect(code, stderr).toBe(1);
    expect(stdout).toMatch(/^round-trip\s+MUST\s+pass/m);
    expect(stdout).toMatch(/^pop\s+MUST\s+pass/m);
    expect(stdout).toMatch(/^atomic-pop\s+\w+\s+FAIL/m);
    expect(stdout).toMatch(/store code threw an Error: SQLITE_BUSY: database is locked, in a callback, timer or promise of store\.set\("scc-[0-9a-f]+-\d+-logout", \{.*\}, \d+\), instead of rejecting that call's promise/);
    expect(stdout).toContain('throws-from-callback.mjs');
    expect(stdout).toContain('verdict: FAILS');
  });

  it('store code that throws after the run, as the store closes: said, and the exit code is the verdict\'s', async () => {
    const { code, stderr } = await check([fixture('throws-on-close.mjs'), '--only', 'round-trip', '--runs', '5']);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('session-store-conformance: store code threw while no clause was running, which does not change the outcome: an Error: socket closed while a reply was pending');
  });

  it('a call that never settles: the per-call timeout fails its clause, and the command ends, exit 1', async () => {
    const { code, stdout, stderr } = await check([fixture('hangs.mjs'), '--only', 'round-trip', '--runs', '5']);
    expect(code, stderr).toBe(1);
    expect(stdout).toMatch(/store\.get\(.*\) did not settle within 10000 ms/);
    expect(stdout).toContain('verdict: FAILS');
  });
});

describe('exit code 2: misuse, load errors and unreachable setups, each said at once', () => {
  it.each([
    [[fixture('holds-server.mjs'), '--koa'], /--koa: the module exports a conformance target \(\{ name, open\(\) \}\), not a koa-session store; run it without --koa/],
    [[fixture('holds-timer.mjs'), '--express'], /--express: fromExpressStore: the store has no destroy method; it is a SessionStore \(get, set, pop\), which the suite checks as it is: run it without --express/],
    [[fixture('throws-on-import.mjs')], /could not load .*throws-on-import\.mjs: SESSION_DB is not set/],
    [[fixture('missing-peer.mjs')], /could not load .*missing-peer\.mjs: Cannot find package 'session-store-conformance-absent-driver'/],
    [[fixture('unreachable.mjs')], /could not open store "unreachable": connect ECONNREFUSED 127\.0\.0\.1:1/],
    [['redis://127.0.0.1:1'], /RedisStore could not use redis:\/\/127\.0\.0\.1:1/],
    [['memcached://localhost:99999'], /port 99999 is outside 1-65535 in "memcached:\/\/localhost:99999"/],
  ])('%j', async (args, message) => {
    const { code, stderr } = await check(args as string[]);
    expect(stderr).toMatch(message);
    expect(code, stderr).toBe(2);
  });

  it('a misuse on a module that holds handles still ends, naming them', async () => {
    const { code, stderr } = await check([fixture('holds-server.mjs'), '--koa']);
    expect(code).toBe(2);
    expect(stderr).toContain('the store left 1 server open after the run (TCPServerWrap); exiting with 2 anyway');
  });

  it('without memjs installed, a malformed memcached URL is reported as malformed, not as a missing driver', async () => {
    // The built command alone, with fast-check its only package: memjs cannot be found.
    const bare = join(tmpdir(), `scc-bare-${process.pid}`);
    cpSync(out, bare, { recursive: true });
    mkdirSync(join(bare, 'node_modules'));
    symlinkSync(join(root, 'node_modules', 'fast-check'), join(bare, 'node_modules', 'fast-check'));
    try {
      const cli = join(bare, 'cli', 'conformance.js');
      for (const [url, message] of [
        ['memcached://localhost:99999', 'port 99999 is outside 1-65535'],
        ['memcached://a b:11211', 'a Memcached URL is a comma-separated list of host:port'],
      ] as const) {
        const { code, stderr } = await runCommand(cli, ['check', url], {}, bare);
        expect(stderr).toContain(message);
        expect(stderr).not.toContain('memjs');
        expect(code).toBe(2);
      }
      const valid = await runCommand(cli, ['check', 'memcached://localhost:11211'], {}, bare);
      expect(valid.stderr).toContain('MemcachedStore needs memjs: npm install memjs@1');
      expect(valid.code).toBe(2);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});

describe('a failing run leaves nothing behind', () => {
  it('on a SQLite file, through an express-session store whose reads fail mid-clause', async () => {
    const db = join(tempDir('ends-sqlite'), 'sessions.db');
    const { code, stdout, stderr } = await check([fixture('sqlite-express.cjs'), '--only', 'round-trip,replace,pop,ttl-range,model', '--runs', '10'], { FIXTURE_DB: db });
    expect(code, stderr).toBe(1);
    expect(stdout).toContain('SQLITE_CORRUPT');
    // The store's close() ran: nothing was left open.
    expect(stderr).not.toContain('left');
    const sqlite = new Database(db, { readonly: true });
    try {
      expect(sqlite.prepare('SELECT sid, expire FROM sessions').all()).toEqual([]);
    } finally {
      sqlite.close();
    }
  });

  it.skipIf(!redisUrl)('on Redis, through a store whose reads, and so its pops, fail mid-clause', async () => {
    const prefix = `ends-broken-${process.pid}:`;
    const { code, stdout, stderr } = await check([fixture('redis-store.mjs'), '--only', 'round-trip,replace,pop,ttl-range,concurrency', '--runs', '10'], { FIXTURE_BREAK: '1', FIXTURE_CLOSE: '1', FIXTURE_PREFIX: prefix });
    expect(code, stderr).toBe(1);
    expect(stdout).toContain('the stored session could not be decoded');
    const client = await createClient({ url: redisUrl }).connect();
    try {
      expect(await client.keys(`${prefix}*`)).toEqual([]);
    } finally {
      await client.quit();
    }
  });
});

describe('the bench command ends the same way', () => {
  it('closes what a --store module exported, names what it left open, and exits', async () => {
    const args = ['--stores', 'memory', '--workloads', 'session-mix', '--concurrency', '1', '--duration', '40', '--warmup', '10', '--runs', '1', '--sessions', '100', '--no-open-loop', '--no-machinery', '--out', join(out, 'bench-ends')];
    const bench = join(out, 'bench', 'cli.js');
    const left = await runCommand(bench, [...args, '--store', fixture('holds-timer.mjs')]);
    expect(left.code, left.stderr).toBe(0);
    expect(left.stderr).toContain('bench: the store left 1 timer open after the run (Timeout); exiting with 0 anyway');
    const closed = await runCommand(bench, [...args, '--store', fixture('holds-server.mjs')], { FIXTURE_CLOSE: '1' });
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stderr).not.toContain('left');
  });
});
