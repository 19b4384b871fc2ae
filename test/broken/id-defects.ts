/**
 * Stores that make their own session ids, otherwise correct (the reference MemoryStore), with the
 * id makers that real stores have shipped: they must fail `id-quality` and nothing else.
 */
import { randomBytes } from 'node:crypto';
import type { StoreFactory } from '../../entry/index.js';
import { MemoryStore } from '../../stores/index.js';
import type { Defect } from './defect.js';

/** A MemoryStore whose `createId` is `makeId`. */
function makingIds(name: string, makeId: () => string): StoreFactory {
  return {
    name,
    clock: 'injected',
    open: ({ clock }) => Object.assign(new MemoryStore({ clock }), { createId: async () => makeId() }),
  };
}

const idDefect = (name: string, makeId: () => string): Defect => ({ name, fails: ['id-quality'], target: makingIds(name, makeId) });

export const idDefects: Defect[] = [
  // A counter: unique, and the next user's id is one more than yours.
  idDefect('ids from a counter', ((n) => () => `sess-${++n}`)(1_000_000)),
  // Random but short: 4 bytes, 32 bits, guessed among a million live sessions in about 2^12 tries.
  idDefect('ids of 4 random bytes', () => randomBytes(4).toString('hex')),
  // A timestamp and a little randomness: the time part hardly varies between ids.
  idDefect('ids from the time and Math.random', () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`),
];

/** The same store with ids as express-session makes them (uid-safe, 24 bytes base64url): correct. */
export const goodIds = makingIds('ids of 24 random bytes', () => randomBytes(24).toString('base64url'));
