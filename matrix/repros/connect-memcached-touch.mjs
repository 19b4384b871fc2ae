// connect-memcached 3 × no-resurrection, concurrency: its touch is a set of the session the request loaded, so a late touch brings back a logged-out session, or an older version over a newer save
import session from 'express-session';
import connectMemcached from 'connect-memcached';

const store = new (connectMemcached(session))({ hosts: new URL(process.env.MEMCACHED_URL).host, prefix: `repro${process.pid}:` });
const call = (method, ...args) => new Promise((r) => store[method](...args, (err, s) => r(s)));
const sess = (step) => ({ cookie: { originalMaxAge: 60_000, maxAge: 60_000, expires: new Date(Date.now() + 60_000) }, step });
await call('set', 'sid', sess(1)); // request A loads step 1 …
await call('destroy', 'sid'); // … the user logs out meanwhile …
await call('touch', 'sid', sess(1)); // … and A ends with express-session's touch
const revived = await call('get', 'sid');
await call('set', 'sid', sess(2)); // request B saves step 2, then A's late touch of step 1 lands
await call('touch', 'sid', sess(1));
const stale = await call('get', 'sid');
console.log('after logout and a late touch:', revived?.step, '; after a save of step 2 and a late touch:', stale?.step); // 1 ; 1
await call('destroy', 'sid');
store.client.end();
process.exit(revived && stale?.step === 1 ? 0 : 1);
