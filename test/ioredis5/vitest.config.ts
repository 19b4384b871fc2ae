/**
 * The Redis test files on ioredis 5, the low end of the peer range (the dev install has ioredis 6):
 * `npm run test:ioredis5`. The latest 5.x is installed once into .tmp/ioredis5; the tests' imports
 * take it through the alias, the stores' require through the hook in setup.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

const root = resolve(import.meta.dirname, '../..');
const prefix = join(root, '.tmp', 'ioredis5');
const ioredis = join(prefix, 'node_modules', 'ioredis');
if (!existsSync(ioredis)) {
  execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', 'ioredis@5'], { stdio: 'inherit' });
}
const { version } = JSON.parse(readFileSync(join(ioredis, 'package.json'), 'utf8')) as { version: string };
console.log(`ioredis ${version} from ${ioredis}`);

export default defineConfig({
  ...base,
  root,
  resolve: { alias: { ioredis } },
  test: {
    ...base.test,
    include: ['test/stores/redis.test.ts', 'test/stores/redis-cluster.test.ts', 'test/fault-injection-redis.test.ts', 'test/fault-injection-cluster.test.ts', 'test/connect-store.test.ts'],
    setupFiles: ['test/ioredis5/setup.ts'],
    env: { ...base.test?.env, SCC_IOREDIS_DIR: ioredis },
  },
});
