import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Report failures with the seed; never retry: a flaky property is a bug to fix, not to hide.
    retry: 0,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
