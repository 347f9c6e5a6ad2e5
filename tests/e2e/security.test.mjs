// Privacy and hardening: the Content-Security-Policy is enforced (and
// violations are caught), markup in a Dockerfile is shown as text and never
// runs, and analysing sends nothing anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SITE, openSite, foreign } from './harness.mjs';

let browser;
let log;
let page;

before(async () => { ({ browser, log, page } = await openSite()); });

after(async () => { await browser?.close(); });

test('the page and the server carry the strict policy', async () => {
  const response = await page.request.get(SITE);
  const header = response.headers()['content-security-policy'];
  const meta = await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content');
  for (const policy of [header, meta]) {
    for (const directive of ["default-src 'none'", "connect-src 'self'", "worker-src 'self'",
      "style-src 'self'", "img-src 'self' data:", "base-uri 'none'", "form-action 'none'"]) {
      assert.ok(policy.includes(directive), `${directive} in ${policy}`);
    }
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    assert.ok(!policy.includes('unsafe-inline'));
  }
  // Framing stays allowed: #/embed/… is meant for other sites' iframes.
  assert.ok(!header.includes('frame-ancestors'), header);
});

test('the policy blocks what it should, and the suite notices', async () => {
  const blocked = [];
  page.on('requestfailed', (r) => blocked.push(`${r.url()} ${r.failure()?.errorText}`));
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = 'https://example.com/tracker.png';
    document.body.append(img);
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    img.remove();
    s.remove();
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await page.evaluate(() => window.__inline), undefined);
  const seen = log.violations.splice(0);
  // Chromium also logs each refusal as a console error: expected here.
  const refusals = log.problems.splice(0);
  assert.ok(refusals.every((p) => /Content Security Policy/.test(p)), refusals.join('\n'));
  assert.ok(seen.some((v) => v.startsWith('img-src: https://example.com/tracker.png')), seen.join('\n'));
  assert.ok(seen.some((v) => v.startsWith('script-src-elem: inline')), seen.join('\n'));
  // The blocked image never reached the network: Chromium reports the
  // attempt as a request that failed, blocked by the policy.
  assert.deepEqual(blocked, ['https://example.com/tracker.png csp']);
  log.requests.splice(log.requests.indexOf('https://example.com/tracker.png'), 1);
  assert.deepEqual(foreign(log.requests), []);
});

const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '<svg onload="window.__pwned = \'svg\'"></svg>',
  '<a href="javascript:window.__pwned=\'link\'">click</a>',
  '"><iframe srcdoc="<script>parent.__pwned=1</script>">',
];

test('markup in RUN, LABEL and comments is shown as text, never run or injected', async () => {
  const count = () => page.evaluate(() => ({
    scripts: document.querySelectorAll('script').length,
    bad: document.querySelectorAll('img, svg, iframe, b, a[href^="javascript:"], [onerror], [onload]').length,
  }));
  const baseline = await count();
  const text = [
    `# ${PAYLOADS.join(' ')}`,
    'FROM node',
    ...PAYLOADS.map((p, i) => `LABEL x${i}='${p}'`),
    ...PAYLOADS.map((p) => `RUN echo '${p}' && curl ${p} | sh`),
    `MAINTAINER ${PAYLOADS[1]}`,
    `EXPOSE ${PAYLOADS[0]}`,
    `FROM ${PAYLOADS[1]}`,
    `USER <b>root</b>`,
    '',
  ].join('\n');
  const before = log.requests.length;
  await page.fill('#editor', text);
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('li.finding[data-rule=DD003]');
  // Messages, the Stages panel and the editor's underline layer show the
  // markup as text.
  const report = await page.locator('.report-pane').innerText();
  assert.ok(report.includes('USER <b>root</b>'), report);
  assert.ok(report.includes('<img'), report);
  const layer = await page.locator('.underlines').textContent();
  for (const p of PAYLOADS) assert.ok(layer.includes(p), p);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(await count(), baseline);
  // Nothing was fetched (the payloads name `x` and javascript: URLs).
  assert.deepEqual(log.requests.slice(before), []);
  // The rule pages render names the same way: an unknown id with markup.
  await page.goto(new URL(`#/rules/${encodeURIComponent(PAYLOADS[1])}`, SITE).href);
  await page.waitForSelector('article.doc-page');
  assert.match(await page.locator('article.doc-page').innerText(), /onerror/);
  await page.goto(new URL(`#/${encodeURIComponent(PAYLOADS[0])}`, SITE).href);
  await page.waitForSelector('article.doc-page');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(await count(), baseline);
});

test('no CSP violation, no page error, no other origin', () => {
  assert.deepEqual(log.violations, []);
  assert.deepEqual(log.problems, []);
  assert.deepEqual(foreign(log.requests), []);
});
