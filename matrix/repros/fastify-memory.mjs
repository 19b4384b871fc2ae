// @fastify/session MemoryStore × copy-semantics: it keeps the session object it was given, so a change after the save changes the stored session
import { MemoryStore } from '@fastify/session';

const store = new MemoryStore();
const session = { cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) }, cart: ['book'] };
await new Promise((r) => store.set('sid', session, r));
session.cart.push('scribbled'); // the app changes the session after the request saved it
const stored = await new Promise((r) => store.get('sid', (err, s) => r(s)));
console.log('stored cart:', stored.cart); // [ 'book', 'scribbled' ]
process.exit(stored.cart.includes('scribbled') ? 0 : 1);
