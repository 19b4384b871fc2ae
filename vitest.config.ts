import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Report failures with the seed; never retry: a flaky property is a bug to fix, not to hide.
    retry: 0,
    // Our own runs are reproducible: one fixed seed unless the environment picks another.
    env: { SESSION_CONFORMANCE_SEED: process.env.SESSION_CONFORMANCE_SEED ?? '20261125' },
    // One worker more than cores (Vitest's default is one fewer: a single worker on 2 cores). Most
    // files spend much of their time waiting on servers, real-time clauses or child processes, and
    // the spare worker runs another file meanwhile: on 2 cores, one worker took ~155 s, two ~83 s,
    // three 63-73 s.
    maxWorkers: availableParallelism() + 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
