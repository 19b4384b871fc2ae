/**
 * Turns what a user names on the command line into a conformance target: a module whose default
 * export is a target, a store instance, an express-session store or a koa-session store (detected
 * by shape or forced), or a store URL that connectStore opens. The conformance command and the
 * bench's --store both load through here.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { redactUrl } from '../stores/connection-error.js';
import { connectStore } from '../stores/connect.js';
import type { SessionStore, StoreDeclarations } from '../suite/contract.js';
import type { ConformanceTarget, StoreFactory } from '../suite/target.js';
import { UsageError } from './usage-error.js';
import { messageOf } from '../suite/describe-value.js';

export type TargetKind = 'target' | 'store' | 'express' | 'koa' | 'url';

export interface LoadedTarget {
  target: ConformanceTarget;
  kind: TargetKind;
}

export const EXPECTED_EXPORT = `Its default export must be a SessionStore (get, set, pop), a target { name, open() }, an
express-session store or a koa-session store. For example:

  import { MemoryStore } from 'session-store-conformance/stores';
  export default { name: 'my store', open: () => new MemoryStore() };`;

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

const hasMethods = (value: object, ...names: string[]) => names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

/** Registers tsx from the user's own project, when it is there, for TypeScript that Node cannot strip. */
async function registerUserLoader(): Promise<boolean> {
  try {
    const api = createRequire(join(process.cwd(), 'package.json')).resolve('tsx/esm/api');
    const { register } = (await import(pathToFileURL(api).href)) as { register(): void };
    register();
    return true;
  } catch {
    return false;
  }
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const typeScriptFailed = TYPESCRIPT.has(extname(path)) && (code === 'ERR_UNKNOWN_FILE_EXTENSION' || code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' || error instanceof SyntaxError);
    if (typeScriptFailed && (await registerUserLoader())) return (await import(`${url}?tsx`)) as Record<string, unknown>;
    if (typeScriptFailed) {
      throw new UsageError(`could not load ${path}: ${(error as Error).message}\nNode strips only erasable TypeScript syntax; install tsx in your project (npm install -D tsx), or point at the compiled JavaScript.`);
    }
    // The module itself threw, or imports a package that is not installed.
    throw new Error(`could not load ${path}: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * The adapters that turn ecosystem stores into targets, passed in so that this module does not
 * decide which of them a caller can load.
 */
export interface Adapters {
  express(store: object): ConformanceTarget;
  koa(store: object): ConformanceTarget;
}

export function detectTarget(value: unknown, adapters: Adapters, force?: 'express' | 'koa'): LoadedTarget | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const isTarget = typeof (value as { open?: unknown }).open === 'function';
  const isStore = hasMethods(value, 'get', 'set', 'pop');
  if (force) {
    // The suite checks a target or a SessionStore as it is: no adapter can take one.
    if (isTarget) throw new UsageError(`--${force}: the module exports a conformance target ({ name, open() }), not ${force === 'express' ? 'an express-session' : 'a koa-session'} store; run it without --${force}`);
    try {
      return { target: adapters[force](value), kind: force };
    } catch (error) {
      const hint = isStore ? `; it is a SessionStore (get, set, pop), which the suite checks as it is: run it without --${force}` : '';
      throw new UsageError(`--${force}: ${(error as Error).message}${hint}`);
    }
  }
  if (isTarget) return { target: value as ConformanceTarget, kind: 'target' };
  if (isStore) return { target: value as ConformanceTarget, kind: 'store' };
  // express-session's Store is an EventEmitter with callback methods; koa-session's are plain async objects.
  if (hasMethods(value, 'get', 'set', 'destroy', 'on', 'emit')) return { target: adapters.express(value), kind: 'express' };
  if (hasMethods(value, 'get', 'set', 'destroy')) return { target: adapters.koa(value), kind: 'koa' };
  return undefined;
}

/**
 * A store URL (redis://…, memcached://…, sqlite::memory:) rather than a module path: it opens a
 * reference store through connectStore, which names the forms it knows when the scheme is
 * unknown. A Windows drive letter has no "//"; a file: URL is a module.
 */
export const isStoreUrl = (spec: string): boolean => (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec) && !/^file:/i.test(spec)) || /^(memory|sqlite):/.test(spec);

/**
 * A target that opens the URL's store through connectStore, with what its class declares; an
 * in-process store reads an injected clock, so its expiry is judged at exact boundaries.
 */
async function urlTarget(url: string): Promise<LoadedTarget> {
  let first: SessionStore;
  try {
    first = await connectStore(url);
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
  const declares = (first.constructor as { declares?: StoreDeclarations }).declares ?? {};
  await first.close?.();
  const inProcess = /^(memory|sqlite):/.test(url);
  const target: StoreFactory = { name: redactUrl(url), ...declares, ...(inProcess && { clock: 'injected' as const }), open: ({ clock }) => connectStore(url, inProcess ? { clock } : {}) };
  return { target, kind: 'url' };
}

/**
 * Loads what `spec` names. `onExport` hears of a module's default export as soon as it is
 * imported, even when it turns out not to be usable, so that the caller can close it.
 */
export async function loadTarget(spec: string, adapters: Adapters, force?: 'express' | 'koa', onExport?: (exported: unknown) => void): Promise<LoadedTarget> {
  if (isStoreUrl(spec)) return urlTarget(spec);
  const path = resolve(spec);
  if (!existsSync(path)) throw new UsageError(`no module at ${path}\n${EXPECTED_EXPORT}`);
  const module = await importModule(path);
  // CommonJS: module.exports arrives as the default export.
  const exported = 'default' in module ? module.default : undefined;
  onExport?.(exported);
  const loaded = detectTarget(exported, adapters, force);
  if (!loaded) {
    const found = exported === undefined ? `no default export (named exports: ${Object.keys(module).join(', ') || 'none'})` : `a default export of type ${exported === null ? 'null' : typeof exported} without the methods below`;
    throw new UsageError(`${spec} has ${found}.\n${EXPECTED_EXPORT}`);
  }
  return loaded;
}
