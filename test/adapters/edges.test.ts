/**
 * The adapters where a store or a framework could disagree with them: misses, errors, promises
 * beside callbacks, the cookie a store receives, the TTL read back from one, and instances.
 */
import session from 'express-session';
import { describe, expect, it } from 'vitest';
import { fromExpressStore, ManualClock, systemClock, toExpressStore, type ExpressStoreLike } from '../../entry/index.js';
import { MemoryStore } from '../../stores/index.js';

type Callback = (error?: unknown, value?: unknown) => void;

/** A connect-style store over a Map, written as stores are: callbacks, JSON, nothing else. */
class MapStore implements ExpressStoreLike {
  readonly sessions = new Map<string, string>();
  readonly received: unknown[] = [];
  get(sid: string, cb: Callback) {
    const json = this.sessions.get(sid);
    setImmediate(cb, null, json === undefined ? null : JSON.parse(json));
  }
  set(sid: string, sess: object, cb: Callback) {
    this.received.push(sess);
    this.sessions.set(sid, JSON.stringify(sess));
    setImmediate(cb);
  }
  destroy(sid: string, cb: Callback) {
    this.sessions.delete(sid);
    setImmediate(cb);
  }
}

const opened = (store: ExpressStoreLike, options = {}) => fromExpressStore(store, options).open({ clock: systemClock });

describe('fromExpressStore', () => {
  it('hands the store express-session’s cookie beside the data, and returns the data alone', async () => {
    const store = new MapStore();
    const adapted = await opened(store);
    const before = Date.now();
    await adapted.set('a', { user: 'ada' }, 60_000);
    const sent = store.received[0] as { cookie: { maxAge: number; expires: Date }; user: string };
    expect(Object.keys(sent)).toEqual(['cookie', 'user']);
    expect(sent.cookie.expires.valueOf() - before).toBeGreaterThanOrEqual(60_000);
    expect(sent.cookie.maxAge).toBeLessThanOrEqual(60_000);
    expect(sent.cookie.maxAge).toBeGreaterThan(59_000);
    const stored = JSON.parse(store.sessions.get('a')!);
    expect(stored).toEqual({ cookie: { originalMaxAge: 60_000, expires: sent.cookie.expires.toISOString(), httpOnly: true, path: '/' }, user: 'ada' });
    expect(await adapted.get('a')).toEqual({ user: 'ada' });
    await expect(adapted.set('a', { cookie: 1 }, 1000)).rejects.toThrow(/"cookie" key/);
  });

  it('reads an ENOENT error as a miss, as express-session does, and any other error as an error', async () => {
    const failing = (code?: string) => Object.assign(new MapStore(), { get: (_: string, cb: Callback) => setImmediate(cb, Object.assign(new Error('boom'), { code })) });
    expect(await (await opened(failing('ENOENT'))).get('a')).toBeUndefined();
    await expect((await opened(failing('ECONNRESET'))).get('a')).rejects.toThrow('boom');
  });

  it('surfaces a store whose async method rejects without calling back, and one that throws', async () => {
    const rejecting = Object.assign(new MapStore(), { get: async () => Promise.reject(new Error('no client')) });
    await expect((await opened(rejecting)).get('a')).rejects.toThrow('no client');
    const throwing = Object.assign(new MapStore(), { destroy: () => { throw new Error('sync'); } });
    await expect((await opened(throwing)).pop('a')).rejects.toThrow('sync');
  });

  it('settles on the callback of a store that also returns a promise (connect-redis)', async () => {
    const both = Object.assign(new MapStore(), { get: async (_: string, cb: Callback) => cb(null, { cookie: {}, n: 1 }) });
    expect(await (await opened(both)).get('a')).toEqual({ n: 1 });
  });

  it('has touch only when the store has it', async () => {
    expect((await opened(new MapStore())).touch).toBeUndefined();
    expect((await opened(new session.MemoryStore())).touch).toBeTypeOf('function');
  });

  it('needs open for a shared backend; lends the store it was given to one instance at a time, and closes only what open built', async () => {
    expect(() => fromExpressStore(new MapStore(), { sharedBackend: true })).toThrow(/sharedBackend needs open/);
    const given = new MapStore();
    const built: MapStore[] = [];
    const closed: MapStore[] = [];
    const target = fromExpressStore(given, { sharedBackend: true, open: () => (built.push(new MapStore()), built.at(-1)!), close: (s) => void closed.push(s) });
    const first = await target.open({ clock: systemClock });
    const second = await target.open({ clock: systemClock });
    await first.set('a', { n: 1 }, 1000);
    await second.set('b', { n: 2 }, 1000);
    expect([...given.sessions.keys()]).toEqual(['a']);
    expect([...built[0]!.sessions.keys()]).toEqual(['b']);
    await first.close!();
    await second.close!();
    expect(closed).toEqual(built);
    await (await target.open({ clock: systemClock })).set('c', { n: 3 }, 1000);
    expect([...given.sessions.keys()]).toEqual(['a', 'c']);
  });
});

describe('toExpressStore', () => {
  /** A reference store on a manual clock started at the wall clock's now, so TTLs are exact to the few ms this test takes. */
  const onClock = () => {
    const clock = new ManualClock(Date.now());
    return { clock, backend: new MemoryStore({ clock }) };
  };
  const call = (fn: (cb: Callback) => void) => new Promise<unknown>((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));

  it.each([
    ['cookie.expires as a Date', (ms: number) => ({ expires: new Date(Date.now() + ms), originalMaxAge: 1 })],
    ['cookie.expires as an ISO string', (ms: number) => ({ expires: new Date(Date.now() + ms).toISOString() })],
    ['cookie.maxAge', (ms: number) => ({ maxAge: ms, originalMaxAge: 1 })],
    ['cookie.originalMaxAge', (ms: number) => ({ originalMaxAge: ms })],
  ])('takes the TTL from %s', async (_, cookie) => {
    const { clock, backend } = onClock();
    const store = toExpressStore(backend);
    await call((cb) => store.set('a', { cookie: cookie(10_000), n: 1 } as never, cb));
    clock.advance(10_000 - 100);
    expect(await call((cb) => store.get('a', cb))).toMatchObject({ n: 1 });
    clock.advance(101);
    expect(await call((cb) => store.get('a', cb))).toBeNull();
  });

  it('falls back to defaultTtlMs, and ends a session whose cookie has already expired', async () => {
    const { clock, backend } = onClock();
    const store = toExpressStore(backend, { defaultTtlMs: 5_000 });
    await call((cb) => store.set('a', { cookie: { expires: null, maxAge: null }, n: 1 } as never, cb));
    await call((cb) => store.set('b', { cookie: {}, n: 1 } as never, cb));
    clock.advance(4_999);
    expect(await backend.get('a')).toEqual({ cookie: { expires: null, maxAge: null }, n: 1 });
    clock.advance(1);
    expect(await backend.get('a')).toBeUndefined();
    expect(await backend.get('b')).toBeUndefined();
    await call((cb) => store.set('c', { n: 1, cookie: {} } as never, cb));
    await call((cb) => store.set('c', { n: 2, cookie: { expires: new Date(Date.now() - 1) } } as never, cb));
    expect(await backend.get('c')).toBeUndefined();
    expect(() => toExpressStore(backend, { defaultTtlMs: 0 })).toThrow(RangeError);
  });

  it('hands a session JSON cannot hold to the callback as an error, never throwing into express-session', async () => {
    const store = toExpressStore(new MemoryStore());
    await expect(call((cb) => store.set('a', { cookie: {}, big: 1n } as never, cb))).rejects.toThrow(TypeError);
  });

  it('is an express-session Store whose touch extends a live session and creates nothing', async () => {
    const { clock, backend } = onClock();
    const store = toExpressStore(backend);
    expect(store).toBeInstanceOf(session.Store);
    await call((cb) => store.set('a', { cookie: { originalMaxAge: 1_000 }, n: 1 } as never, cb));
    clock.advance(900);
    await call((cb) => store.touch!('a', { cookie: { originalMaxAge: 1_000 } } as never, cb as never));
    await call((cb) => store.touch!('gone', { cookie: { originalMaxAge: 1_000 } } as never, cb as never));
    clock.advance(900);
    expect(await backend.get('a')).toMatchObject({ n: 1 });
    expect(await backend.get('gone')).toBeUndefined();
    await call((cb) => store.destroy('a', cb));
    expect(await backend.get('a')).toBeUndefined();
  });
});
