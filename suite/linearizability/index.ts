/**
 * The history checker on its own (`session-store-conformance/linearizability`): record what
 * concurrent clients did, check that one register per session id explains it, and render a
 * violation. Nothing here needs a test runner or a store.
 */
export { checkHistory, DEFAULT_MAX_TRIES, TRIES_PER_OPERATION } from './search.js';
export type { Anomaly, CheckOptions, CheckResult, Undecided, Violation } from './search.js';
export { classify } from './anomalies.js';
export { describeViolation, timeline } from './render.js';
export { deadlineWindow } from './deadline.js';
export type { DeadlineWindow, Stamp } from './deadline.js';
export { monotonicClock, monotonicNow, recordOp, sequenceClock } from './history.js';
export type { History, HistoryClock, OpName, Operation } from './history.js';
