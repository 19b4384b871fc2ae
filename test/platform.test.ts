import { describe, expect, it } from 'vitest';
import { checkConformance, formatClauseResult, renderMarkdown } from '../entry/core.js';
import type { SessionData, SessionStore } from '../suite/contract.js';
import { jsonParseHasKeyCacheBug, platformNote } from '../suite/platform.js';

/** A store whose reads come back with a backslash before every key: the kind of damage the V8 bug does. */
function backslashedKeysStore(): SessionStore {
  const sessions = new Map<string, string>();
  const read = (id: string): SessionData | undefined => {
    const text = sessions.get(id);
    if (text === undefined) return undefined;
    return Object.fromEntries(Object.entries(structuredClone(JSON.parse(text) as SessionData)).map(([k, v]) => [`\\${k}`, v]));
  };
  return {
    async get(id) {
      return read(id);
    },
    async set(id, data) {
      sessions.set(id, JSON.stringify(data));
    },
    async pop(id) {
      const data = read(id);
      sessions.delete(id);
      return data;
    },
  };
}

const bug = jsonParseHasKeyCacheBug();

describe(`platform notes on Node ${process.version} (JSON.parse key bug: ${bug ? 'present' : 'absent'})`, () => {
  it('explain a failure with escaped characters only where JSON.parse has the key bug', () => {
    const note = platformNote('get("a"): expected {"\\"":1}, got {"\\\\":1}');
    if (bug) expect(note).toMatch(/^Node v\d+\.\d+\.\d+ has V8's JSON\.parse key bug \(https:\/\/github\.com\/nodejs\/node\/issues\/63785\)/);
    else expect(note).toBeUndefined();
    expect(platformNote('get("a"): expected {"b":1}, got undefined')).toBeUndefined();
  });

  it('stand beside the failure in the report and the vitest message', async () => {
    const report = await checkConformance({ name: 'backslashed keys', open: backslashedKeysStore }, { only: ['round-trip'] });
    const [roundTrip] = report.clauses;
    expect(roundTrip?.status).toBe('fail');
    expect(roundTrip?.platformNote).toBe(bug ? platformNote('\\') : undefined);
    if (bug) {
      expect(formatClauseResult(report.store, roundTrip!)).toContain(roundTrip!.platformNote);
      expect(renderMarkdown(report)).toContain("V8's JSON.parse key bug");
    }
  });
});
