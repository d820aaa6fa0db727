import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (which brings no browser of its own; the bootstrap
 * installs the package). Quiet flags keep the browser from reaching out anywhere, and a fresh
 * profile per run keeps runs from seeing each other's storage.
 */
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (git-ignored). */
export const screenshotDir = resolve(__dirname, '../../.artifacts/screenshots');

export interface DashboardBrowser {
  context: BrowserContext;
  /** A new tab (its own sessionStorage, so its own log-in) that records uncaught page errors. */
  newPage(): Promise<Page>;
  /** Uncaught errors of every page so far. */
  pageErrors: string[];
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchDashboardBrowser(): Promise<DashboardBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'fleetwave-chromium-'));
  await mkdir(screenshotDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: flags,
    viewport: { width: 1400, height: 1000 },
  });
  const pageErrors: string[] = [];
  return {
    context,
    pageErrors,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
    async screenshot(page, name) {
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the dashboard and logs in through its form. */
export async function logIn(page: Page, gatewayUrl: string, user: string, password: string): Promise<void> {
  await page.goto(`${gatewayUrl}/ui`);
  await page.locator('#login-dialog input[name=user]').fill(user);
  await page.locator('#login-dialog input[name=password]').fill(password);
  await page.locator('#login-dialog button[type=submit]').click();
  await page.locator('#who').filter({ hasText: user }).waitFor();
}
