export * from './core.js';
export { runConformance } from './vitest.js';
