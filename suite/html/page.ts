/**
 * The page shell of every HTML report: one self-contained file (no network, no external fonts),
 * its stylesheet and script inline and allowed by hash, so that the Content-Security-Policy
 * refuses any other script, handler or request even if some text escaped its escaping.
 */
import { createHash } from 'node:crypto';
import { esc, jsonForScript } from './escape.js';
import { SCRIPT } from './script.js';
import { STYLE } from './style.js';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const CSP = `default-src 'none'; script-src ${sha256(SCRIPT)}; style-src ${sha256(STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;

export interface Page {
  title: string;
  /** HTML, already escaped by whoever built it. */
  body: string;
  /** What the script draws tooltips from (see script.ts), embedded as JSON. */
  data?: unknown;
}

export function renderPage(page: Page): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${esc(page.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    page.body,
    `<script type="application/json" id="drawing-data">${jsonForScript(page.data ?? [])}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
