/** The matrix's repro runner: what a repro's exit status means, and the headers that say what it backs. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MATRIX_DIR } from '../../matrix/published/packages.js';
import { REPROS_DIR, replayRepro, reproHeader, RACE_NOT_SEEN } from '../../matrix/repros.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('repros');
const backends = { redis: 'redis://127.0.0.1:1', memcached: 'memcached://127.0.0.1:1', postgres: 'postgres://127.0.0.1:1/x', mysql: 'mysql://127.0.0.1:1/x', dir };
const repro = (file: string, header: string, body: string) => writeFileSync(join(dir, file), `${header}\n${body}\n`);

describe('replayRepro', () => {
  it('reads exit 0 as reproduced, RACE_NOT_SEEN as a race not seen this time, anything else as not reproduced', async () => {
    repro('shows.mjs', '// some store × ttl-range, expiry: it keeps a session forever', "console.log('still there'); process.exit(0);");
    repro('race.mjs', '// some store × concurrency: a race', `process.exit(${RACE_NOT_SEEN});`);
    repro('fixed.mjs', '// some store × copy-semantics: keeps references', "console.log('a copy now'); process.exit(1);");
    const [shows, race, fixed] = await Promise.all(['shows.mjs', 'race.mjs', 'fixed.mjs'].map((file) => replayRepro(file, backends, dir)));
    expect(shows).toMatchObject({ column: 'some store', clauses: ['ttl-range', 'expiry'], outcome: 'reproduced', output: 'still there' });
    expect(race).toMatchObject({ clauses: ['concurrency'], outcome: 'race not seen this time' });
    expect(fixed).toMatchObject({ outcome: 'not reproduced', output: 'a copy now' });
  });

  it("gives a repro the run's backends and temp directory", async () => {
    repro('env.mjs', '// some store × round-trip: env', 'console.log(process.env.REDIS_URL, process.env.POSTGRES_URL, process.env.TMPDIR);');
    expect((await replayRepro('env.mjs', backends, dir)).output).toBe(`${backends.redis} ${backends.postgres} ${dir}`);
  });

  it('refuses a repro whose first line does not say what it backs', () => {
    expect(() => reproHeader("import x from 'y';")).toThrow(/a repro starts with/);
    expect(reproHeader('// connect-memcached 3 × no-resurrection: its touch is a set')).toEqual({ column: 'connect-memcached 3', clauses: ['no-resurrection'], defect: 'its touch is a set' });
  });

  // A published store's own repro, where `npm run matrix` (or npm ci --prefix matrix) has installed the matrix's packages.
  it.skipIf(!existsSync(join(MATRIX_DIR, 'node_modules', '@fastify', 'session')))("reproduces @fastify/session MemoryStore's kept references on the real package", async () => {
    const result = await replayRepro('fastify-memory.mjs', backends, REPROS_DIR);
    expect(result).toMatchObject({ column: '@fastify/session MemoryStore', clauses: ['copy-semantics'], outcome: 'reproduced' });
    expect(result.output).toContain("'scribbled'");
  });
});
