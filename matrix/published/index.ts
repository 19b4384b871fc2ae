/** The published stores the matrix judges, one file each, and those it cannot run here. */
import { catboxMemory } from './catbox-memory.js';
import { catboxRedis } from './catbox-redis.js';
import { connectMemcached } from './connect-memcached.js';
import { connectPgSimple } from './connect-pg-simple.js';
import { connectRedis11 } from './connect-redis-11.js';
import { connectRedis7 } from './connect-redis-7.js';
import { connectSessionKnexPostgres, connectSessionKnexSqlite } from './connect-session-knex.js';
import type { PublishedEntry } from './entry.js';
import { expressMysqlSession } from './express-mysql-session.js';
import { expressSessionMemory } from './express-session-memory.js';
import { fastifyMemory } from './fastify-memory.js';
import { memorystore } from './memorystore.js';
import { reactRouterFile } from './react-router-file.js';
import { reactRouterMemory } from './react-router-memory.js';

export type { Backends, PublishedEntry } from './entry.js';

export const PUBLISHED_STORES: readonly PublishedEntry[] = [
  expressSessionMemory,
  memorystore,
  connectRedis11,
  connectRedis7,
  connectPgSimple,
  expressMysqlSession,
  connectSessionKnexPostgres,
  connectSessionKnexSqlite,
  connectMemcached,
  fastifyMemory,
  reactRouterMemory,
  reactRouterFile,
  catboxMemory,
  catboxRedis,
];

/** Published stores the matrix lists without a verdict, so that nobody takes a blank for a pass. */
export const NOT_RUN_HERE: readonly { column: string; backend: string; why: string }[] = [
  {
    column: 'connect-mongo 6',
    backend: 'MongoDB',
    why: 'needs a MongoDB server, and neither registry this project reaches has one: Debian dropped MongoDB, and npm packages such as mongodb-memory-server download the server from fastdl.mongodb.org at install time',
  },
];
