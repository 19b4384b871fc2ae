/**
 * The history checker on its own (`session-store-conformance/linearizability`): record what
 * concurrent clients did, check that one register per session id explains it, and render a
 * violation. The search is generic over a model (model.ts): the session register is one.
 * Nothing here needs a test runner or a store.
 */
export { checkHistory } from './check.js';
export type { CheckOptions, CheckResult, Undecided, Violation } from './check.js';
export { DEFAULT_MAX_TRIES, search, TRIES_PER_OPERATION } from './search.js';
export type { Budget, PartitionResult } from './search.js';
export type { Call, Model, Step } from './model.js';
export { sessionRegister } from './register.js';
export type { RegisterOptions } from './register.js';
export { ANOMALIES, ANOMALY_NAMES } from '../anomaly.js';
export type { Anomaly } from '../anomaly.js';
export { classify } from './anomalies.js';
export { describeViolation, timeline } from './render.js';
export { deadlineWindow } from './deadline.js';
export type { DeadlineWindow, Stamp } from './deadline.js';
export { monotonicClock, monotonicNow, recordOp, sequenceClock } from './history.js';
export type { History, HistoryClock, OpName, Operation } from './history.js';
