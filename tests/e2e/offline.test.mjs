// Offline and installable: after one visit the service worker serves the
// whole app, and the page works with the network off. Also measures the
// first visit (transfer size, time to interactive) and checks that analysing
// makes no request at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SITE, ARTIFACTS, launch, recordingContext, newPage, scoreShown, foreign } from './harness.mjs';

let browser;
let log;
let page;

before(async () => {
  browser = await launch();
  log = await recordingContext(browser);
  // When the first score appears: the app is interactive (the wasm has
  // loaded, analysed the seed text and rendered the report).
  await log.context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-testid=score] .score-value')) {
        window.__drydockInteractive = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  page = await newPage(log);
});

after(async () => { await browser?.close(); });

test('first visit: size and time to interactive', async () => {
  await page.goto(SITE);
  await scoreShown(page);
  const m = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource')
      .filter((r) => r.startTime < window.__drydockInteractive);
    return {
      interactive_ms: Math.round(window.__drydockInteractive),
      dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd),
      // The server does not compress: these are raw bytes (`cargo xtask
      // build` prints the gzip sizes).
      transfer_bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
      resources: resources.map((r) => `${new URL(r.name).pathname} ${r.transferSize}`),
    };
  });
  console.log(`first visit: ${JSON.stringify(m)}`);
  writeFileSync(join(ARTIFACTS, 'first-visit.json'), `${JSON.stringify(m, null, 2)}\n`);
  assert.ok(m.interactive_ms > 0);
  // Generous bounds (the machine is shared): a regression, not a benchmark.
  assert.ok(m.interactive_ms < 3000, `interactive after ${m.interactive_ms} ms`);
  assert.ok(m.transfer_bytes < 1_500_000, `${m.transfer_bytes} bytes`);
});

test('the service worker installs, precaches the build and takes control', async () => {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  const cached = await page.evaluate(async () => {
    const keys = await caches.keys();
    const cache = await caches.open(keys.find((k) => k.startsWith('drydock-')));
    return { keys, urls: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
  assert.equal(cached.keys.length, 1);
  assert.match(cached.keys[0], /^drydock-[0-9a-f]{16}$/);
  for (const want of ['/index.html', '/register-sw.js', '/manifest.webmanifest', '/icon.svg']) {
    assert.ok(cached.urls.includes(want), `${want} in ${cached.urls}`);
  }
  assert.ok(cached.urls.some((u) => u.endsWith('_bg.wasm')), cached.urls.join(' '));
  assert.ok(!cached.urls.includes('/sw.js'));
  const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
  assert.equal(manifest.short_name, 'drydock');
  assert.equal(manifest.icons[0].src, '/icon.svg');
});

test('analysing a Dockerfile makes no request of any kind', async () => {
  const before = log.requests.length;
  await page.fill('#editor', 'FROM node\nRUN curl http://example.com/x.sh | sh\nADD https://example.com/a.tgz /a\n');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('li.finding[data-rule=DD002]');
  await page.fill('#editor', 'FROM node:22\nUSER node\n');
  await page.waitForFunction(() => !document.querySelector('li.finding[data-rule=DD002]'));
  assert.deepEqual(log.requests.slice(before), []);
});

test('with the network off: reload, analyse, open rule and docs pages', async () => {
  await log.context.setOffline(true);
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  await page.reload();
  await scoreShown(page);
  await page.fill('#editor', 'FROM node\nMAINTAINER me\n');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('li.finding[data-rule=DD003]');
  await page.click('li.finding[data-rule=DD002] a.docs-link');
  await page.waitForSelector('article.rule-page[data-rule=DD002]');
  await page.goto(new URL('#/rules/DD001', SITE).href);
  await page.waitForSelector('article.rule-page[data-rule=DD001]');
  await page.goto(new URL('#/rules', SITE).href);
  await page.waitForSelector('.rules-table');
  await page.goto(new URL('#/docs/scoring', SITE).href);
  await page.waitForSelector('article.scoring-page');
  // A fresh tab, too: the navigation itself is served from the cache.
  const second = await newPage(log);
  await second.goto(new URL('#/rules/DD100', SITE).href);
  await second.waitForSelector('article.rule-page[data-rule=DD100]');
  await second.screenshot({ path: join(ARTIFACTS, 'offline-rule-page.png') });
  await second.close();
  assert.deepEqual(failed, []);
  await log.context.setOffline(false);
});

test('no CSP violation, no page error, no other origin', () => {
  assert.deepEqual(log.violations, []);
  assert.deepEqual(log.problems, []);
  assert.ok(log.requests.length > 0);
  assert.deepEqual(foreign(log.requests), []);
});
