/**
 * Starts one Redis and one Memcached for the whole run when the environment names none, and hands
 * their URLs to the test files through REDIS_URL / MEMCACHED_URL. A backend that cannot be had
 * is left unset: each file then skips (or, when required, fails) with the reason.
 */
import { BackendUnavailable, provision, type Backend, type Server } from '../stores/provision.js';

const started: Server[] = [];
const ENV: Record<Backend, string> = { redis: 'REDIS_URL', memcached: 'MEMCACHED_URL' };

export async function setup(): Promise<void> {
  for (const backend of ['redis', 'memcached'] as const) {
    if (process.env[ENV[backend]]) continue;
    try {
      const server = await provision(backend, { containers: false });
      started.push(server);
      process.env[ENV[backend]] = server.url;
    } catch (error) {
      if (!(error instanceof BackendUnavailable)) throw error;
    }
  }
}

export async function teardown(): Promise<void> {
  await Promise.all(started.map((s) => s.stop()));
}
