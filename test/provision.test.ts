import { describe, expect, it } from 'vitest';
import { BackendUnavailable, findBinary, isRequired, provision } from '../stores/provision.js';

const NO_BINARIES = { PATH: '/nonexistent' };

describe('provision', () => {
  it('uses the URL the environment names, and does not stop what it did not start', async () => {
    const server = await provision('redis', { env: { REDIS_URL: 'redis://example.invalid:6379' } });
    expect(server).toMatchObject({ source: 'env', url: 'redis://example.invalid:6379' });
    await server.stop();
  });

  it.skipIf(!findBinary('redis-server') && process.env.CI !== 'true')('starts redis-server from PATH on a free loopback port, and stops it', async () => {
    const server = await provision('redis', { env: { PATH: process.env.PATH }, containers: false });
    expect(server.source).toBe('binary');
    expect(server.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    await server.stop();
  });

  it.skipIf(!findBinary('memcached') && process.env.CI !== 'true')('starts memcached from PATH (with -u root when root), and stops it', async () => {
    const server = await provision('memcached', { env: { PATH: process.env.PATH }, containers: false });
    expect(server.source).toBe('binary');
    expect(server.url).toMatch(/^memcached:\/\/127\.0\.0\.1:\d+$/);
    await server.stop();
  });

  it('without a binary or container runtime, names the three ways to provide a server', async () => {
    const error = await provision('memcached', { env: NO_BINARIES }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailable);
    const unavailable = error as BackendUnavailable;
    expect(unavailable.required).toBe(false);
    expect(unavailable.message).toMatch(/no memcached on PATH; (no container runtime answers|container failed)/);
    expect(unavailable.message).toContain('(1) MEMCACHED_URL=memcached://host:port');
    expect(unavailable.message).toContain('(2) memcached on PATH (e.g. apt-get install -y memcached)');
    expect(unavailable.message).toContain('(3) a container runtime');
  });

  it('treats a missing server as a failure under CI=true or SESSION_CONFORMANCE_REQUIRE', async () => {
    expect(isRequired('redis', {})).toBe(false);
    expect(isRequired('redis', { CI: 'true' })).toBe(true);
    expect(isRequired('redis', { SESSION_CONFORMANCE_REQUIRE: 'memcached, redis' })).toBe(true);
    expect(isRequired('redis', { SESSION_CONFORMANCE_REQUIRE: 'memcached' })).toBe(false);
    const error = (await provision('redis', { env: { ...NO_BINARIES, CI: 'true' }, containers: false }).catch((e: unknown) => e)) as BackendUnavailable;
    expect(error.required).toBe(true);
    expect(error.message).toContain('It is required here (CI=true)');
  });
});
