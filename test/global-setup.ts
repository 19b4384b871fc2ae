/**
 * Starts one Redis, one Redis Cluster, one Memcached and one PostgreSQL for the whole run when the
 * environment names none, and hands their URLs to the test files through REDIS_URL /
 * REDIS_CLUSTER_URL / MEMCACHED_URL / POSTGRES_URL. (MariaDB, slow to initialize and used by no
 * store of this package, is started by the files that need it.) A backend that cannot be had is left unset: each file then skips (or, when
 * required, fails) with the reason. It also names the directory where test/support/pack.ts makes
 * the run's one build, one tarball and one consumer install, and removes it afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendUnavailable, provision, type Backend, type ProvisionedServer } from '../servers/index.js';

const started: ProvisionedServer[] = [];
// Outside the checkout: test/support/pack.ts installs a consumer project there too.
const buildDir = mkdtempSync(join(tmpdir(), 'scc-test-run-'));
const ENV: Partial<Record<Backend, string>> = { redis: 'REDIS_URL', 'redis-cluster': 'REDIS_CLUSTER_URL', memcached: 'MEMCACHED_URL', postgres: 'POSTGRES_URL' };

export async function setup(): Promise<void> {
  process.env.SCC_TEST_BUILD_DIR = buildDir;
  // In parallel: the cluster alone takes about 2 s to form.
  await Promise.all(
    (Object.keys(ENV) as Backend[]).map(async (backend) => {
      const variable = ENV[backend]!;
      if (process.env[variable]) return;
      try {
        const server = await provision(backend, { containers: false });
        started.push(server);
        process.env[variable] = server.url;
      } catch (error) {
        if (!(error instanceof BackendUnavailable)) throw error;
      }
    }),
  );
}

export async function teardown(): Promise<void> {
  rmSync(buildDir, { recursive: true, force: true });
  await Promise.all(started.map((s) => s.stop()));
}
