import type { Clause } from '../clause.js';
import { violated } from '../property.js';

/** Ids asked of the store: enough to see every character of an alphabet of up to 64 at every position. */
export const ID_SAMPLES = 2000;

/** The least a session id must carry: guessing one of a million live sessions then takes about 2^44 tries. */
export const MIN_ID_BITS = 64;

/**
 * An upper bound on the entropy of the ids, in bits: over the positions every id has, the sum of
 * log2(how many characters were seen at that position). A counter, a timestamp or a short id
 * shows as positions that hardly vary; ids that vary everywhere are not thereby unguessable.
 */
export function idEntropyBound(ids: readonly string[]): number {
  const length = Math.min(...ids.map((id) => id.length));
  let bits = 0;
  for (let position = 0; position < length; position++) {
    bits += Math.log2(new Set(ids.map((id) => id[position])).size);
  }
  return bits;
}

export const idQuality: Clause = {
  id: 'id-quality',
  title: 'ids the store makes are unique and carry at least 64 bits that vary',
  level: 'MUST',
  meaning: "an attacker guesses a live session's id and takes over the session, or two users share one",
  cause: 'ids from a counter, a timestamp, too few random characters (Math.random().toString(36) gives about 41 bits), or no check against an id in use',
  skipReason: (capabilities) => (capabilities.createId ? undefined : 'the app chooses the session ids: the store has no createId'),
  check: (ctx) =>
    ctx.withStore(async (h) => {
      const ids: string[] = [];
      for (let i = 0; i < ID_SAMPLES; i++) {
        const id = await h.store.createId!();
        if (typeof id !== 'string' || id === '') violated(`createId() number ${i + 1} resolved to ${JSON.stringify(id)}, not a non-empty string`);
        ids.push(id);
      }
      const seen = new Map<string, number>();
      for (const [index, id] of ids.entries()) {
        const earlier = seen.get(id);
        if (earlier !== undefined) violated(`createId() made ${JSON.stringify(id)} twice, as id ${earlier + 1} and id ${index + 1} of ${ID_SAMPLES}`);
        seen.set(id, index);
      }
      const bits = idEntropyBound(ids);
      ctx.findings.idBitsAtMost = Math.round(bits * 10) / 10;
      ctx.findings.shortestId = Math.min(...ids.map((id) => id.length));
      if (bits < MIN_ID_BITS) {
        violated(`the ${ID_SAMPLES} ids createId() made carry at most ${bits.toFixed(1)} bits (under ${MIN_ID_BITS}): over the ${ctx.findings.shortestId} positions every id has, too few characters vary (ids ${ids.slice(0, 3).map((id) => JSON.stringify(id)).join(', ')}, …)`);
      }
    }),
  doc: {
    summary: 'for a store that makes its own session ids (`createId`): 2,000 ids, no repeats, at least 64 bits that vary',
    heading: 'Ids the store makes (when the store implements `createId`)',
    whyLevel: `ids that repeat, or vary in too few bits to resist guessing, let one user land in another's session`,
    body: `
      Most stores keep sessions under ids the app (the framework) chooses; some make the id of a new
      session themselves (React Router's \`createData\`). Such a store exposes that as the optional
      \`createId(): Promise<string>\`: make an id as for a new session and leave nothing behind. The
      clause asks for 2,000 ids and requires:

      - every one a non-empty string, and no id twice;
      - at least **64 bits** that vary: over the positions every id has (up to the shortest id's
        length), the sum of log2(the number of distinct characters seen at that position). 2,000 ids
        show every character of an alphabet of up to 64 at every position with overwhelming
        probability, so random ids score their full length × log2(alphabet): 16 hex digits 64 bits, a
        UUID v4 122, 24 bytes of base64url 192.

      What it detects: short ids (8 base-36 characters are 41 bits), counters and timestamps (their
      leading positions barely change within a run, so they add almost nothing), ids that are sometimes
      shorter (\`Math.random().toString(36)\` can lose trailing digits), a small alphabet, and repeats
      (a generator without a check against an id in use, at the rate 2,000 draws can show).

      What it cannot detect: it measures what varies, not whether it can be predicted. Ids from
      \`Math.random\` or any other non-cryptographic generator that are long enough pass (V8's
      xorshift128+ state can be recovered from a few outputs); so do ids that hash a counter, or
      encrypt one under a key an attacker may learn. An upper bound is all that observing ids can give:
      a store that passes has ids that are not short, not sequential and not repeating; that they come
      from a cryptographic source is for its code review. A store without \`createId\` skips the clause
      (its ids are the app's choice: express-session's \`genid\`, yar's \`Crypto.randomUUID()\`).
      Findings: \`idBitsAtMost\`, \`shortestId\`.
    `,
  },
};
