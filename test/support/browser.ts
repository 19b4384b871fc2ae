/**
 * Headless Chromium for the HTML report tests: Debian's chromium driven by playwright-core (its
 * own browser download cannot run here). Missing, the tests skip saying which package to install;
 * under CI=true or SESSION_CONFORMANCE_REQUIRE=browser they fail instead.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isServerRequired } from '../../servers/provision/index.js';

export const CHROMIUM = process.env.SESSION_CONFORMANCE_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

type Context = Awaited<ReturnType<typeof import('playwright-core').chromium.launchPersistentContext>>;
export type Page = Awaited<ReturnType<Context['newPage']>>;

export interface Browser {
  /** Opens `file` and records what a self-contained page must never do: log an error, throw, or ask the network. */
  open(file: string, options?: { colorScheme?: 'light' | 'dark' }): Promise<{ page: Page; errors: string[]; requests: string[] }>;
  close(): Promise<void>;
}

/** A browser on a fresh profile, or the reason there is none. */
export async function browserFor(): Promise<{ browser: Browser } | { skip: string }> {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    const message = `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set SESSION_CONFORMANCE_CHROMIUM`;
    if (isServerRequired('browser')) throw new Error(`${message}. It is required here (CI=true or SESSION_CONFORMANCE_REQUIRE=browser).`);
    return { skip: message };
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'scc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1280, height: 900 } });
  const browser: Browser = {
    async open(file, options = {}) {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      const own = pathToFileURL(file).href;
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      page.on('pageerror', (e) => void errors.push(e.message));
      page.on('request', (r) => void (r.url() !== own && requests.push(r.url())));
      if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
      await page.goto(own);
      return { page, errors, requests };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return { browser };
}
