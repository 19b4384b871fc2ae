/**
 * Which ids a store refuses, found by asking it: one `set` per probe id, next to a live session
 * under a lookalike id. A refusal is clear only when the call rejects with an Error, the lookalike
 * is untouched and the refused id holds nothing afterwards.
 */
import type { SessionData } from './contract.js';
import { CallViolation, LONG_TTL_MS, rejectedCall, type Harness } from './harness.js';
import { jsonEqual } from './json-equal.js';
import { messageOf } from './describe-value.js';
import type { RefusedClass } from './ids.js';

export type ProbeOutcome =
  | { kind: 'accepted' }
  | { kind: 'refused'; call: string; error: unknown }
  /** Refused, but not cleanly: the lookalike changed, the id holds data, or the call threw or hung. */
  | { kind: 'unclear'; why: string };

const VICTIM: SessionData = { victim: true };
const PROBE: SessionData = { probe: true };

/** Sets `name` next to a live session under `lookalike`, and says how the store took it. */
export async function probe(h: Harness, name: string | ((prefix: string) => string), lookalike: string): Promise<ProbeOutcome> {
  // A probe never throws: a store that fails its other calls too is one the probe cannot read.
  return h
    .inScope((scope) => probeIn(h, scope.rawId(typeof name === 'string' ? name : name(scope.prefix)), scope.id(lookalike)))
    .catch((error: unknown): ProbeOutcome => ({ kind: 'unclear', why: messageOf(error) }));
}

async function probeIn(h: Harness, id: string, victim: string): Promise<ProbeOutcome> {
  await h.store.set(victim, VICTIM, LONG_TTL_MS);
  let error: unknown;
  try {
    await h.store.set(id, PROBE, LONG_TTL_MS);
    return { kind: 'accepted' };
  } catch (caught) {
    error = caught;
  }
  const call = rejectedCall(error) ?? `store.set(${JSON.stringify(id)}, …)`;
  if (error instanceof CallViolation) return { kind: 'unclear', why: messageOf(error) };
  const after = await h.store.get(victim);
  if (!jsonEqual(after, VICTIM)) return { kind: 'unclear', why: `${call} rejected, but the session under the lookalike id ${JSON.stringify(victim)} then read ${JSON.stringify(after)}` };
  const stored = await h.store.get(id).catch(() => undefined);
  if (stored !== undefined) return { kind: 'unclear', why: `${call} rejected, but get of that id then returned ${JSON.stringify(stored)}` };
  return { kind: 'refused', call, error };
}

interface CharacterClass {
  name: string;
  probes: string[];
  matches: RegExp;
}

/** Characters real backends refuse in keys: C strings, text protocols, byte-oriented columns. */
export const CHARACTER_CLASSES: CharacterClass[] = [
  { name: 'NUL', probes: ['\u0000'], matches: /\u0000/ },
  { name: 'control characters', probes: ['\u0001', '\u001b', '\u007f'], matches: /[\u0001-\u0008\u000e-\u001f\u007f]/ },
  { name: 'whitespace', probes: [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2028', '\u3000'], matches: /\s/ },
  { name: 'non-ASCII characters', probes: ['é', '😀', 'ж'], matches: /[^\u0000-\u007f]/ },
];

const shown = (c: string): string => JSON.stringify(c).slice(1, -1) || c;

/** The longest id the probe tries: past Memcached's 250 bytes and the usual VARCHAR widths. */
export const LONGEST_PROBE = 3000;

/**
 * The classes of ids a store that declares nothing refuses clearly, or a reason the probe could not
 * tell (a plain id is refused too: then nothing is excluded and the clauses judge as before).
 */
export async function findRefusedClasses(h: Harness): Promise<{ refused: RefusedClass[] } | { unjudged: string }> {
  const control = await probe(h, 'ab', 'a-b');
  if (control.kind !== 'accepted') return { unjudged: `a plain id was not accepted (${control.kind === 'refused' ? `${control.call} rejected with ${messageOf(control.error)}` : control.why}), so no class of ids can be told refused` };
  const refused: RefusedClass[] = [];
  for (const cls of CHARACTER_CLASSES) {
    const outcomes = await Promise.all(cls.probes.map(async (c) => [c, await probe(h, `a${c}b`, 'ab')] as const));
    const clear = outcomes.filter(([, o]) => o.kind === 'refused');
    if (clear.length === 0) continue;
    const [, first] = clear[0]!;
    const evidence = first as Extract<ProbeOutcome, { kind: 'refused' }>;
    const all = clear.length === cls.probes.length;
    const chars = clear.map(([c]) => c);
    refused.push({
      name: all ? cls.name : `${cls.name} (${chars.map(shown).join(', ')})`,
      matches: all ? (id) => cls.matches.test(id) : (id) => chars.some((c) => id.includes(c)),
      call: evidence.call,
      error: messageOf(evidence.error),
    });
  }
  const long = await longestAccepted(h);
  if (long) refused.push(long);
  return { refused };
}

/** Ids of `length` characters in all, with the scope's prefix. */
async function probeLength(h: Harness, length: number): Promise<ProbeOutcome> {
  return probe(h, (prefix) => 'a'.repeat(Math.max(1, length - prefix.length)), 'b');
}

/** The long-id class, when the store refuses ids past some length clearly and accepts those below it. */
async function longestAccepted(h: Harness): Promise<RefusedClass | undefined> {
  const longest = await probeLength(h, LONGEST_PROBE);
  if (longest.kind !== 'refused') return undefined;
  let lo = 32;
  let hi = LONGEST_PROBE;
  let evidence = longest;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const outcome = await probeLength(h, mid);
    if (outcome.kind === 'unclear') return undefined;
    if (outcome.kind === 'accepted') lo = mid;
    else [hi, evidence] = [mid, outcome];
  }
  // Counted in UTF-8 bytes: an id of as many multibyte characters is excluded too, whichever the backend counts.
  return { name: `more than ${lo} characters`, matches: (id) => Buffer.byteLength(id) > lo, call: evidence.call, error: messageOf(evidence.error) };
}
