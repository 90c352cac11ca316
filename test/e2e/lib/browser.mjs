// Debian's Chromium driven by playwright-core (no browser download here).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from './stage.mjs';

export const screenshotDir = path.join(repoRoot, 'test-results/screenshots');

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install Debian's chromium (script/test does with apt-get) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page, name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the sign-in page's guest button. */
export async function signInAsGuest(page, baseUrl) {
  await page.goto(baseUrl);
  const enter = page.getByRole('button', { name: /enter/i });
  await enter.waitFor({ timeout: 60_000 });
  await enter.click();
}

/**
 * Clicks the household sign-in button and logs in at the IdP's page (the
 * test IdP of lib/fakeIdp.mjs: a username form in a popup).
 */
export async function signInWithIdp(page, baseUrl, username) {
  await page.goto(baseUrl);
  const button = page.getByRole('button', { name: /sign in/i });
  await button.waitFor({ timeout: 60_000 });
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    button.click(),
  ]);
  await popup.getByLabel('Username').fill(username);
  await popup.getByRole('button', { name: 'Sign in' }).click();
  await popup.waitForEvent('close', { timeout: 30_000 }).catch(() => {});
}
