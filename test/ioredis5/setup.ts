/**
 * Points every worker's `require('ioredis')` at ioredis 5 (see vitest.config.ts): the stores load
 * the driver with require, which Node resolves itself, past Vite's alias. Fails the file unless
 * the stores and the tests then share one ioredis 5.
 */
import nodeModule, { createRequire } from 'node:module';
import { Redis } from 'ioredis';

const dir = process.env.SCC_IOREDIS_DIR!;
nodeModule.registerHooks({
  resolve: (specifier, context, nextResolve) =>
    nextResolve(specifier === 'ioredis' || specifier.startsWith('ioredis/') ? dir + specifier.slice('ioredis'.length) : specifier, context),
});

const fromStores = createRequire(new URL('../../stores/redis-clients/ioredis.ts', import.meta.url));
const { version } = fromStores('ioredis/package.json') as { version: string };
if (!version.startsWith('5.') || (fromStores('ioredis') as typeof import('ioredis')).Redis !== Redis) {
  throw new Error(`the stores load ioredis ${version} from ${fromStores.resolve('ioredis')}, not the tests' ioredis 5 from ${dir}`);
}
