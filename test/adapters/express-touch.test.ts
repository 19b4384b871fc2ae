/**
 * fromExpressStore's touch on a session whose deadline passes while the store works: express-
 * session's MemoryStore leaves such a session expired and says nothing, so the adapter must not
 * report the touch as taken (it did, and the matrix failed the correct MemoryStore's `touch`
 * under load: a touch begun 18 ms before the deadline reached the store after it).
 */
import session from 'express-session';
import { describe, expect, it } from 'vitest';
import { fromExpressStore } from '../../entry/index.js';

const now = { clock: { now: Date.now } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** express-session's MemoryStore whose touch reaches it `delayMs` late, as on a busy machine. */
function slowTouchStore(delayMs: number) {
  const store = new session.MemoryStore();
  const touch = store.touch.bind(store);
  store.touch = (sid, sess, callback) => void sleep(delayMs).then(() => touch(sid, sess, callback));
  return store;
}

describe('fromExpressStore touch', () => {
  it('reports a touch that reached the store after the deadline as not taken, as the store left the session expired', async () => {
    const store = await fromExpressStore(slowTouchStore(60)).open(now);
    await store.set('s1', { n: 1 }, 20);
    expect(await store.touch!('s1', 60_000)).toBe(false);
    expect(await store.get('s1')).toBeUndefined();
  });

  it('reports a slow touch that reached the store in time as taken', async () => {
    const store = await fromExpressStore(slowTouchStore(60)).open(now);
    await store.set('s1', { n: 1 }, 60_000);
    expect(await store.touch!('s1', 120_000)).toBe(true);
    expect(await store.get('s1')).toEqual({ n: 1 });
  });
});
