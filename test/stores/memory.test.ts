import { runConformance } from '../../suite/index.js';
import { MemoryStore } from '../../stores/index.js';

runConformance({ name: 'memory (injected clock)', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) });
runConformance(new MemoryStore());
