/** Failures a store author can act on: the words authors use pass, and no failure is blank. */
import { describe, expect, it } from 'vitest';
import { checkConformance } from '../entry/index.js';
import { describeCall, describeThrown } from '../suite/describe-value.js';
import { defects } from './broken/defects.js';
import { phrased, rejectingWith } from './broken/phrasing.js';

describe('bad-input accepts the words store authors use for each argument', () => {
  it.each([
    { id: 'sid', ttl: 'maxAge', data: 'payload' },
    { id: 'sessionId', ttl: 'expires', data: 'value' },
    { id: 'key', ttl: 'lifetime', data: 'session' },
    { id: 'session_id', ttl: 'expiry', data: 'JSON' },
    { id: 'Session ID', ttl: 'max-age', data: 'data' },
    { id: 'id', ttl: 'ttlMs', data: 'Data' },
  ])('$id / $ttl / $data', async (words) => {
    const report = await checkConformance(phrased(words), { only: ['bad-input'], seed: 1, numRuns: 3 });
    expect(report.clauses[0]?.error).toBeUndefined();
    expect(report.clauses[0]?.status).toBe('pass');
  });

  it('and says which words it wanted when a message names nothing', async () => {
    const report = await checkConformance(phrased({ id: 'argument 1', ttl: 'argument 3', data: 'argument 2' }), { only: ['bad-input'], seed: 1, numRuns: 3 });
    expect(report.clauses[0]?.error).toBe(
      'get(an empty id) rejected with a TypeError: argument 1 must be a non-empty string, which does not say what was wrong; ' +
        'it must reject with a TypeError or RangeError whose message names the id (id, sid, sessionId, key)',
    );
  });
});

const escape = (text: string) => text.replace(/[{}()[\]]/g, '\\$&');

describe('a rejection that explains nothing still gives a failure that does', () => {
  it.each([
    ['x', "a string 'x'"],
    ['', 'an empty string'],
    [new Error(''), 'an Error with no message'],
    [new TypeError(''), 'a TypeError with no message'],
    [null, 'null'],
    [undefined, 'undefined'],
    [42, 'a number 42'],
    [{ code: 'EDOWN' }, 'an object {"code":"EDOWN"}'],
  ])('rejected with %o', async (reason, said) => {
    // The operation, its arguments and what came back.
    const always = await checkConformance(rejectingWith(reason, 'always'), { only: ['absent'], seed: 1, numRuns: 3 });
    expect(always.clauses[0]?.error).toMatch(new RegExp(`^store\\.(get|pop|touch)\\("scc-.+\\) rejected with ${escape(said)}$`));
    const onBadInput = await checkConformance(rejectingWith(reason, 'on bad input'), { only: ['bad-input'], seed: 1, numRuns: 3 });
    const why = reason instanceof TypeError ? ', which does not say what was wrong' : '';
    expect(onBadInput.clauses[0]?.error).toBe(
      `get(an empty id) rejected with ${said}${why}; it must reject with a TypeError or RangeError whose message names the id (id, sid, sessionId, key)`,
    );
  });
});

it('a synchronous throw names the call and what it threw', async () => {
  const report = await checkConformance(defects.find((d) => d.name === 'throws synchronously on bad input')!.target, { only: ['bad-input'], seed: 1, numRuns: 3 });
  expect(report.clauses[0]?.error).toBe(
    'get(an empty id): store.get("") threw synchronously instead of returning a rejected promise: a TypeError: session id must be a non-empty string, got an empty string; ' +
      'it must reject with a TypeError or RangeError whose message names the id (id, sid, sessionId, key)',
  );
});

describe('describing calls and values', () => {
  it('cuts long arguments and shows numbers JSON cannot', () => {
    const text = describeCall('set', ['a', { blob: 'x'.repeat(10_000) }, NaN]);
    expect(text).toMatch(/^store\.set\("a", \{"blob":"x+… \d+ more characters, NaN\)$/);
    expect(text.length).toBeLessThan(120);
    expect(describeCall('update', ['a', (s: unknown) => s, 1000n])).toBe('store.update("a", a function, 1000n)');
  });

  it('quotes strings visibly', () => {
    expect(describeThrown("it's\nbroken")).toBe("a string 'it\\'s\\nbroken'");
    expect(describeThrown(new RangeError('too big'))).toBe('a RangeError: too big');
  });
});
