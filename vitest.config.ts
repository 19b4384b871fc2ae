import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Report failures with the seed; never retry: a flaky property is a bug to fix, not to hide.
    retry: 0,
    // Our own runs are reproducible: one fixed seed unless the environment picks another.
    env: { SESSION_CONFORMANCE_SEED: process.env.SESSION_CONFORMANCE_SEED ?? '20261125' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
