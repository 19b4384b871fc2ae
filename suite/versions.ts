import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function readPackageJson(path: string): { name?: string; version?: string } {
  return JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
}

/** This package's own version, found by walking up from this file (works from source and from dist/). */
function ownVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = readPackageJson(candidate);
      if (pkg.name === 'session-store-conformance') return pkg.version ?? 'unknown';
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/** Installed version of a dependency as seen from the caller's project, or undefined. */
export function installedVersion(name: string): string | undefined {
  const require = createRequire(join(process.cwd(), 'package.json'));
  try {
    let dir = dirname(require.resolve(name));
    for (;;) {
      const candidate = join(dir, 'package.json');
      if (existsSync(candidate)) {
        const pkg = readPackageJson(candidate);
        if (pkg.name === name) return pkg.version;
      }
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  } catch {
    return undefined;
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
