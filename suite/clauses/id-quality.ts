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
};
