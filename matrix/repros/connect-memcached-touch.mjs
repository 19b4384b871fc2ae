// connect-memcached 3 × no-resurrection: its touch is a set, so a touch that arrives after the logout brings the session back
import session from 'express-session';
import connectMemcached from 'connect-memcached';

const store = new (connectMemcached(session))({ hosts: new URL(process.env.MEMCACHED_URL).host, prefix: `repro${process.pid}:` });
const sess = { cookie: { originalMaxAge: 60_000, maxAge: 60_000, expires: new Date(Date.now() + 60_000) }, user: 'ada' };
await new Promise((r) => store.set('sid', sess, r));
await new Promise((r) => store.destroy('sid', r)); // the user logs out
await new Promise((r) => store.touch('sid', sess, r)); // a request that loaded the session before the logout ends
const back = await new Promise((r) => store.get('sid', (err, s) => r(s)));
console.log('after logout and a late touch:', back); // { cookie: …, user: 'ada' }
await new Promise((r) => store.destroy('sid', r));
store.client.end();
process.exit(back ? 0 : 1);
