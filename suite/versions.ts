import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findUp } from './find-up.js';

function readPackageJson(path: string): { name?: string; version?: string } {
  return JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
}

/** The version in the nearest package.json at or above `dir` that is named `name`. */
function versionOf(name: string, dir: string): string | undefined {
  return findUp(dir, (d) => {
    const candidate = join(d, 'package.json');
    if (!existsSync(candidate)) return undefined;
    const pkg = readPackageJson(candidate);
    return pkg.name === name ? (pkg.version ?? 'unknown') : undefined;
  });
}

/** This package's own version, found by walking up from this file (works from source and from dist/). */
function ownVersion(): string {
  return versionOf('session-store-conformance', dirname(fileURLToPath(import.meta.url))) ?? 'unknown';
}

/** Installed version of a dependency as seen from the caller's project, or undefined. */
export function installedVersion(name: string): string | undefined {
  const require = createRequire(join(process.cwd(), 'package.json'));
  try {
    return versionOf(name, dirname(require.resolve(name)));
  } catch {
    // An ES-module-only package (exports without a `require` condition, as connect-redis 11) does
    // not resolve through require: its package.json is found where Node looks for it.
    return findUp(process.cwd(), (d) => {
      const candidate = join(d, 'node_modules', name, 'package.json');
      return existsSync(candidate) ? (readPackageJson(candidate).version ?? 'unknown') : undefined;
    });
  }
}

export function packageVersions(extra: readonly string[] = []): Record<string, string> {
  const versions: Record<string, string> = { node: process.version, 'session-store-conformance': ownVersion() };
  for (const name of ['fast-check', 'vitest', ...extra]) {
    const version = installedVersion(name);
    if (version) versions[name] = version;
  }
  return versions;
}
