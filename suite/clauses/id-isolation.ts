import fc from 'fast-check';
import { aliasingIdPairs, leadingAliasingIdPairs, sessionData } from '../arbitraries.js';
import { checkInScope, expectSame, type Clause } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import { LONG_TTL_MS } from '../harness.js';

export const idIsolation: Clause = {
  id: 'id-isolation',
  title: 'distinct ids never alias, however alike they look',
  level: 'MUST',
  meaning: 'two users can read each other\'s session',
  cause: 'ids are normalized before they become keys (case, Unicode form, trimming, stripping invisible characters or accents, URL-decoding, truncation, sanitizing): use the id exactly, or a hash of it',
  check: (ctx) =>
    ctx.withStore(async (h) => {
      // Each trap gets its own runs (half of numRuns): a random mix of traps could skip one on some seed.
      const run = { ...ctx, numRuns: Math.ceil(ctx.numRuns / 2) };
      // On a store that declares its ids or refuses some, a trap whose ids all fall outside cannot be set.
      const traps = [
        ...Object.entries(aliasingIdPairs).map(([trap, pairs]) => ({ trap, leading: false, pairs: ctx.ids.restrict(pairs, (pair) => pair) })),
        // These sit at the very start of the id, where the scope's prefix would otherwise hide them.
        ...Object.entries(leadingAliasingIdPairs).map(([trap, pairs]) => ({ trap, leading: true, pairs: ctx.ids.restrict(pairs, (pair) => pair, true) })),
      ];
      // Listed before any trap runs, so that a failure reports them too.
      const untried = traps.filter(({ pairs }) => !pairs).map(({ trap }) => trap);
      if (untried.length > 0) ctx.findings.trapsOutsideTheIds = untried;
      for (const { trap, leading, pairs } of traps) {
        if (!pairs) continue;
        await checkInScope(
          run,
          h,
          fc.tuple(pairs, sessionData, sessionData),
          async (scope, [[nameA, nameB], dataA, dataB]) => {
            const [a, b] = leading ? [scope.leadingId(nameA), scope.leadingId(nameB)] : [scope.id(nameA), scope.id(nameB)];
            await h.store.set(a, cloneJson(dataA), LONG_TTL_MS);
            expectSame(await h.store.get(b), undefined, 'get of the second id while only the first is set');
            await h.store.set(b, cloneJson(dataB), LONG_TTL_MS);
            expectSame(await h.store.get(a), dataA, 'get of the first id after setting the second');
            expectSame(await h.store.pop(a), dataA, 'pop of the first id');
            expectSame(await h.store.get(b), dataB, 'get of the second id after popping the first');
            if (h.store.touch) expectSame(await h.store.touch(a, LONG_TTL_MS), false, 'touch of the popped first id');
          },
          ([value]) => `${trap}: ${fc.stringify(value)}`,
        );
      }
    }),
  doc: {
    summary: 'distinct ids never alias: case, trailing space, NFC/NFD, long shared prefixes, metacharacters, 3,000-character ids, swapped punctuation, base64 vs base64url, percent-encoding, path-like ids, NUL / CR / LF / tab',
    heading: 'Id isolation',
    whyLevel: `two ids on one entry means one user reads another's session`,
    body: `
      Ids are opaque: **any non-empty, well-formed Unicode string is a valid id**, and distinct ids
      never alias. The contract rejects no other id, however it looks: \`.\`, \`..\`, \`../x\`, \`a/../b\`,
      \`con\`, \`nul\`, ids holding NUL, CR/LF or tabs, \`%2F\` and \`+\` are ids like any other, stored and
      read back as themselves. A store that needs another key alphabet (file names, URL paths, a
      sanitized key) must map ids to keys injectively (Memcached's store hashes every id that is not
      short printable ASCII with SHA-256; Redis keys are binary-safe), not reject or rewrite them.

      The suite generates the ids real backends confuse, as pairs, each trap with its own share of runs
      (and its name in the counterexample):

      - case variants (\`abc\` / \`ABC\`: a case-insensitive collation) and trailing spaces (\`abc\` /
        \`abc␠\`: PAD SPACE collations);
      - NFC vs NFD forms (\`é\` / \`e\` + U+0301) and ids sharing a prefix longer than 64 characters
        (truncated keys), or 1,000 to 3,000 characters long (Memcached's 250-byte keys);
      - separators and glob / SQL metacharacters (\`:\` \`*\` \`?\` \`[\` \`%\` \`_\` \`'\` \`\\\` NUL);
      - one separator swapped for another (\`a.b\` / \`a_b\` / \`a-b\` / \`a:b\` / \`a/b\` / \`a␠b\` / \`a+b\` /
        \`a=b\`: a sanitizer mapping punctuation to \`_\`);
      - one byte string in the base64 and base64url alphabets (\`ab+/\` / \`ab-_\`, with and without \`=\`
        padding: Node's base64 decoder reads both);
      - raw, percent-encoded and twice-encoded forms (\`a/b\` / \`a%2Fb\` / \`a%252Fb\`: a router that
        decodes ids);
      - path-like ids (\`a/../b\` / \`c/../b\`, \`a/./b\` / \`a//b\` / \`a/b\`, \`..\`, \`con\`, \`nul\`: a file or URL
        path per session);
      - NUL, CR/LF and tabs, swapped, dropped, or where the id is cut (\`a\\0b\` / \`a\`: C strings, line
        protocols, trimming);
      - whitespace (space, tab, no-break and ideographic spaces) and invisible characters (ZWSP, ZWNJ,
        ZWJ, word joiner, soft hyphen, BOM) at the start, in the middle or at the end of a name, and
        dropped (\`ab␠\` / \`ab\`: trimming, sanitizers that strip what does not print);
      - a character and its percent escape at the start, in the middle or at the end (\`%61bc\` / \`abc\`,
        \`ab%2F\` / \`ab/\`: a router or cookie parser that decodes);
      - compatibility forms and their NFKC folding (\`ﬁ\` / \`fi\`, \`Ａ\` / \`A\`, \`①\` / \`1\`, \`²\` / \`2\`);
      - full Unicode case folding (\`ß\` / \`ss\`, the Kelvin sign / \`k\`, \`ſ\` / \`s\`, \`ς\` / \`σ\`, \`Ж\` / \`ж\`:
        an \`_unicode_ci\` collation);
      - accented letters, composed or decomposed, and the bare letter (\`é\` / \`e\`: accent-insensitive
        collations, ASCII folding).

      The suite puts its own prefix in front of every id it makes, to keep runs apart; a trim or a
      dropped BOM at the start of an id would never see a trap behind it. So leading whitespace,
      invisible characters and percent escapes are also set at the very start of the id, with the
      prefix after them (\`leadingWhitespaceIds\`, \`leadingInvisibleCharacterIds\`,
      \`leadingPercentEscapeIds\`). On a store that declares its ids, each trap is set only with ids
      inside the set, at the start as in the middle; traps whose ids all fall outside are listed in
      \`findings.trapsOutsideTheIds\`, with a failure too.

      The same look-alike ids are among the single ids every other clause generates (\`round-trip\`,
      \`absent\`, \`pop\`, \`replace\`, \`copy-semantics\`, \`cross-instance\`).
    `,
  },
};
