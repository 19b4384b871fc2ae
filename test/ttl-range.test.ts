/**
 * The ttl-range clause on both clocks: the broken TTL stores are caught on real time too (all but
 * the 24-hour cap, which no real-time run can wait out), and declining a fractional TTL with a
 * RangeError is a legal answer, not a failure.
 */
import { describe, expect, it } from 'vitest';
import { checkConformance, type SessionData } from '../entry/index.js';
import { HookedStore } from './broken/base.js';
import { defects } from './broken/defects.js';

const onRealTime = [
  'TTLs pass through a 32-bit integer',
  'a TTL under 1 s is truncated to 0 s, which a seconds-based backend reads as "never expires"',
  // Caught only by the shortest TTLs: half of its declared 1 s resolution is still 500 ms to it.
  'a TTL that rounds down to 0 ms gets a default of a day',
  'a fractional TTL reaches a driver that takes only whole milliseconds',
  'expirations over 30 days are sent to Memcached as relative times',
  'update keeps the old expiry instead of restarting it',
];

describe.concurrent('broken TTL stores on the system clock fail ttl-range', () => {
  it.each(onRealTime)('%s', async (name) => {
    const defect = defects.find((d) => d.name === name)!;
    const report = await checkConformance({ ...defect.target, clock: 'system' }, { only: ['ttl-range'], seed: 5 });
    expect(report.clauses.map((c) => c.status)).toEqual(['fail']);
  });
});

function assertWholeMilliseconds(ttlMs: number): void {
  if (!Number.isInteger(ttlMs)) throw new RangeError(`ttlMs must be a whole number of milliseconds, got ${ttlMs}`);
}

/** Correct, except that it declines fractional TTLs as bad input. */
class WholeMillisecondsOnly extends HookedStore {
  override async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    assertWholeMilliseconds(ttlMs);
    return super.set(id, data, ttlMs);
  }
  override async touch(id: string, ttlMs: number): Promise<boolean> {
    assertWholeMilliseconds(ttlMs);
    return super.touch(id, ttlMs);
  }
}

describe('a fractional TTL', () => {
  it('may be declined with a RangeError, on either clock', async () => {
    for (const clock of ['injected', 'system'] as const) {
      const report = await checkConformance({ name: 'whole ms only', clock, open: ({ clock: c }) => new WholeMillisecondsOnly(c) }, { only: ['ttl-range'], seed: 5 });
      expect(report.clauses.map((c) => [c.status, c.error])).toEqual([['pass', undefined]]);
    }
  });

  it('must not reach the driver as it is: the failure names the driver error', async () => {
    const defect = defects.find((d) => d.name.startsWith('a fractional TTL reaches a driver'))!;
    const [clause] = (await checkConformance(defect.target, { only: ['ttl-range'], seed: 5 })).clauses;
    expect(clause!.error).toMatch(/with the fractional ttlMs [\d.]+ rejected with Error: ERR value is not an integer/);
  });
});
