/**
 * The third way to a server: a container through testcontainers, for Redis, Memcached and a Redis
 * Cluster, each used for real by the reference store. Where Docker Hub cannot be reached the images
 * come from SESSION_CONFORMANCE_REDIS_IMAGE / SESSION_CONFORMANCE_MEMCACHED_IMAGE
 * (scripts/server-image.sh builds one). Runs when a container runtime answers and the images can be
 * had, and fails instead of skipping when SESSION_CONFORMANCE_REQUIRE names `containers` (as
 * .ci/run does once it has started an engine).
 */
import { createConnection } from 'node:net';
import { getContainerRuntimeClient, ImageName } from 'testcontainers';
import { afterAll, describe, expect, it } from 'vitest';
import { containerImage, provision, type Backend, type ProvisionedServer } from '../servers/index.js';
import { MemcachedStore, RedisStore } from '../stores/index.js';
import { runConformance } from '../entry/index.js';

/** Binaries hidden, so that the provisioning has only the container left to try. */
const ENV: NodeJS.ProcessEnv = { ...process.env, PATH: '/nonexistent' };
for (const name of ['REDIS_URL', 'REDIS_CLUSTER_URL', 'MEMCACHED_URL']) delete ENV[name];

const required = (process.env.SESSION_CONFORMANCE_REQUIRE ?? '').split(',').map((s) => s.trim()).includes('containers');

/**
 * Why containers cannot be had here, if they cannot: no runtime answers, or an image is neither
 * present nor pullable (an engine with no way to Docker Hub). Both say what the machine lacks, so
 * they skip the file, unless it is required.
 */
async function whyNoContainers(): Promise<string | undefined> {
  let client: Awaited<ReturnType<typeof getContainerRuntimeClient>>;
  try {
    client = await getContainerRuntimeClient();
  } catch (error) {
    return `no container runtime answers (${(error as Error).message.split('\n')[0]})`;
  }
  for (const name of new Set([containerImage('redis', ENV), containerImage('memcached', ENV)])) {
    const image = ImageName.fromString(name);
    if (await client.image.exists(image)) continue;
    try {
      await client.image.pull(image);
    } catch (error) {
      return `image ${name} is not here and cannot be pulled (${(error as Error).message.trim().split('\n')[0]}); SESSION_CONFORMANCE_REDIS_IMAGE / SESSION_CONFORMANCE_MEMCACHED_IMAGE name others`;
    }
  }
  return undefined;
}
const noRuntime = await whyNoContainers();

/** Resolves whether anything accepts a connection at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1000, () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
  });
}

async function inContainer(backend: Backend): Promise<ProvisionedServer> {
  const server = await provision(backend, { env: ENV });
  expect(server.source).toBe('container');
  return server;
}

/** Stops the server and shows that nothing serves at any of its addresses any more. */
async function stopAndCheck(server: ProvisionedServer): Promise<void> {
  await server.stop();
  for (const address of server.url.replace(/^[a-z+]+:\/\//, '').split(',')) {
    const [host, port] = address.split(':') as [string, string];
    expect(await accepts(host, Number(port)), `${address} after stop`).toBe(false);
  }
}

if (noRuntime && !required) {
  describe.skip(`servers in containers: ${noRuntime}`, () => {
    it('needs Docker or Podman, and the images', () => {});
  });
} else {
  describe('servers in containers', () => {
    it('has a container runtime and the images, as SESSION_CONFORMANCE_REQUIRE=containers demands', () => {
      expect(noRuntime).toBeUndefined();
    });

    it.each([
      ['RedisStore', 'redis', (url: string) => RedisStore.connect({ url, prefix: 'containers:' })],
      ['MemcachedStore', 'memcached', (url: string) => MemcachedStore.connect({ url, prefix: 'containers:' })],
    ] as const)('serves %s from a %s container, and stops it', async (_, backend, connect) => {
      const server = await inContainer(backend);
      const store = await connect(server.url);
      try {
        await store.set('a', { n: 1 }, 60_000);
        expect(await store.pop('a')).toEqual({ n: 1 });
        expect(await store.get('a')).toBeUndefined();
      } finally {
        await store.close();
      }
      await stopAndCheck(server);
    });
  });

  // A cluster's clients follow the addresses its nodes announce: the whole suite, with a Cluster
  // client per instance, shows that those addresses reach the container from here.
  const cluster = noRuntime ? undefined : await inContainer('redis-cluster');
  if (cluster) {
    afterAll(() => stopAndCheck(cluster));
    runConformance({ name: 'redis-cluster in a container', ...RedisStore.declares, open: () => RedisStore.connect({ url: cluster.url, prefix: 'containers:' }) });
  }
}
