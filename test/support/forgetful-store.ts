import type { StoreFactory } from '../../entry/index.js';
import { MemoryStore } from '../../stores/index.js';

/** A store that forgets everything on restart and claims durability: the faults clause fails it with a lost write. */
export function forgetful(): StoreFactory {
  let backend = new MemoryStore();
  return {
    name: 'forgetful (durable)',
    sharedBackend: true,
    durable: true,
    open: () => ({ get: (id) => backend.get(id), set: (id, data, ttlMs) => backend.set(id, data, ttlMs), pop: (id) => backend.pop(id) }),
    faults: { driver: { inject: async () => void (backend = new MemoryStore()), heal: async () => {} }, faults: [{ kind: 'restart' }], durationMs: 600 },
  };
}
