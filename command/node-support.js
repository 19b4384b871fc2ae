// Which Node lines this package runs on, checked before anything else of it loads. Plain
// JavaScript with nothing newer than Node 14 in it, since its job is to run on the Nodes the rest
// of the package cannot: the installed bins (cli/bin.ts, bench/bin.ts) and
// scripts/supported-node.mjs, which runs before anything is built, share it.

/**
 * package.json's engines.node, restated so that the check needs no file at run time (a test keeps
 * the two equal).
 */
export const SUPPORTED_NODE = '^22.12.0 || ^24.0.0 || >=26.0.0';

/** The line a command is moved to when the running Node is not supported: the one this project is developed and benchmarked on. */
export const DEFAULT_NODE_LINE = 24;

/** @param {string} version "1.2.3" or "v1.2.3" @returns {number[]} */
function parse(version) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!match) throw new Error(`not a Node version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Whether a Node version satisfies a range made of `^x.y.z` and `>=x.y.z` alternatives joined by
 * `||`, the only forms package.json's engines uses.
 * @param {string} version
 * @param {string} [range]
 * @returns {boolean}
 */
export function satisfiesNode(version, range = SUPPORTED_NODE) {
  const [major, minor, patch] = parse(version);
  return range.split('||').some((alternative) => {
    const match = /^\s*(\^|>=)\s*(\S+)\s*$/.exec(alternative);
    if (!match) throw new Error(`not a range of the form ^x.y.z or >=x.y.z: ${alternative.trim()}`);
    const low = parse(match[2]);
    const atLeast = major !== low[0] ? major > low[0] : minor !== low[1] ? minor > low[1] : patch >= low[2];
    return atLeast && (match[1] === '>=' || major === low[0]);
  });
}

/**
 * For an installed bin, first thing: on a Node it does not support, one line on stderr saying which
 * Node it needs and how to get it, and exit 2, before a module that may not load there is linked.
 * @param {string} bin
 */
export function exitUnlessSupportedNode(bin) {
  if (satisfiesNode(process.versions.node)) return;
  process.stderr.write(
    `${bin}: needs Node.js ${SUPPORTED_NODE}, this is ${process.version}; install Node ${DEFAULT_NODE_LINE} (https://nodejs.org/) or run it as \`npx -p node@${DEFAULT_NODE_LINE} ${bin} …\`\n`,
  );
  process.exit(2);
}
