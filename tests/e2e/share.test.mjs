// Share links, the score badge and report downloads in a real browser
// (`cargo xtask e2e` serves dist/ and sets DRYDOCK_URL). Everything a link
// carries is in its fragment; garbled, truncated, oversized and malicious
// links give a message and an empty editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { ARTIFACTS, SITE, launch, newPage, recordingContext } from './harness.mjs';

let browser;
let page;
let requests;
let problems;
let violations;

const SECRET = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const EVIL = [
  'FROM node:22-slim',
  `RUN curl -H "Authorization: token ${SECRET}" https://example.com/x`,
  'LABEL a="<script>window.__xss=1</script>" b="<img src=x onerror=window.__xss=2>"',
  '# <a href="javascript:window.__xss=3">click</a>',
  'USER node',
  '',
].join('\n');

before(async () => {
  browser = await launch();
  const log = await recordingContext(browser, { acceptDownloads: true });
  ({ requests, problems, violations } = log);
  await log.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(SITE).origin });
  page = await newPage(log);
  await page.clock.setFixedTime(new Date('2026-11-27T10:00:00'));
  await page.goto(SITE);
  await page.waitForSelector('[data-testid=score] .score-value');
});

after(async () => { await browser?.close(); });

async function analyse(text) {
  await page.fill('#editor', text);
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => !document.querySelector('.score-badge.stale'));
}

/** Opens `hash` on the site as a fresh load. */
async function open(hash) {
  await page.goto('about:blank');
  await page.goto(new URL(hash, SITE).href);
  await page.waitForSelector('#editor', { state: 'attached' });
}

const nothingInjected = () => page.evaluate(() => ({
  xss: window.__xss ?? null,
  scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__xss')).length,
  imgs: document.querySelectorAll('img[src=x]').length,
  links: [...document.querySelectorAll('a')].filter((a) => a.href.startsWith('javascript:')).length,
}));

test('an analysis link restores the Dockerfile, with its secrets redacted by default', async () => {
  await analyse(EVIL);
  assert.match(await page.locator('label.redact').innerText(), /Redact the 1 detected secret/);
  const before = requests.length;
  await page.click('#share-analysis');
  const link = await page.inputValue('#share-link');
  assert.match(new URL(link).hash, /^#v1\.[zdr]\.[A-Za-z0-9_-]+$/);
  assert.ok(!link.includes('ghp_'));
  await page.waitForFunction(() => /copied/.test(document.querySelector('[data-testid=share-status]').textContent));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  assert.match(await page.innerText('[data-testid=link-length]'), /Analysis link: \d+ characters\./);
  // Making the link asked nothing of the network.
  assert.deepEqual(requests.slice(before).filter((u) => u.startsWith('http')), []);

  await open(new URL(link).hash);
  await page.waitForSelector('[data-testid=notice]');
  assert.match(await page.innerText('[data-testid=notice]'), /Opened a shared Dockerfile/);
  const restored = await page.inputValue('#editor');
  assert.equal(restored, EVIL.replace(SECRET, 'REDACTED'));
  await page.waitForSelector('li.finding');
  assert.deepEqual(await nothingInjected(), { xss: null, scripts: 0, imgs: 0, links: 0 });

  // Unticking the box shares the text as it is (and says so).
  await analyse(EVIL);
  await page.uncheck('#share-redact');
  assert.match(await page.innerText('.share .warn'), /clear text/);
  await page.click('#share-analysis');
  await open(new URL(await page.inputValue('#share-link')).hash);
  assert.equal(await page.inputValue('#editor'), EVIL);
});

test('a score link carries no Dockerfile and shows a read-only card', async () => {
  await open('#/');
  await analyse(EVIL);
  const score = await page.innerText('[data-testid=score] .score-value');
  await page.click('#share-score');
  const link = await page.inputValue('#share-link');
  const hash = new URL(link).hash;
  assert.match(hash, /^#s1\.\d+\.[EGFP]\.[0-9a-f]{16}\.(DD\d{3}:\d+,?)+$/);
  assert.ok(!hash.includes('node') && !hash.includes('ghp_'));
  await open(hash);
  await page.waitForSelector('[data-testid=score-card]');
  assert.equal(await page.innerText('[data-testid=card-score]'), score);
  const cards = await page.locator('li.card-finding').count();
  assert.equal(cards, hash.split('.').pop().split(',').length);
  await page.screenshot({ path: `${ARTIFACTS}/score-card.png`, fullPage: true });
});

test('garbled, truncated, oversized and malicious links give a message and an empty editor', async () => {
  await open('#/');
  await analyse('FROM debian:12\nRUN apt-get update && apt-get install -y curl\n'.repeat(30));
  await page.click('#share-analysis');
  const good = new URL(await page.inputValue('#share-link')).hash;
  const bomb = deflateRawSync(Buffer.alloc(8 << 20, 'a')).toString('base64url');
  const cases = [
    ['#v1.d.%%%%', /not allowed/],
    [good.slice(0, Math.floor(good.length / 2)) + 'x', /damaged|cut off/],
    [`#v1.d.${bomb}`, /more than 1048576 bytes/],
    ['#v1.zz.AAAA', /Unknown encoding/],
    ['#v1.r.PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg', null],
  ];
  for (const [hash, message] of cases) {
    const t0 = Date.now();
    await open(hash);
    await page.waitForSelector('[data-testid=notice]');
    const notice = await page.innerText('[data-testid=notice]');
    if (message) {
      assert.match(notice, /cannot be opened/, hash.slice(0, 40));
      assert.match(notice, message, hash.slice(0, 40));
      assert.equal(await page.inputValue('#editor'), '');
    } else {
      // Markup in a valid link is just text in the editor.
      assert.equal(await page.inputValue('#editor'), '<script>window.__xss=1</script>');
    }
    assert.ok(Date.now() - t0 < 10_000, `slow: ${hash.slice(0, 40)}`);
    assert.deepEqual(await nothingInjected(), { xss: null, scripts: 0, imgs: 0, links: 0 });
  }
  await open('#s1.95.E.0000000000000000.DD999:1');
  await page.waitForSelector('[data-testid=link-error]');
  assert.match(await page.innerText('[data-testid=link-error]'), /unknown rule `DD999`/);
});

test('a long link warns that chat apps may cut it', async () => {
  await open('#/');
  // Incompressible: random hex.
  const noise = Array.from({ length: 200 }, (_, i) => `LABEL k${i}="${(i * 7919).toString(16)}${Math.sin(i).toString(36).slice(2)}"`).join('\n');
  await analyse(`FROM alpine:3.20\n${noise}\n`);
  await page.click('#share-analysis');
  const note = page.locator('[data-testid=link-length]');
  assert.match(await note.innerText(), /Over 2000/);
  assert.ok((await note.getAttribute('class')).includes('warn'));
});

test('the badge and the reports download, made in the page', async () => {
  await open('#/');
  await analyse(EVIL);
  const before = requests.length;
  const save = async (selector) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: download.suggestedFilename(), body: readFileSync(await download.path(), 'utf8') };
  };
  const badge = await save('#badge-download');
  assert.equal(badge.name, 'drydock-badge.svg');
  assert.match(badge.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(badge.body, /drydock: \d+ (EXCELLENT|GOOD|FAIR|POOR)/);
  const json = await save('[data-export=json]');
  const report = JSON.parse(json.body);
  assert.equal(report[0].file, 'Dockerfile');
  assert.ok(report[0].findings.some((f) => f.rule === 'DD100'));
  const sarif = JSON.parse((await save('[data-export=sarif]')).body);
  assert.equal(sarif.version, '2.1.0');
  assert.match((await save('[data-export=md]')).body, /^## drydock report/);
  const html = await save('[data-export=html]');
  assert.equal(html.name, 'drydock-report.html');
  assert.ok(html.body.startsWith('<!doctype html>'));
  assert.ok(!html.body.includes('<script') && !html.body.includes(SECRET), 'the HTML report is inert and redacted');
  assert.deepEqual(requests.slice(before).filter((u) => u.startsWith('http')), []);
  await page.click('#badge-markdown');
  await page.waitForFunction(() => /!\[drydock: \d+/.test(document.querySelector('[data-testid=share-status]').textContent));
});

test('no request left the page origin, and the page raised no errors', () => {
  const origin = new URL(SITE).origin;
  assert.deepEqual(requests.filter((u) => u.startsWith('http') && new URL(u).origin !== origin), []);
  assert.deepEqual(problems, []);
  assert.deepEqual(violations, []);
});
