/**
 * The adapters undo each other: a reference store served to express-session by toExpressStore,
 * and spoken to through fromExpressStore as any express store is, still passes the suite. Two
 * express stores over one MemoryStore are two app servers on one backend.
 */
import { fromExpressStore, runConformance, toExpressStore } from '../../suite/index.js';
import { MemoryStore } from '../../stores/index.js';

const backend = new MemoryStore();

runConformance(fromExpressStore(toExpressStore(backend), { name: 'express round trip of MemoryStore', sharedBackend: true, open: () => toExpressStore(backend) }), {
  // Not yet judged: fromExpressStore's pop is express-session's get then destroy, which the strict
  // linearizability model fails. Remove this skip when the relaxed model for non-atomic pop lands
  // (atomic-pop is a SHOULD for a store that does not declare atomicPop: a warning, not a failure).
  skip: ['concurrency', 'no-resurrection', 'atomic-pop'],
});
