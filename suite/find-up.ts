import { dirname } from 'node:path';

/**
 * Walks from `start` up to the filesystem root and returns the first thing `match` finds in a
 * directory: how files are located both from source and from dist/.
 */
export function findUp<T>(start: string, match: (dir: string) => T | undefined): T | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const found = match(dir);
    if (found !== undefined) return found;
    if (dirname(dir) === dir) return undefined;
  }
}
