export { MemoryStore, type MemoryStoreOptions } from './memory.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { RedisStore, type RedisStoreOptions } from './redis.js';
export { PostgresStore, type PostgresStoreOptions } from './postgres.js';
export { MemcachedStore, memcachedExpiration, type MemcachedStoreOptions } from './memcached.js';
export { assertSessionData, assertValidId, assertValidTtl, assertValidUpdate, decodeSession, encodeSession } from './session-codec.js';
export { connectStore, STORE_URL_FORMS, type ConnectStoreOptions, type ReferenceStore } from './connect.js';
