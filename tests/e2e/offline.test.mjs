// Offline and installable: after one visit the service worker serves the
// whole app, and the page works with the network off. Also measures the
// first visit (transfer size, time to interactive) and checks that analysing
// makes no request at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFile, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE, ARTIFACTS, launch, recordingContext, newPage, scoreShown, foreign } from './harness.mjs';

// The built site (`cargo xtask e2e` names it).
const DIST = process.env.DRYDOCK_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const TYPES = {
  '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json',
};

/// Serves `dir` on a free loopback port (a bare static server).
function serveCopy(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    readFile(file.startsWith(dir) ? file : '', (err, body) => {
      if (err) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

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
  // What a gzip-serving host would send: each file fetched, gzipped.
  m.gzip_bytes = ['/index.html', ...m.resources.map((r) => r.split(' ')[0])]
    .map((path) => gzipSync(readFileSync(join(DIST, path)), { level: 9 }).length)
    .reduce((a, b) => a + b, 0);
  console.log(`first visit: ${JSON.stringify(m)}`);
  writeFileSync(join(ARTIFACTS, 'first-visit.json'), `${JSON.stringify(m, null, 2)}\n`);
  assert.ok(m.interactive_ms > 0);
  // The time bound is generous (the machine is shared): a regression guard,
  // not the goal (≤ 300 ms, reported from first-visit.json). The size is the
  // goal itself: ≤ 400 KB gzipped before the first score. The Size, Rewrite
  // and Share panels and the docs load afterwards as a wasm of their own.
  assert.ok(m.interactive_ms < 3000, `interactive after ${m.interactive_ms} ms`);
  assert.ok(m.transfer_bytes < 1_100_000, `${m.transfer_bytes} bytes`);
  assert.ok(m.gzip_bytes <= 400_000, `${m.gzip_bytes} bytes gzipped`);
  assert.ok(!m.resources.some((r) => r.includes('extras')), 'the extras loaded before the first score');
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

test('a new build is offered, and loaded only when the user clicks', async (t) => {
  // A copy of the site on its own server (so a new origin, a fresh service
  // worker), whose sw.js then changes as the next build's would.
  const copy = mkdtempSync(join(tmpdir(), 'drydock-site-'));
  cpSync(DIST, copy, { recursive: true });
  const server = await serveCopy(copy);
  t.after(() => { server.close(); rmSync(copy, { recursive: true, force: true }); });
  const url = `http://127.0.0.1:${server.address().port}/`;
  const other = await recordingContext(browser);
  const tab = await newPage(other);
  await tab.goto(url);
  await scoreShown(tab);
  await tab.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  // This bare server sends no isolation headers; the service worker adds
  // them to what it serves (the image worker's shared ring needs them).
  assert.equal(await tab.evaluate(() => crossOriginIsolated), false);
  await tab.reload();
  await scoreShown(tab);
  assert.equal(await tab.evaluate(() => crossOriginIsolated), true);
  const before = await tab.evaluate(() => caches.keys());
  await tab.evaluate(() => { window.__sameDocument = true; });

  appendFileSync(join(copy, 'sw.js'), '\n// the next build\n');
  await tab.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await tab.waitForSelector('.update-prompt[role=status]', { timeout: 20_000 });
  assert.match(await tab.locator('.update-prompt').innerText(), /Update available/);
  // Waiting does not reload the page.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await tab.evaluate(() => window.__sameDocument), true);
  await tab.screenshot({ path: join(ARTIFACTS, 'update-prompt.png') });
  // Not while an analysis is pending: with the clock held, typed text waits
  // for its analysis, and so does the reload.
  await tab.clock.install();
  await tab.fill('#editor', 'FROM node:22\nUSER node\n');
  await tab.waitForSelector('.score-badge.stale');
  await tab.click('.update-prompt button:text("Reload")');
  await tab.waitForFunction(() => /once the analysis is done/.test(document.querySelector('.update-prompt').textContent));
  assert.equal(await tab.evaluate(() => window.__sameDocument), true);
  await Promise.all([tab.waitForEvent('load'), tab.clock.runFor(1000)]);
  await scoreShown(tab);
  assert.equal(await tab.evaluate(() => window.__sameDocument), undefined);
  assert.equal(await tab.locator('.update-prompt').count(), 0);
  // The new worker's activation removed the old build's cache.
  await tab.waitForFunction(
    (old) => caches.keys().then((k) => k.length === 1 && k[0] !== old), before[0],
  );
  assert.deepEqual(other.violations, []);
  assert.deepEqual(other.problems, []);
  assert.deepEqual(other.requests.filter((u) => !u.startsWith(url)), []);
  await other.context.close();
});

test('panels that cannot load say so instead of loading for ever', async () => {
  // A context of its own, without the service worker, whose extras fail
  // to download: the score still shows, and each placeholder says why the
  // rest is missing.
  const other = await recordingContext(browser, { serviceWorkers: 'block' });
  await other.context.route('**/drydock-extras*', (route) => route.abort());
  const p = await newPage(other);
  await p.goto(SITE);
  await scoreShown(p);
  await p.waitForSelector('#size-root p[role=alert]', { timeout: 10_000 });
  for (const id of ['size-root', 'rewrite-root', 'share-root', 'docs-root']) {
    assert.match(await p.locator(`#${id} p`).first().textContent(), /could not be loaded .* Reload to try again/, id);
  }
  assert.ok(Number(await p.locator('[data-testid=score] .score-value').textContent()) > 0);
  await other.context.close();
});

test('no CSP violation, no page error, no other origin', () => {
  assert.deepEqual(log.violations, []);
  assert.deepEqual(log.problems, []);
  assert.ok(log.requests.length > 0);
  assert.deepEqual(foreign(log.requests), []);
});
