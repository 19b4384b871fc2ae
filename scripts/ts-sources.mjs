// Lets Node run this repository's TypeScript sources as they are, with no build: Node strips the
// types, and the hook maps a `.ts` file's `./x.js` imports to the `./x.ts` file beside it.
// Not a named import: Node before 22.15 has no registerHooks, and callers must be able to say so.
import nodeModule from 'node:module';

/** Registers the hook; false where this Node cannot run the sources (no type stripping or no registerHooks). */
export function runTypeScriptSources() {
  if (!process.features.typescript || !nodeModule.registerHooks) return false;
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      if (!/^\.\.?\/.*\.js$/.test(specifier) || !context.parentURL?.endsWith('.ts')) return nextResolve(specifier, context);
      try {
        return nextResolve(specifier, context);
      } catch {
        return nextResolve(specifier.replace(/\.js$/, '.ts'), context);
      }
    },
  });
  return true;
}
