/**
 * How a command that ran a user's store ends: it closes what the user's module handed it, then
 * exits with its code, at once when nothing keeps the process alive, else after a short grace
 * period, naming what the store left open (sockets, timers, servers) and the fix. Both commands
 * (session-store-conformance and session-store-bench) end through here: it lives in suite/,
 * which both depend on, beside the contract whose close() it calls.
 */
import { describeThrown } from './describe-value.js';
import { watchingClauses } from './strays.js';

/** How long a module's close() may take before the command stops waiting for it. */
export const CLOSE_TIMEOUT_MS = 5_000;
/** How long the process may take to end by itself once everything was closed. */
export const GRACE_MS = 1_000;

/** Node's resource names (process.getActiveResourcesInfo()) in a store author's words. */
const RESOURCE_WORDS: Record<string, string> = {
  TCPSocketWrap: 'socket',
  TCPServerWrap: 'server',
  PipeWrap: 'pipe',
  PipeServerWrap: 'server',
  UDPWrap: 'UDP socket',
  Timeout: 'timer',
  Immediate: 'immediate',
  ConnectWrap: 'connection attempt',
  GetAddrInfoReqWrap: 'DNS lookup',
  ProcessWrap: 'child process',
  FSEventWrap: 'file watcher',
  StatWatcher: 'file watcher',
  FSReqCallback: 'file operation',
  FileHandle: 'open file',
  SignalWrap: 'signal listener',
  TTYWrap: 'terminal',
  Worker: 'worker thread',
  MessagePort: 'message port',
};

const count = (names: readonly string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
};

// What the process holds before any user code runs: its own stdout and stderr (pipes or
// terminals) are not the store's.
void process.stdout;
void process.stderr;
const BASELINE = count(process.getActiveResourcesInfo());

/** What keeps the process alive beyond what it started with, as Node names it. */
export function leftResources(): string[] {
  const left: string[] = [];
  for (const [name, n] of count(process.getActiveResourcesInfo())) {
    for (let i = BASELINE.get(name) ?? 0; i < n; i++) left.push(name);
  }
  return left;
}

/** "2 sockets and 1 timer", and Node's names: "TCPSocketWrap ×2, Timeout". */
export function describeResources(names: readonly string[]): { words: string; raw: string } {
  const words = count(names.map((name) => RESOURCE_WORDS[name] ?? name));
  const phrases = [...words].map(([word, n]) => `${n} ${word}${n === 1 ? '' : 's'}`);
  return {
    words: phrases.length > 1 ? `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}` : (phrases[0] ?? 'something'),
    raw: [...count(names)].map(([name, n]) => (n === 1 ? name : `${name} ×${n}`)).join(', '),
  };
}

/**
 * Closes what a user's module exported, through its own close(): a store's, or a target's
 * (`{ name, open, close }`; the adapters' targets close the store handed to them). Resolves to
 * what went wrong, if anything: a close that rejects or hangs must not keep the command from ending.
 */
export async function closeExport(exported: unknown): Promise<string | undefined> {
  const close = (exported as { close?: unknown } | null | undefined)?.close;
  if (typeof close !== 'function') return undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const closed = Promise.resolve().then(() => close.call(exported));
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)));
    if ((await Promise.race([closed, timeout])) === 'timeout') return `its close() did not settle within ${CLOSE_TIMEOUT_MS} ms`;
    return undefined;
  } catch (error) {
    return `its close() failed: ${describeThrown(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

let catching = false;

/**
 * From now on, what store code throws while no clause runs (as a module loads, between clauses,
 * as the store closes) is printed and changes nothing: the command goes on, and exits with the
 * code its run comes to. While a clause runs, the clause's watch (strays.ts) takes it.
 */
export function catchStrayErrors(command: string): void {
  if (catching) return;
  catching = true;
  const print = (error: unknown) => {
    if (!watchingClauses()) process.stderr.write(`${command}: store code threw while no clause was running, which does not change the outcome: ${describeThrown(error)}\n`);
  };
  process.on('uncaughtException', print);
  process.on('unhandledRejection', print);
}

export interface EndOptions {
  /** The command's name, the prefix of what it prints. */
  command: string;
  /** The exit code the run came to. */
  code: number;
  /** Closes what the run opened and the user's module handed over; resolves to problems to print. */
  close?: () => Promise<(string | undefined)[]>;
}

/**
 * Closes everything, then lets the process end with `code`: by itself when nothing is left open,
 * else after GRACE_MS, with one line naming what was left and the fix. Store code that throws
 * from then on is printed, and does not change the code the run came to.
 */
export async function endRun({ command, code, close }: EndOptions): Promise<void> {
  catchStrayErrors(command);
  process.exitCode = code;
  for (const problem of (await close?.()) ?? []) if (problem) process.stderr.write(`${command}: ${problem}\n`);
  setTimeout(() => {
    const { words, raw } = describeResources(leftResources());
    process.stderr.write(
      `${command}: the store left ${words} open after the run${raw ? ` (${raw})` : ''}; exiting with ${code} anyway. ` +
        'Close them in the close() of your target (export default { name, open, close }) or of your store (store.close()).\n',
    );
    process.exit(code);
  }, GRACE_MS).unref();
}
