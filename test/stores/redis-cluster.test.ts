/** RedisStore on a Redis Cluster of 3 masters: the whole suite, and what only a cluster can get wrong. */
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../entry/index.js';
import { RedisStore } from '../../stores/index.js';
import { parseClusterUrl } from '../../stores/redis.js';
import { borrowedCluster, REDIS_DRIVERS } from '../support/redis-drivers.js';
import { serverFor } from '../support/servers.js';

const found = await serverFor('redis-cluster');

if ('skip' in found) {
  describe.skip(`RedisStore on a cluster: ${found.skip}`, () => {
    it('needs a Redis Cluster', () => {});
  });
} else {
  const { url } = found.server;
  const { nodes } = parseClusterUrl(url);
  // A prefix of this file's own; keys outside it are canaries the run must not touch.
  const prefix = `conf-${process.pid}:`;
  const canaries: Record<string, string> = { 'other:sess': 'x', [prefix.slice(0, -1)]: 'y', 'conf-*': 'z', 'sess:*?[': 'w', '{a}': 'v', '{b}': 'u' };
  const admin = new Cluster(nodes, { lazyConnect: true });

  /** Keys matching `pattern` per master: SCAN on one node sees only that node's slots, so every master is scanned. */
  async function keysPerMaster(pattern: string): Promise<string[][]> {
    return Promise.all(
      admin.nodes('master').map(async (master) => {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await master.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          keys.push(...batch);
          cursor = next;
        } while (cursor !== '0');
        return keys;
      }),
    );
  }
  // A glob for keys that start with `text`: its glob characters matched literally.
  const startsWith = (text: string) => `${text.replace(/[*?[\]\\]/g, '\\$&')}*`;

  beforeAll(async () => {
    await admin.connect();
    expect(admin.nodes('master')).toHaveLength(3);
    for (const [key, value] of Object.entries(canaries)) await admin.set(key, value);
    expect((await keysPerMaster(startsWith(prefix))).flat()).toEqual([]);
  });

  afterAll(async () => {
    // Cleaned up after itself on every master, and never touched anything outside its prefix.
    expect((await keysPerMaster(startsWith(prefix))).flat()).toEqual([]);
    for (const [key, value] of Object.entries(canaries)) expect(await admin.getdel(key)).toBe(value);
    await admin.quit();
  });

  for (const driver of REDIS_DRIVERS) {
    // Every instance the suite opens is a Cluster client of its own: cross-instance and
    // concurrency run across separate clients, as separate app servers would.
    runConformance({ name: `redis-cluster (${driver})`, ...RedisStore.declares, open: () => RedisStore.connect({ url, prefix, driver }) });

    describe(`RedisStore on a cluster, on ${driver}`, () => {
      it('spreads sessions over the slots of every master, and a pop removes each from its own master', async () => {
        const store = await RedisStore.connect({ url, prefix, driver });
        const ids = Array.from({ length: 60 }, (_, i) => `spread-${i}`);
        for (const id of ids) await store.set(id, { id }, 60_000);
        const perMaster = await keysPerMaster(startsWith(`${prefix}spread-`));
        // 60 keys over 3 masters: each holds some (a uniform hash leaves one empty with odds ~ 3 * (2/3)^60).
        expect(perMaster.map((keys) => keys.length > 0)).toEqual([true, true, true]);
        expect(perMaster.flat().sort()).toEqual(ids.map((id) => prefix + id).sort());
        for (const id of ids) expect(await store.pop(id)).toEqual({ id });
        expect((await keysPerMaster(startsWith(`${prefix}spread-`))).flat()).toEqual([]);
        await store.close();
      });

      it('opens from a `cluster` nodes list, and from an existing cluster client of its kind that it leaves open', async () => {
        const fromNodes = await RedisStore.connect({ cluster: [`${nodes[0]!.host}:${nodes[0]!.port}`], prefix, driver });
        await fromNodes.set('nodes-option', { a: 1 }, 60_000);
        const client = await borrowedCluster(driver, nodes);
        const borrowed = new RedisStore({ client: client.client, prefix });
        expect(borrowed.driver).toBe(driver);
        expect(await borrowed.pop('nodes-option')).toEqual({ a: 1 });
        await borrowed.close();
        expect(await client.ping()).toBe('PONG');
        await client.quit();
        await fromNodes.close();
      });

      it('updates atomically with the one-key script, wherever the key lives', async () => {
        const stores = await Promise.all([0, 1, 2, 3].map(() => RedisStore.connect({ url, prefix, driver })));
        const ids = ['u-a', 'u-b', 'u-c'];
        for (const id of ids) await stores[0]!.set(id, { n: 0 }, 60_000);
        await Promise.all(stores.flatMap((store) => ids.flatMap((id) => Array.from({ length: 5 }, () => store.update(id, (s) => ({ n: (s.n as number) + 1 }), 60_000)))));
        for (const id of ids) expect(await stores[1]!.pop(id)).toEqual({ n: 20 });
        await Promise.all(stores.map((store) => store.close()));
      });
    });
  }
}
