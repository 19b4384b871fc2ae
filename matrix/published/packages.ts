/**
 * The matrix's own npm project (matrix/package.json): where the published stores are installed,
 * apart from the library's dev install, and how a store file loads one of them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findUp } from '../../suite/find-up.js';

/** matrix/ in the checkout, found from source and from dist/ alike (the build copies no package.json to dist/). */
export const MATRIX_DIR = findUp(import.meta.dirname, (dir) => (existsSync(join(dir, 'matrix', 'package.json')) ? join(dir, 'matrix') : undefined))!;

type Importer = { importPackage(name: string): Promise<any> };
let importer: Promise<Importer> | undefined;

/** A package's module namespace as installed in matrix/node_modules (a CommonJS one's exports are its `default`). */
export async function matrixPackage(name: string): Promise<any> {
  importer ??= import(pathToFileURL(join(MATRIX_DIR, 'import-package.mjs')).href) as Promise<Importer>;
  return (await importer).importPackage(name);
}
