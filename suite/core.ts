/** Everything but the vitest binding: usable from any runner, or none. */
export { CLAUSE_IDS, DEFAULT_MAX_DATA_BYTES, systemClock } from './contract.js';
export type { ClauseId, ClauseLevel, Clock, IdAlphabet, IdDeclaration, Json, SessionData, SessionStore, StoreDeclarations } from './contract.js';
export { ManualClock } from './clock.js';
export { clauses } from './clauses/index.js';
export type { Clause } from './clause.js';
export type { Capabilities } from './result.js';
export { checkConformance, ConformanceRun } from './run.js';
export { formatFailure } from './format.js';
export type { Cause, ClauseResult, ClauseStatus, ConformanceReport } from './result.js';
export type { LoopDelayCauses } from './loop-watch.js';
export { renderMarkdown, writeReport } from './report.js';
export { renderJUnit } from './junit.js';
export type { ConformanceTarget, StoreFactory } from './target.js';
export type { ConformanceOptions } from './options.js';
export * from '../adapters/index.js';
