/**
 * The ids a clause may use on a store: every id, the set a store declares (StoreDeclarations.ids),
 * or every id but the classes a store that declares nothing was found to refuse clearly.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sessionIdFamilies, sessionIds } from './arbitraries.js';
import type { IdAlphabet, IdDeclaration } from './contract.js';

const range = (from: string, to: string): string =>
  String.fromCharCode(...Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => from.charCodeAt(0) + i));

const ALNUM = range('A', 'Z') + range('a', 'z') + range('0', '9');

export const ID_ALPHABETS: Record<IdAlphabet, string> = {
  base64url: `${ALNUM}-_`,
  hex: `${range('0', '9')}${range('a', 'f')}`,
  uuid: `${range('0', '9')}${range('a', 'f')}-`,
  alphanumeric: ALNUM,
  'printable-ascii': range('!', '~'),
};

/** The suite's own part of a declared id: lowercase hex, in every alphabet, one fixed width so no two scopes' ids meet. */
export const DECLARED_PREFIX_LENGTH = 16;
/** Room for the suite's prefix and a name of 8 characters. */
export const MIN_DECLARED_MAX_LENGTH = 24;

/** Characters, as SQL's VARCHAR(n) counts them: code points. */
export const idLength = (id: string): number => [...id].length;

/** A set of ids a store declared it accepts. */
export class IdSet {
  readonly alphabet: string | undefined;

  constructor(readonly declaration: IdDeclaration) {
    this.alphabet = declaration.alphabet && ID_ALPHABETS[declaration.alphabet];
  }

  /** The declaration in words: "base64url characters, at most 32". */
  get description(): string {
    const { alphabet, maxLength, pattern } = this.declaration;
    const parts = [alphabet ? `${alphabet} characters` : 'any characters'];
    if (maxLength !== undefined) parts.push(`at most ${maxLength}`);
    if (pattern) parts.push(`matching ${String(pattern)}`);
    return parts.join(', ');
  }

  /** Why `id` is outside the set, or undefined when it is inside. */
  explain(id: string): string | undefined {
    const { alphabet, maxLength, pattern } = this.declaration;
    const outside = this.alphabet === undefined ? undefined : [...id].find((c) => !this.alphabet!.includes(c));
    if (outside !== undefined) return `it holds ${JSON.stringify(outside)}, which is not a ${alphabet} character`;
    if (maxLength !== undefined && idLength(id) > maxLength) return `it is ${idLength(id)} characters long, over ${maxLength}`;
    if (pattern && !pattern.test(id)) return `it does not match ${String(pattern)}`;
    return undefined;
  }

  /** The id the suite uses for `name` in a scope whose prefix is `prefix`: itself when inside, else a hash of it that is. */
  fit(prefix: string, name: string): string {
    const id = prefix + name;
    if (this.explain(id) === undefined) return id;
    const room = Math.min(16, (this.declaration.maxLength ?? Infinity) - DECLARED_PREFIX_LENGTH);
    return prefix + createHash('sha256').update(name).digest('hex').slice(0, room);
  }
}

/** Validates a declaration as resolveTarget reads it; `fail` throws the TypeError. */
export function resolveIdDeclaration(value: unknown, fail: (what: string) => never): IdSet | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return fail('ids must be an object { alphabet?, maxLength?, pattern? }');
  const { alphabet, maxLength, pattern, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) fail(`ids has unknown field "${unknown[0]}"; its fields are alphabet, maxLength and pattern`);
  if (alphabet !== undefined && !Object.hasOwn(ID_ALPHABETS, alphabet as string)) {
    fail(`ids.alphabet must be one of ${Object.keys(ID_ALPHABETS).join(', ')}, got ${String(alphabet)}`);
  }
  if (maxLength !== undefined && (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < MIN_DECLARED_MAX_LENGTH)) {
    fail(`ids.maxLength must be an integer of at least ${MIN_DECLARED_MAX_LENGTH} (the suite needs ${DECLARED_PREFIX_LENGTH} characters of each id to keep runs apart), got ${String(maxLength)}`);
  }
  if (pattern !== undefined && !(pattern instanceof RegExp)) fail(`ids.pattern must be a RegExp, got ${String(pattern)}`);
  if (pattern instanceof RegExp && (pattern.global || pattern.sticky)) fail(`ids.pattern must not have the g or y flag (test() would then depend on the last call), got ${String(pattern)}`);
  const set = new IdSet(value as IdDeclaration);
  const own = set.fit('0123456789abcdef', 'a1b2c3');
  if (set.explain(own) !== undefined) fail(`ids must accept the suite's own ids, such as "${own}" (${DECLARED_PREFIX_LENGTH} lowercase hex characters, then a name): ${set.explain(own)}`);
  return set;
}

/** A class of ids a store that declares nothing refuses clearly (set rejects, nothing stored), found by probing. */
export interface RefusedClass {
  /** What refused ids hold: "NUL", "whitespace (\n, \r)", "more than 128 characters". */
  name: string;
  matches(id: string): boolean;
  /** One refused call and the store's error, as evidence. */
  call: string;
  error: string;
}

/** How often a restricted generator must still hit the set for the family to be kept: filters then stay cheap. */
const MIN_HIT_RATE = 0.05;
const SAMPLE = 200;
/** What the suite's ids look like in front of a name on a store that declares nothing (see Harness.newRunPrefix). */
// The scope number counts up over every run of the process: room for seven digits.
const UNDECLARED_PREFIX = 'scc-00000000-0000000-';

/**
 * Which ids the clauses of one run may use. Unrestricted, every generator is used as it is, so a
 * store that refuses nothing is tested exactly as before.
 */
export class IdPolicy {
  static readonly unrestricted = new IdPolicy(undefined, []);

  constructor(
    readonly declared: IdSet | undefined,
    readonly refused: readonly RefusedClass[],
    /** Why probing could not tell which ids the store refuses (it refused a plain one too). */
    readonly unjudged?: string,
  ) {}

  get restricted(): boolean {
    return this.declared !== undefined || this.refused.length > 0;
  }

  /** Whether the suite may use `name` as the name part of an id: after the scope's prefix, or `leading` it (RunScope.leadingId). */
  allows(name: string, leading = false): boolean {
    const around = (prefix: string) => (leading ? name + prefix : prefix + name);
    if (this.declared) return this.declared.explain(around('0'.repeat(DECLARED_PREFIX_LENGTH))) === undefined;
    return !this.refused.some((c) => c.matches(around(UNDECLARED_PREFIX)));
  }

  /**
   * `values` with only names the policy allows (`names` lists the names in a value, `leading` where they go), or undefined
   * when too few of them are left for the trap to be tried at all.
   */
  restrict<T>(values: fc.Arbitrary<T>, names: (value: T) => string[], leading = false): fc.Arbitrary<T> | undefined {
    if (!this.restricted) return values;
    const keep = (value: T) => names(value).every((name) => this.allows(name, leading));
    const hits = fc.sample(values, { numRuns: SAMPLE, seed: 1 }).filter(keep).length;
    return hits >= SAMPLE * MIN_HIT_RATE ? values.filter(keep) : undefined;
  }

  #sessionIds: fc.Arbitrary<string> | undefined;

  /** Session ids from each trap family that can still appear, plus plain ids of the set, so that there is always one. */
  get sessionIds(): fc.Arbitrary<string> {
    if (!this.restricted) return sessionIds;
    this.#sessionIds ??= fc.oneof(...Object.values(sessionIdFamilies).flatMap((family) => this.restrict(family, (name) => [name]) ?? []), this.plainIds());
    return this.#sessionIds;
  }

  /** Names of the declared alphabet (or letters and digits), up to the room the declared length leaves. */
  plainIds(): fc.Arbitrary<string> {
    const alphabet = this.declared?.alphabet ?? ALNUM;
    const room = (this.declared?.declaration.maxLength ?? Infinity) - DECLARED_PREFIX_LENGTH;
    const plain = fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: Math.min(12, room) });
    return this.restrict(plain, (name) => [name]) ?? fc.constant('a1');
  }
}
