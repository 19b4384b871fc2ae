import { describe, expect, it } from 'vitest';
import { ManualClock, runConformance } from '../../entry/index.js';
import { MemoryStore } from '../../stores/index.js';

runConformance({ name: 'memory (injected clock)', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) });
runConformance(new MemoryStore());

describe('MemoryStore', () => {
  it('sweeps expired sessions as writes go by, so they do not accumulate', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock, sweepPerWrite: 2 });
    for (let i = 0; i < 100; i++) await store.set(`old-${i}`, { i }, 100);
    clock.advance(100);
    for (let i = 0; i < 100; i++) await store.set(`new-${i}`, { i }, 1000);
    expect(store.size).toBe(100);
  });
});
