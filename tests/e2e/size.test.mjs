// The Size panel in a real browser: Debian's Chromium driven by
// playwright-core against the built site (`cargo xtask e2e` serves dist/ and
// sets DRYDOCK_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SITE, openSite } from './browser.mjs';

let browser;
let page;
let requests;
let problems;

before(async () => {
  ({ browser, page, requests, problems } = await openSite('[data-testid=size-total]'));
});

after(async () => { await browser?.close(); });

const text = (selector) => page.locator(selector).first().innerText();
const megabytes = (s) => {
  const m = s.match(/≈ ([\d.]+) (kB|MB|GB)/);
  assert.ok(m, `no size in ${s}`);
  return Number(m[1]) * { kB: 1e-3, MB: 1, GB: 1e3 }[m[2]];
};

test('the seed golang example estimates 10–20 MB with a bar per instruction', async () => {
  const total = await text('[data-testid=size-total]');
  const mb = megabytes(total);
  assert.ok(mb >= 10 && mb <= 20, `seed total ${total}`);
  assert.match(total, /on disk/);
  assert.match(total, /to pull/);
  assert.match(await text('[data-testid=size-range]'), /–/);
  // The final stage only: distroless base + three COPY --from.
  const lines = await page.locator('li.size-item').evaluateAll((els) => els.map((e) => Number(e.dataset.line)));
  assert.deepEqual(lines, [34, 37, 40, 43]);
  assert.equal(await page.locator('.size-bar[role=img]').count(), 4);
  assert.match(await text('li.size-item[data-line="43"] .size-reason'), /Go binary/);
  // Each stage's own total; only the last one ships.
  const stages = await page.locator('li.size-stage').allInnerTexts();
  assert.equal(stages.length, 2);
  assert.match(stages[0], /builder ≈ [\d.]+ MB on disk \(build stage, does not ship\)/);
  assert.match(stages[1], /stage 1 ≈ [\d.]+ MB on disk \(ships\)/);
  // The build stage's base has a smaller alternative, said as text.
  const alt = await text('[data-testid=size-alternative]');
  assert.match(alt, /golang:1\.21-alpine ≈ [\d.]+ MB → gcr\.io\/distroless\/static ≈ [\d.]+ MB/);
});

test('COPY . asks for the context size; entering it firms up the figure', async () => {
  await page.fill('#editor', 'FROM python:3.12-slim\nCOPY . /app\nRUN pip install --no-cache-dir -r /app/requirements.txt\n');
  await page.waitForFunction(() => document.querySelectorAll('li.size-item').length === 3, null, { timeout: 10_000 });
  assert.match(await text('[data-testid=size-needs-context]'), /build context/);
  assert.match(await text('li.size-item[data-line="2"] .size-reason'), /unknown/);
  assert.equal(await page.locator('li.size-item[data-line="2"]').getAttribute('data-certainty'), 'unknown');
  // Keyboard only: focus the input by its label and type.
  await page.getByLabel('Build context size (MB)').focus();
  await page.keyboard.type('250');
  await page.waitForFunction(
    () => document.querySelector('li.size-item[data-line="2"] [data-testid=size-item-value]')?.textContent === '250 MB',
    null, { timeout: 10_000 },
  );
  assert.equal(await page.locator('[data-testid=size-needs-context]').count(), 0);
  assert.match(await text('li.size-item[data-line="2"] .size-reason'), /as you entered it/);
});

test('a big single-stage image suggests a smaller base', async () => {
  await page.fill('#editor', 'FROM node:24-trixie\nRUN apt-get update && apt-get install -y curl\n');
  await page.waitForFunction(() => document.querySelectorAll('li.size-item').length === 2, null, { timeout: 10_000 });
  assert.match(await text('li.size-item[data-line="2"] .size-reason'), /--no-install-recommends/);
  assert.match(await text('li.size-item[data-line="2"] .size-reason'), /\/var\/lib\/apt\/lists/);
  const alts = await page.locator('[data-testid=size-alternative]').allInnerTexts();
  assert.ok(alts.some((a) => /node:24-slim/.test(a)), alts.join('\n'));
  assert.ok(alts.some((a) => /distroless\/nodejs22/.test(a)), alts.join('\n'));
});

test('no request leaves the origin and nothing failed', async () => {
  const origin = new URL(SITE).origin;
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:')), []);
  assert.deepEqual(problems, []);
});
