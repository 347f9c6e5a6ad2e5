// The Rewrite panel in a real browser (same setup as playground.test.mjs):
// propose, read the diff and changes, copy, download, apply and undo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const SITE = process.env.DRYDOCK_URL;
const ARTIFACTS = process.env.DRYDOCK_ARTIFACTS ?? 'test-artifacts';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
assert.ok(SITE, 'DRYDOCK_URL must name the served site (run through `cargo xtask e2e`)');

let browser;
let page;
const requests = [];
const problems = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(SITE).origin });
  context.on('request', (r) => requests.push(r.url()));
  page = await context.newPage();
  // End-of-life verdicts use the browser's date: fix it, so the expected
  // findings do not drift with the calendar. Timers still run.
  await page.clock.setFixedTime(new Date('2026-11-27T10:00:00'));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  await page.goto(SITE);
  await page.waitForSelector('[data-testid=score] .score-value');
});

after(async () => { await browser?.close(); });


const GO = `FROM golang:1.21
WORKDIR /app
COPY . .
RUN go build -o server .
EXPOSE 8080
CMD ./server
`;

async function setEditor(value) {
  await page.fill('#editor', value);
  await page.keyboard.press('Control+Enter');
}

async function outcome(expected) {
  await page.waitForFunction(
    (e) => document.querySelector('[data-testid=rewrite-outcome]')?.textContent.startsWith(e),
    expected, { timeout: 15_000 },
  );
}

test('the seed example is left unchanged, with the reason', async () => {
  await page.click('[data-testid=rewrite-toggle]');
  await outcome('Unchanged');
  assert.match(await page.locator('[data-testid=rewrite-reason]').innerText(), /distroless/);
});

test('a single-stage Go build gets a rewrite: diff, changes, scores', async () => {
  await setEditor(GO);
  await outcome('Rewritten (go)');
  const diff = await page.locator('[data-testid=rewrite-diff]').innerText();
  assert.match(diff, /\+ FROM gcr\.io\/distroless\/static-debian13:nonroot/);
  assert.match(diff, /- CMD \.\/server/);
  assert.match(diff, /\+ CMD \["\.\/server"\]/);
  const changes = await page.locator('[data-testid=rewrite-changes] li').allInnerTexts();
  assert.ok(changes.some((c) => c.includes('CGO_ENABLED=0')), changes.join('\n'));
  assert.ok(changes.some((c) => c.includes('nonroot')), changes.join('\n'));
  assert.match(await page.locator('[data-testid=rewrite-score]').innerText(), /score \d+ → (9\d|100)/);
  await page.screenshot({ path: `${ARTIFACTS}/rewrite.png`, fullPage: true });
});

test('side by side shows before and after columns', async () => {
  await page.click('[data-testid=rewrite-view]');
  const rows = page.locator('[data-testid=rewrite-side] tbody tr');
  assert.ok(await rows.count() > 5);
  assert.match(await page.locator('[data-testid=rewrite-side]').innerText(), /FROM golang:1\.21/);
  await page.click('[data-testid=rewrite-view]');
  assert.equal(await page.locator('[data-testid=rewrite-diff]').isVisible(), true);
});

test('copy puts the new Dockerfile on the clipboard', async () => {
  await page.click('[data-testid=rewrite-copy]');
  await page.waitForFunction(() => document.querySelector('[data-testid=rewrite-copy]')?.textContent === 'Copied');
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(clip, /^# syntax=docker\/dockerfile:1\nFROM golang:1\.27 AS build/);
});

test('download offers the new Dockerfile as a file', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-testid=rewrite-download]'),
  ]);
  assert.equal(download.suggestedFilename(), 'Dockerfile');
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  assert.match(readFileSync(path, 'utf8'), /USER 65532:65532/);
});

test('apply to editor replaces the text, and undo brings it back', async () => {
  await page.click('[data-testid=rewrite-apply]');
  assert.match(await page.inputValue('#editor'), /FROM gcr\.io\/distroless\/static-debian13:nonroot/);
  await outcome('Unchanged');
  await page.click('[data-testid=rewrite-undo]');
  assert.equal(await page.inputValue('#editor'), GO);
  await outcome('Rewritten (go)');
  assert.equal(await page.locator('[data-testid=rewrite-undo]').isVisible(), false);
});

test('a file that cannot be rewritten safely is declined with a reason', async () => {
  await setEditor('FROM node:22\nRUN apt-get update && apt-get install -y libvips\nWORKDIR /app\nCOPY . .\nCMD ["node", "a.js"]\n');
  await outcome('Declined (node)');
  assert.match(await page.locator('[data-testid=rewrite-reason]').innerText(), /libvips/);
});

test('no request leaves the page and nothing went wrong', async () => {
  const origin = new URL(SITE).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(problems, []);
});
