export { MemoryStore, type MemoryStoreOptions } from './memory.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { assertSessionData, assertValidId, assertValidTtl, decodeSession, encodeSession } from './session-codec.js';
