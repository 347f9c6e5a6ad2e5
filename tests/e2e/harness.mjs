// Shared set-up for the browser tests: Debian's Chromium driven by
// playwright-core against the built site (`cargo xtask e2e` serves dist/ and
// sets DRYDOCK_URL). Every context records each request it makes and every
// Content-Security-Policy violation its pages report.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const SITE = process.env.DRYDOCK_URL;
export const ARTIFACTS = process.env.DRYDOCK_ARTIFACTS ?? 'test-artifacts';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
assert.ok(SITE, 'DRYDOCK_URL must name the served site (run through `cargo xtask e2e`)');

export async function launch() {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
}

/// A context that records requests (`requests`: URLs), CSP violations
/// (`violations`) and page errors (`problems`). Options go to newContext.
export async function recordingContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const log = { context, requests: [], violations: [], problems: [] };
  context.on('request', (r) => log.requests.push(r.url()));
  await context.exposeBinding('__drydockCspViolation', (_source, v) => log.violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__drydockCspViolation(`${e.effectiveDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return log;
}

/// A page of `log.context` whose errors land in `log.problems`.
export async function newPage(log) {
  const page = await log.context.newPage();
  page.on('pageerror', (e) => log.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') log.problems.push(`console error: ${m.text()}`); });
  return page;
}

export const scoreShown = (page) => page.waitForSelector('[data-testid=score] .score-value');

/// Chooses `path` in the Image page's file input and waits for the read to
/// finish: its status line's MB/s, workers' memory (MB) and how the
/// digests were checked, and how many error lists the page shows.
export async function readImage(page, path, timeout = 60_000) {
  await page.setInputFiles('#image-file', path);
  const status = page.locator('[data-testid=image-read-speed]');
  await status.waitFor({ timeout });
  const line = await status.innerText();
  const m = line.match(/ (\d+) MB\/s · workers' memory ([\d.]+) MB\.$/);
  if (!m) throw new Error(`unexpected status line: ${line}`);
  return {
    mbps: Number(m[1]),
    memoryMb: Number(m[2]),
    digests: await status.getAttribute('data-digests'),
    errors: await page.locator('[data-testid=image-errors]').count(),
  };
}

/// Requests that left the page's origin.
export function foreign(requests) {
  const origin = new URL(SITE).origin;
  return requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
}

/// A browser, a recording context (options to newContext) and a page showing
/// the playground's first score.
export async function openSite(options = {}) {
  const browser = await launch();
  const log = await recordingContext(browser, options);
  const page = await newPage(log);
  await page.goto(SITE);
  await scoreShown(page);
  return { browser, log, page };
}
