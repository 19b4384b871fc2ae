/**
 * fromKoaStore speaks to a store exactly as koa-session does: a real Koa app with koa-session over
 * real HTTP and the adapter both talk to one recording store, and what the store receives from
 * each must agree. A koa store over a reference store then passes the suite.
 */
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import session from 'koa-session';
import { afterAll, describe, expect, it } from 'vitest';
import { fromKoaStore, runConformance, systemClock, type KoaStoreLike } from '../../entry/index.js';
import { MemoryStore } from '../../stores/index.js';

/** koa-session's default maxAge, which the app below keeps (so `get` receives `undefined` for it). */
const ONE_DAY_MS = 86_400_000;

type Call = [method: 'get' | 'set' | 'destroy', ...args: unknown[]];

/** A koa-session store over a Map, as koa-session's README sketches one, that records every call. */
class RecordingKoaStore implements KoaStoreLike {
  readonly calls: Call[] = [];
  readonly #sessions = new Map<string, string>();
  async get(key: string, maxAge: number | undefined, options: object) {
    this.calls.push(['get', key, maxAge, options]);
    const json = this.#sessions.get(key);
    return json === undefined ? undefined : JSON.parse(json);
  }
  async set(key: string, sess: object, maxAge: number, options: object) {
    this.calls.push(['set', key, JSON.parse(JSON.stringify(sess)), maxAge, options]);
    this.#sessions.set(key, JSON.stringify(sess));
  }
  async destroy(key: string, options: object) {
    this.calls.push(['destroy', key, options]);
    this.#sessions.delete(key);
  }
}

/**
 * A call with what differs by nature between two sessions made at different times blanked out:
 * the key, the instant `_expire`, and the request context (the adapter serves no request).
 */
function shape([method, ...args]: Call): unknown {
  const blank = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const copy: Record<string, unknown> = { ...value };
    if ('_expire' in copy) copy._expire = typeof copy._expire;
    if ('ctx' in copy) copy.ctx = 'ctx';
    return copy;
  };
  return [method, ...args.slice(1).map(blank)];
}

async function koaApp(store: RecordingKoaStore) {
  const app = new Koa();
  app.keys = ['conformance'];
  app.use(session({ store }, app));
  app.use((ctx) => {
    if (ctx.path === '/login') ctx.session!.user = 'ada';
    if (ctx.path === '/logout') ctx.session = null;
    ctx.body = { user: ctx.session?.user ?? null };
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async request(path: string, cookie?: string) {
      const response = await fetch(base + path, { headers: cookie ? { cookie } : {} });
      // koa-session's cookie and its signature: what a browser would send back.
      const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]!);
      return { body: await response.json(), cookie: cookies.length > 0 ? cookies.join('; ') : cookie };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('fromKoaStore', () => {
  const store = new RecordingKoaStore();
  let app: Awaited<ReturnType<typeof koaApp>> | undefined;
  afterAll(() => app?.close());

  it('hands the store what koa-session hands it: login, a visit, logout', async () => {
    app = await koaApp(store);
    const login = await app.request('/login');
    expect(login.body).toEqual({ user: 'ada' });
    expect((await app.request('/', login.cookie)).body).toEqual({ user: 'ada' });
    expect((await app.request('/logout', login.cookie)).body).toEqual({ user: null });
    const fromKoa = store.calls.splice(0);
    expect(fromKoa.map(([method]) => method)).toEqual(['set', 'get', 'get', 'destroy']);

    // The same steps through the adapter, with the TTL koa-session saved with.
    const adapted = await fromKoaStore(store).open({ clock: systemClock });
    await adapted.set('k', { user: 'ada' }, ONE_DAY_MS);
    expect(await adapted.get('k')).toEqual({ user: 'ada' });
    expect(await adapted.pop('k')).toEqual({ user: 'ada' });
    const fromAdapter = store.calls.splice(0);
    expect(fromAdapter.map(shape)).toEqual([fromKoa[0]!, fromKoa[1]!, fromKoa[2]!, fromKoa[3]!].map(shape));
    // Which is, spelled out: the data with koa-session's own keys, and the store outliving the cookie by 10 s.
    expect(fromAdapter[0]).toEqual(['set', 'k', { user: 'ada', _expire: expect.any(Number), _maxAge: ONE_DAY_MS }, ONE_DAY_MS + 10_000, { changed: true, ctx: undefined, rolling: false }]);
  });

  it('drops a session whose _expire has passed, as koa-session does, whatever the store still holds', async () => {
    const adapted = await fromKoaStore(store).open({ clock: systemClock });
    await store.set('old', { user: 'ada', _expire: Date.now() - 1, _maxAge: 1 }, 10_000, { changed: true, ctx: undefined, rolling: false });
    expect(await adapted.get('old')).toBeUndefined();
    await expect(adapted.set('k', { _maxAge: 1 }, 1000)).rejects.toThrow(TypeError);
    await adapted.pop('old');
  });
});

/** A koa-session store over a reference store: the TTL koa-session asks for, in ms. */
const koaStoreOver = (backend: MemoryStore): KoaStoreLike => ({
  get: (key) => backend.get(key),
  set: (key, sess, maxAge) => backend.set(key, sess as never, maxAge),
  destroy: (key) => backend.pop(key),
});

const backend = new MemoryStore();
runConformance(fromKoaStore(koaStoreOver(backend), { name: 'koa store over MemoryStore', sharedBackend: true, open: () => koaStoreOver(backend) }));
