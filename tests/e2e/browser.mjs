// What every browser test file shares: Debian's Chromium launched through
// playwright-core (no browser download), the site `cargo xtask e2e` serves
// (DRYDOCK_URL), every request and every page error recorded.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const SITE = process.env.DRYDOCK_URL;
export const ARTIFACTS = process.env.DRYDOCK_ARTIFACTS ?? 'test-artifacts';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
assert.ok(SITE, 'DRYDOCK_URL must name the served site (run through `cargo xtask e2e`)');

/// Opens the site in a fresh headless Chromium and waits for `selector`.
/// Returns `{ browser, page, requests, problems }`: `requests` collects every
/// URL the page asks for, `problems` page errors and console errors.
export async function openSite(selector) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const requests = [];
  const problems = [];
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    // End-of-life verdicts use the browser's date: fix it, so the expected
    // findings do not drift with the calendar. Timers still run.
    await page.clock.setFixedTime(new Date('2026-11-27T10:00:00'));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    await page.goto(SITE);
    await page.waitForSelector(selector);
    return { browser, page, requests, problems };
  } catch (e) {
    // Without this the test file's `after` has no browser to close and
    // node waits for Chromium forever.
    await browser.close();
    throw e;
  }
}
