// A real browser for the console's tests: Debian's Chromium (apt-get install chromium; .ci/run installs it)
// driven by playwright-core, never a downloaded browser. As with the other external tools (tools.js): on a
// developer machine without it the tests skip with a message; in CI (CI=true) they run and fail instead.
// The browser process is started by us (launchServer) and stopped by its pid if closing it does not end it.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserServer, Page } from 'playwright-core';
import { IN_CI } from './tools.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The `skip` option of a browser test: a reason when Chromium is missing outside CI, else false. */
export function skipWithoutChromium(): string | false {
  if (existsSync(CHROMIUM) || IN_CI) return false;
  return `Chromium is not installed at ${CHROMIUM} (apt-get install chromium); in CI this fails instead`;
}

export interface RealBrowser { readonly browser: Browser; close(): Promise<void> }

/** A page in a fresh context (its own cookies), with a 20-second default timeout. */
export async function newPage(real: RealBrowser): Promise<Page> {
  const context = await real.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

export async function launchBrowser(): Promise<RealBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is required but not installed at ${CHROMIUM}${IN_CI ? ' (CI=true: a missing browser fails the test)' : ''}: apt-get install chromium (.ci/run installs it)`);
  }
  const server: BrowserServer = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: 30_000 });
  const pid = server.process().pid;
  const browser = await chromium.connect(server.wsEndpoint(), { timeout: 30_000 });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      await Promise.race([server.close(), new Promise((ok) => setTimeout(ok, 10_000).unref())]);
      if (pid !== undefined) {
        try { process.kill(pid, 0); process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    },
  };
}

/** The console as the browser reaches it: http://localhost:PORT (WebAuthn refuses an IP address as RP ID). */
export const consoleUrl = (endpoint: string, path = '/console'): string => `${endpoint.replace('127.0.0.1', 'localhost')}${path}`;

/**
 * Screenshots of the main pages for docs/console.md, taken by the tests' browser when asked
 * (GATEHOUSE_SCREENSHOTS=1, on the SQLite run only), so an ordinary test run leaves the working tree as it was.
 */
const SHOTS = fileURLToPath(new URL('../../../docs/console/', import.meta.url));
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env['GATEHOUSE_SCREENSHOTS'] !== '1' || (process.env['GATEHOUSE_TEST_STORE'] ?? 'sqlite') !== 'sqlite') return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}
