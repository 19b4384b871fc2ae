/**
 * toExpressStore end to end: a real express 5 app with express-session, over real HTTP, on the
 * reference Redis and SQLite stores. Cookies are carried by hand, as a browser would.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import session from 'express-session';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toExpressStore } from '../../adapters/index.js';
import { RedisStore, SqliteStore } from '../../stores/index.js';
import type { SessionStore } from '../../suite/contract.js';
import { serverFor } from '../support/servers.js';
import { tempDir } from '../support/temp-dir.js';

declare module 'express-session' {
  interface SessionData {
    user: string;
    views: number;
  }
}

const MAX_AGE_MS = 60_000;

/** A backend under test: the store, and where its expiry for a session id can be read directly. */
interface Backend {
  store: SessionStore;
  expiresAt(sid: string): Promise<number>;
  close(): Promise<void>;
}

/** Resolves when released: a request handler waits on it, so a race happens in a chosen order. */
function gate(): { wait: Promise<void>; release(): void } {
  let release!: () => void;
  const wait = new Promise<void>((resolve) => (release = resolve));
  return { wait, release };
}

async function startApp(store: SessionStore) {
  const app = express();
  app.use(session({ store: toExpressStore(store), secret: 'conformance', resave: false, saveUninitialized: false, rolling: true, cookie: { maxAge: MAX_AGE_MS } }));
  let slow = gate();
  let slowStarted = gate();
  app.post('/login', (req, res) => {
    req.session.user = 'ada';
    req.session.views = 0;
    res.json({ user: req.session.user });
  });
  app.get('/view', (req, res) => {
    if (!req.session.user) return void res.status(401).json({});
    req.session.views = (req.session.views ?? 0) + 1;
    res.json({ views: req.session.views });
  });
  // Reads and never modifies: express-session touches the session afterwards.
  app.get('/whoami', async (req, res) => {
    if (req.query.slow) {
      slowStarted.release();
      await slow.wait;
    }
    if (!req.session.user) return void res.status(401).json({});
    res.json({ user: req.session.user, views: req.session.views });
  });
  app.post('/logout', (req, res, next) => req.session.destroy((error) => (error ? next(error) : res.json({ loggedOut: true }))));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    /** One request; the browser's cookie jar is a string the caller passes and keeps. */
    async request(method: string, path: string, cookie?: string) {
      const response = await fetch(base + path, { method, headers: cookie ? { cookie } : {} });
      const setCookie = response.headers.get('set-cookie');
      return { status: response.status, body: await response.json(), cookie: setCookie?.split(';')[0] };
    },
    /** The next `/whoami?slow=1` waits for release() after loading its session. */
    slowRequest() {
      slow = gate();
      slowStarted = gate();
      return { started: slowStarted.wait, release: () => slow.release() };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The session id inside express-session's signed cookie `connect.sid=s:<id>.<signature>`. */
function sessionId(cookie: string): string {
  return decodeURIComponent(cookie.split('=')[1]!).replace(/^s:/, '').replace(/\.[^.]*$/, '');
}

function journey(name: string, openBackend: () => Promise<Backend>) {
  describe(`an express app on toExpressStore(${name})`, () => {
    let backend: Backend;
    let app: Awaited<ReturnType<typeof startApp>>;
    beforeAll(async () => {
      backend = await openBackend();
      app = await startApp(backend.store);
    });
    afterAll(async () => {
      await app?.close();
      await backend?.close();
    });

    it('logs in, counts page views, and logs out for good', async () => {
      expect((await app.request('GET', '/view')).status).toBe(401);
      const login = await app.request('POST', '/login');
      expect(login.body).toEqual({ user: 'ada' });
      const cookie = login.cookie!;
      const sid = sessionId(cookie);
      // express-session's Cookie sets expires = now + maxAge, then reads originalMaxAge back as
      // expires - now: a millisecond that ticks between the two gives 59999, not the store's doing.
      expect(await backend.store.get(sid)).toMatchObject({ user: 'ada', views: 0, cookie: { originalMaxAge: expect.toSatisfy((ms: number) => ms === MAX_AGE_MS || ms === MAX_AGE_MS - 1) } });
      for (const views of [1, 2, 3]) expect((await app.request('GET', '/view', cookie)).body).toEqual({ views });
      expect((await app.request('GET', '/whoami', cookie)).body).toEqual({ user: 'ada', views: 3 });
      expect((await app.request('POST', '/logout', cookie)).body).toEqual({ loggedOut: true });
      expect(await backend.store.get(sid)).toBeUndefined();
      expect((await app.request('GET', '/whoami', cookie)).status).toBe(401);
      // Logging out again (a second tab) is harmless.
      expect((await app.request('POST', '/logout', cookie)).status).toBe(200);
    });

    it('keeps the store TTL from the cookie and rolls it forward on a request that only reads', async () => {
      const { cookie } = await app.request('POST', '/login');
      const sid = sessionId(cookie!);
      const before = await backend.expiresAt(sid);
      expect(before - Date.now()).toBeGreaterThan(MAX_AGE_MS - 2_000);
      expect(before - Date.now()).toBeLessThanOrEqual(MAX_AGE_MS);
      await new Promise((resolve) => setTimeout(resolve, 60));
      const read = await app.request('GET', '/whoami', cookie);
      // rolling: the cookie is sent again, and express-session touched the session in the store.
      expect(read.cookie).toBe(cookie);
      expect(await backend.expiresAt(sid)).toBeGreaterThanOrEqual(before + 50);
      expect(await backend.store.get(sid)).toMatchObject({ user: 'ada', views: 0 });
      await app.request('POST', '/logout', cookie);
    });

    it('stays logged out when a request that loaded the session finishes after the logout', async () => {
      const { cookie } = await app.request('POST', '/login');
      const sid = sessionId(cookie!);
      const slow = app.slowRequest();
      const inFlight = app.request('GET', '/whoami?slow=1', cookie);
      // The slow request has loaded the session; the logout now completes before it finishes.
      await slow.started;
      expect((await app.request('POST', '/logout', cookie)).body).toEqual({ loggedOut: true });
      slow.release();
      // It still answers from what it loaded, and then express-session touches a session that is gone.
      expect((await inFlight).body).toEqual({ user: 'ada', views: 0 });
      expect(await backend.store.get(sid)).toBeUndefined();
      expect((await app.request('GET', '/whoami', cookie)).status).toBe(401);
    });
  });
}

const redis = await serverFor('redis');
if ('skip' in redis) {
  describe.skip(`express app on RedisStore: ${redis.skip}`, () => {
    it('needs a Redis server', () => {});
  });
} else {
  const prefix = `express-app-${process.pid}:`;
  journey('RedisStore', async () => {
    const store = await RedisStore.connect({ url: redis.server.url, prefix });
    const admin = new Redis(redis.server.url);
    return {
      store,
      expiresAt: async (sid) => Date.now() + (await admin.pttl(prefix + sid)),
      close: async () => {
        await store.close();
        await admin.quit();
      },
    };
  });
}

journey('SqliteStore', async () => {
  const path = join(tempDir('express-app'), 'sessions.db');
  const store = new SqliteStore({ path });
  const reader = new Database(path, { readonly: true });
  const expiry = reader.prepare<[string], { expires_at: number }>('SELECT expires_at FROM sessions WHERE id = ?');
  return {
    store,
    expiresAt: async (sid) => expiry.get(sid)!.expires_at,
    close: async () => {
      reader.close();
      await store.close();
    },
  };
});
