import fc from 'fast-check';
import { sessionData } from '../arbitraries.js';
import { expectSame, type Clause } from '../clause.js';
import type { ManualClock } from '../clock.js';
import { cloneJson } from '../clone-json.js';
import type { SessionData, SessionStore } from '../contract.js';
import type { RunScope } from '../harness.js';
import { LONG_TTL_MS } from '../harness.js';
import { checkProperty, type RenderedCounterexample } from '../property.js';

/** The reference semantics: a map of sessions and their deadlines, on the same clock as the store. */
class Model {
  readonly sessions = new Map<string, { data: SessionData; expiresAt: number }>();
  constructor(readonly now: () => number) {}

  live(id: string): SessionData | undefined {
    const entry = this.sessions.get(id);
    if (entry && this.now() < entry.expiresAt) return entry.data;
    this.sessions.delete(id);
    return undefined;
  }
}

interface Real {
  store: SessionStore;
  scope: RunScope;
  clock: ManualClock | undefined;
}

type Command = fc.AsyncCommand<Model, Real>;
// A "__proto__" key in an object literal would set the prototype, so such data prints as JSON.parse.
const show = (value: unknown): string => {
  if (value === undefined) return 'undefined';
  const json = JSON.stringify(value);
  return json.includes('"__proto__":') ? `JSON.parse(${JSON.stringify(json)})` : json;
};

// Ids that real backends confuse (case, trailing space, NFC/NFD), so random sequences probe aliasing too.
const ids = ['a', 'A', 'a ', '\u00e9', 'e\u0301'];

class SetCommand implements Command {
  constructor(readonly id: string, readonly data: SessionData, readonly ttl: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    await r.store.set(r.scope.id(this.id), cloneJson(this.data), this.ttl);
    m.sessions.set(this.id, { data: this.data, expiresAt: m.now() + this.ttl });
  }
  toString = () => `await store.set(${show(this.id)}, ${show(this.data)}, ${this.ttl});`;
}

class GetCommand implements Command {
  constructor(readonly id: string) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    expectSame(await r.store.get(r.scope.id(this.id)), m.live(this.id), `get(${show(this.id)})`);
  }
  toString = () => `await store.get(${show(this.id)});`;
}

class PopCommand implements Command {
  constructor(readonly id: string) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const expected = m.live(this.id);
    m.sessions.delete(this.id);
    expectSame(await r.store.pop(r.scope.id(this.id)), expected, `pop(${show(this.id)})`);
  }
  toString = () => `await store.pop(${show(this.id)});`;
}

class TouchCommand implements Command {
  constructor(readonly id: string, readonly ttl: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const live = m.live(this.id) !== undefined;
    if (live) m.sessions.get(this.id)!.expiresAt = m.now() + this.ttl;
    expectSame(await r.store.touch!(r.scope.id(this.id), this.ttl), live, `touch(${show(this.id)}, ${this.ttl})`);
  }
  toString = () => `await store.touch(${show(this.id)}, ${this.ttl});`;
}

class AdvanceCommand implements Command {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_m: Model, r: Real): Promise<void> {
    r.clock!.advance(this.ms);
  }
  toString = () => `clock.advance(${this.ms});`;
}

/** Renders the shrunk sequence as code an author can paste into a test, plus fast-check's replay path. */
function asProgram([commands]: [Iterable<Command>]): RenderedCounterexample {
  const iterable = commands as Iterable<Command & { hasRan?: boolean; cmd?: Command }> & { metadataForReplay?: () => string };
  const lines = [...iterable].filter((c) => c.hasRan !== false).map((c) => `  ${String(c)}`);
  const replay = iterable.metadataForReplay?.() ?? '';
  // fast-check prints its metadata as replayPath="…" (a JSON string): read it here, where it is made.
  const replayPath = replay.startsWith('replayPath=') ? (JSON.parse(replay.slice('replayPath='.length)) as string) : undefined;
  return { text: `\n${lines.join('\n')}${replay ? `\n  // ${replay}` : ''}`, ...(replayPath && { replayPath }) };
}

export const model: Clause = {
  id: 'model',
  title: 'random sequences of operations agree with a pure in-memory model',
  level: 'MUST',
  meaning: 'an ordinary sequence of requests leaves a session in a state no correct store would',
  check: (ctx) =>
    ctx.withStore(async (h) => {
      const clock = h.manualClock;
      const allowed = ids.filter((name) => ctx.ids.allows(name));
      const id = fc.constantFrom(...(allowed.length > 0 ? allowed : ['a']));
      // With an injected clock, TTLs and clock steps of a few ms make sequences land exactly on
      // deadlines often, where off-by-one expiry hides.
      const ttl = clock ? fc.integer({ min: 1, max: 10 }) : fc.constant(LONG_TTL_MS);
      const commands: fc.Arbitrary<Command>[] = [
        fc.tuple(id, sessionData, ttl).map(([i, d, t]) => new SetCommand(i, d, t)),
        id.map((i) => new GetCommand(i)),
        id.map((i) => new PopCommand(i)),
      ];
      if (h.hasTouch) commands.push(fc.tuple(id, ttl).map(([i, t]) => new TouchCommand(i, t)));
      if (clock) commands.push(fc.integer({ min: 0, max: 12 }).map((ms) => new AdvanceCommand(ms)));
      await checkProperty(
        ctx,
        fc.asyncProperty(fc.commands(commands, { size: '+1', replayPath: ctx.replayPath }), async (sequence) => {
          await h.inScope(async (scope) => {
            await fc.asyncModelRun(() => ({ model: new Model(() => h.clock.now()), real: { store: h.store, scope, clock } }), sequence);
          });
        }),
        asProgram,
      );
    }),
  doc: {
    summary: 'random operation sequences agree with a pure in-memory model',
    heading: 'Sequential consistency against a model',
    whyLevel: 'the same promises as above, over sequences where their bugs combine',
    body: `
      Random sequences of \`set\` / \`get\` / \`pop\` / \`touch\` (and, on an injected clock, clock steps of a
      few ms with TTLs of a few ms, so that sequences land exactly on deadlines) over ids that backends
      confuse (\`a\`, \`A\`, \`a␠\`, NFC \`é\`, NFD \`é\`) give the same results as a pure in-memory model. On
      failure the shrunk sequence is printed as code you can paste into a test:

      \`\`\`ts
      await store.set("a", {}, 3);
      clock.advance(3);
      await store.get("a");
      // replayPath="…"
      \`\`\`

      with the seed, path and replay path to run exactly that case again:
      \`runConformance(target, { only: ['model'], seed, path, replayPath })\`.
    `,
  },
};
