// The docs inside the app: #/docs, the examples gallery (each example lands
// in its band), the searchable rules index, "open this example" on rule
// pages, and the #/embed route for iframes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SITE } from './harness.mjs';
import { openSite } from './browser.mjs';

let browser;
let page;
let requests;
let problems;
let violations;

before(async () => {
  ({ browser, page, requests, problems, violations } = await openSite('[data-testid=score] .score-value'));
});

after(async () => { await browser?.close(); });

const go = async (hash, selector) => {
  await page.goto(new URL(hash, SITE).href);
  await page.waitForSelector(selector);
};

test('#/docs says what drydock is, how to use it, privacy, and how to embed', async () => {
  await go('#/docs', '[data-testid=docs-page]');
  const text = await page.innerText('[data-testid=docs-page]');
  for (const heading of ['How to use it', 'Privacy', 'Embedding a result']) {
    assert.ok(text.includes(heading), heading);
  }
  assert.match(await page.innerText('[data-testid=embed-snippet]'), /<iframe src="[^"]+#\/embed\/v1\.[zdr]\.[A-Za-z0-9_-]+"/);
});

test('every example opens in the playground with one click and lands in its band', async () => {
  await go('#/examples', '[data-testid=examples-page]');
  const ids = await page.locator('li.example-card').evaluateAll((els) => els.map((e) => e.dataset.example));
  assert.equal(ids.length, 10);
  for (const id of ids) {
    await go('#/examples', `li.example-card[data-example="${id}"]`);
    const card = page.locator(`li.example-card[data-example="${id}"]`);
    const band = (await card.locator('.band').innerText()).trim();
    await card.locator('h3 a').click();
    await page.waitForSelector('#editor', { state: 'visible' });
    await page.waitForFunction(
      (b) => document.querySelector('[data-testid=grade]')?.textContent === b,
      band, { timeout: 10_000 },
    );
    assert.ok((await page.inputValue('#editor')).length > 50, id);
  }
});

test('the rules index filters by words, peer id, severity and category', async () => {
  await go('#/rules', '.rules-table');
  const rows = () => page.locator('.rules-table tbody tr').count();
  const all = await rows();
  assert.ok(all >= 88, String(all));
  await page.fill('#rule-search', 'DL3008');
  await page.waitForFunction(() => document.querySelectorAll('.rules-table tbody tr').length === 1);
  assert.equal(await page.locator('.rules-table tbody tr').getAttribute('data-rule'), 'DD005');
  await page.fill('#rule-search', '');
  await page.selectOption('#rule-severity', 'critical');
  const sev = await page.locator('.rules-table tbody tr .sev').allInnerTexts();
  assert.ok(sev.length > 0 && sev.every((s) => s.toLowerCase() === 'critical'), sev.join());
  await page.selectOption('#rule-category', 'style');
  assert.match(await page.innerText('[data-testid=rule-count]'), /^\d+ of \d+$/);
  await page.selectOption('#rule-severity', '');
  await page.selectOption('#rule-category', '');
  assert.equal(await rows(), all);
});

test("a rule page's example opens in the playground", async () => {
  await go('#/rules/DD003', 'article.rule-page');
  const bad = await page.innerText('[data-testid=bad-example]');
  await page.click('[data-testid=open-bad]');
  await page.waitForSelector('li.finding[data-rule=DD003]');
  assert.equal((await page.inputValue('#editor')).trim(), bad.trim());
});

test('#/embed shows a compact result for an iframe, without the page around it', async () => {
  await go('#/docs', '[data-testid=embed-snippet]');
  const snippet = await page.innerText('[data-testid=embed-snippet]');
  const src = snippet.match(/src="([^"]+)"/)[1];
  const hash = new URL(src).hash;
  // Someone's docs page (a document without drydock's policy) that frames
  // the embed route.
  const host = new URL('/embed-host.html', SITE).href;
  await page.route(host, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><title>docs</title><iframe id="f" title="drydock result" src="${new URL(hash, SITE).href}" width="480" height="320"></iframe>`,
  }));
  await page.goto(host);
  const frame = page.frameLocator('#f');
  await frame.locator('[data-testid=embed]').waitFor();
  assert.match(await frame.locator('[data-testid=embed-score]').innerText(), /^\d+$/);
  assert.ok(await frame.locator('li.finding[data-rule=DD002]').count() === 1);
  assert.equal(await frame.locator('.site-header').isVisible(), false);
  // The frame loads nothing it does not show: no extras' wasm (elsewhere it
  // comes when the browser is idle, within a second of the first score).
  await page.waitForTimeout(1500);
  assert.equal(await frame.locator('script[src="./extras.js"]').count(), 0);
  await go('#/embed/v1.d.%%%', '[data-testid=embed-error]');
});

test('no request left the page origin, no CSP violation, no page error', () => {
  const origin = new URL(SITE).origin;
  assert.deepEqual(requests.filter((u) => u.startsWith('http') && new URL(u).origin !== origin), []);
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
});
