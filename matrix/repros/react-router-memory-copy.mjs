// react-router createMemorySessionStorage × copy-semantics: it keeps the objects it was given, so changing one after a commit changes the stored session
import { createMemorySessionStorage } from 'react-router';

const storage = createMemorySessionStorage();
const session = await storage.getSession();
const cart = ['book'];
session.set('cart', cart);
const cookie = (await storage.commitSession(session)).split(';')[0];
cart.push('scribbled'); // the app changes its own array after the commit
const stored = (await storage.getSession(cookie)).get('cart');
console.log('stored cart:', stored); // [ 'book', 'scribbled' ]
process.exit(stored.includes('scribbled') ? 0 : 1);
