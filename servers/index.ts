/**
 * Test setup, not stores: real Redis, Memcached and Redis Cluster servers for tests, benchmarks
 * and users' CI (found in the environment, started from a binary on PATH, or in a container), and
 * the fault drivers for the `faults` clause, which act on what this module starts.
 */
export * from './provision/index.js';
export { FaultProxy } from './faults/proxy.js';
export { processFaults } from './faults/process.js';
