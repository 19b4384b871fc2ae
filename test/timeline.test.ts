import { describe, expect, it } from 'vitest';
import { Timeline } from '../suite/timeline.js';

describe('Timeline on the system clock', () => {
  it('waitUntil never returns before its instant, though timers count in whole ms of the loop time', async () => {
    const tl = new Timeline(undefined, 1);
    const early: number[] = [];
    // Node timers start from the loop's time truncated to a whole ms, so one can fire up to 1 ms
    // early by performance.now(); fractional offsets land anywhere in that ms.
    for (let i = 0; i < 40; i++) {
      const offset = tl.elapsed() + 3 + (i % 10) / 10;
      await tl.waitUntil(offset);
      if (tl.elapsed() < offset) early.push(offset - tl.elapsed());
    }
    expect(early).toEqual([]);
  });
});
