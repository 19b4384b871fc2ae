/**
 * The adapters undo each other: a reference store served to express-session by toExpressStore,
 * and spoken to through fromExpressStore as any express store is, still passes the suite. Two
 * express stores over one MemoryStore are two app servers on one backend.
 */
import { fromExpressStore, runConformance, toExpressStore } from '../../entry/index.js';
import { MemoryStore } from '../../stores/index.js';

const backend = new MemoryStore();

runConformance(fromExpressStore(toExpressStore(backend), { name: 'express round trip of MemoryStore', sharedBackend: true, open: () => toExpressStore(backend) }));
