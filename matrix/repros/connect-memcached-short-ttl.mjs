// connect-memcached 3 × ttl-range: a cookie with under 1 s left, on a set or on a touch (which connect-memcached makes a set), gives a TTL of (maxAge / 1000) | 0 = 0 seconds, which memcached reads as "never expires"
import session from 'express-session';
import connectMemcached from 'connect-memcached';

const store = new (connectMemcached(session))({ hosts: new URL(process.env.MEMCACHED_URL).host, prefix: `repro${process.pid}:` });
const call = (method, ...args) => new Promise((r) => store[method](...args, (err, s) => r(s)));
const cookie = (ms) => ({ originalMaxAge: ms, maxAge: ms, expires: new Date(Date.now() + ms) });
await call('set', 'short', { cookie: cookie(500) }); // half a second left
await call('set', 'touched', { cookie: cookie(60_000) });
await call('touch', 'touched', { cookie: cookie(500) }); // a request 500 ms before the end touches it
await new Promise((r) => setTimeout(r, 2000));
const [short, touched] = [await call('get', 'short'), await call('get', 'touched')];
console.log(`maxAge 500 ms, 2 s later: set ${short ? 'still there' : 'gone'}; touched ${touched ? 'still there' : 'gone'}`);
await call('destroy', 'short');
await call('destroy', 'touched');
store.client.end();
process.exit(short && touched ? 0 : 1);
