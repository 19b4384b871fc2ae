// yar on @hapi/catbox-redis 7 × round-trip, replace, pop, id-isolation, copy-semantics, bad-input, model, cross-instance, concurrency, no-resurrection: data with an own "__proto__" key is stored, then every read rejects with "Bad envelope content"
import { Client } from '@hapi/catbox';
import { Engine } from '@hapi/catbox-redis';

const client = new Client(Engine, { url: process.env.REDIS_URL, partition: `repro-${process.pid}` });
await client.start();
const key = { segment: '!@hapi/yar', id: 'session-1' };
await client.set(key, JSON.parse('{"__proto__":{"admin":true}}'), 60_000); // an own "__proto__" key, as JSON.parse makes
let outcome;
try {
  outcome = `get: ${JSON.stringify(await client.get(key))}`;
} catch (error) {
  outcome = `get rejected: ${error.message}`; // stored, never readable
}
await client.drop(key);
await client.stop();
console.log(outcome);
process.exit(outcome.includes('Bad envelope content') ? 0 : 1);
