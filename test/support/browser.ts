/**
 * Debian's Chromium, driven through playwright-core, for the dashboard's
 * tests: headless, with a fresh profile in a temporary folder, nothing
 * reaching the network but the pages the test opens. A missing Chromium
 * fails the test (it is never skipped): `.ci/install-system-tools` installs it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildDashboard } from '../../build/dashboard-bundle.mjs';

/** Where Debian's chromium package puts the browser. */
const chromiumPath = '/usr/bin/chromium';

/** Where the tests put their screenshots (gitignored; CI keeps them as artifacts). */
const screenshotsDir = join(process.cwd(), 'test-artifacts', 'screenshots');

/** A browser with one fresh profile; `close` removes both. */
export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Saves a full-page screenshot as `<name>.png` under {@link screenshotsDir}. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Chromium with a fresh user-data folder and opens one page. */
export async function openBrowser(
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<TestBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}: run \`sudo bash .ci/install-system-tools\` (it installs Debian's chromium).`,
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'fleetwave-chromium-'));
  try {
    // A persistent context is how playwright takes a user-data folder; it is fresh, so nothing carries over.
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      args,
      headless: true,
      viewport: options.viewport ?? { width: 1200, height: 900 },
      colorScheme: options.colorScheme ?? 'light',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async screenshot(name) {
        await mkdir(screenshotsDir, { recursive: true });
        const path = join(screenshotsDir, `${name}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Builds the dashboard and opens a browser before the file's tests (or the
 * describe's), and closes it after them; returns a getter for the tests.
 */
export function useBrowser(): () => TestBrowser {
  let browser: TestBrowser | undefined;
  beforeAll(async () => {
    await buildDashboard();
    browser = await openBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('The browser is not open (call useBrowser at the top of a describe).');
    return browser;
  };
}
