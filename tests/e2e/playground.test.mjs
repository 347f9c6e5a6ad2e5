// The playground in a real browser: Debian's Chromium driven by
// playwright-core against the built site (`cargo xtask test` serves dist/ and
// sets DRYDOCK_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, SITE, openSite } from './browser.mjs';

let browser;
let page;
let requests;
let problems;
let violations;

before(async () => {
  ({ browser, page, requests, problems, violations } = await openSite('[data-testid=score] .score-value'));
});

after(async () => { await browser?.close(); });

const text = (selector) => page.locator(selector).first().innerText();
const rules = () => page.locator('li.finding').evaluateAll((els) => els.map((e) => e.dataset.rule));
const lines = () => page.locator('li.finding').evaluateAll((els) => els.map((e) => Number(e.dataset.line)));

async function waitForScore(score) {
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid=score] .score-value')?.textContent === s,
    String(score), { timeout: 10_000 },
  );
}

test('opens with the seed golang example, scored excellent', async () => {
  const value = await page.inputValue('#editor');
  assert.match(value, /^# Multi-Stage Golang Application/);
  assert.match(value, /FROM gcr\.io\/distroless\/static:nonroot/);
  // The builder's Go 1.21 is end of life (medium in a build stage), its apk
  // packages are unpinned (low), and both bases lack a digest (info):
  // 100 × e^(−0.055) = 94.6.
  assert.equal(await text('[data-testid=score] .score-value'), '95');
  assert.equal(await text('[data-testid=grade]'), 'EXCELLENT');
  // DD021 (info, 0 points): `USER nonroot:nonroot` is a name, which
  // Kubernetes' runAsNonRoot cannot verify.
  assert.deepEqual(await rules(), ['DD110', 'DD009', 'DD109', 'DD109', 'DD021']);
});

test('replacing the text re-analyses it: score, band and findings', async () => {
  await page.fill('#editor', 'FROM node\nMAINTAINER someone@example.com\nRUN npm ci\n');
  // High 10 + medium 4 + low 1.5 + info 0 points: 100 × e^(−0.155) = 85.6.
  await waitForScore(86);
  assert.equal(await text('[data-testid=grade]'), 'GOOD');
  assert.deepEqual(await rules(), ['DD002', 'DD001', 'DD111', 'DD003']);
  assert.deepEqual(await lines(), [1, 1, 1, 2]);
  const first = await text('li.finding[data-rule=DD001]');
  assert.match(first, /line 1:6/);
  assert.match(first, /node has no tag/);
  // Backticked words in messages show as code.
  assert.equal(await text('li.finding[data-rule=DD001] .message code'), 'node');
  assert.match(first, /DL3006/);
  assert.equal(await page.locator('.gutter .mark-high').count(), 1);
  // Underlines sit under the exact spans: MAINTAINER (info), `node` (the
  // untagged image, under the high root finding of the whole FROM).
  assert.equal(await page.locator('.underlines mark.ul-info').first().textContent(), 'MAINTAINER');
  assert.ok((await page.locator('.underlines mark.ul-high').allTextContents()).includes('node'));
  // Each finding shows what fixing it gives back: 100·e^(−0.055) − 100·e^(−0.155) = 9.0.
  assert.equal(await text('li.finding[data-rule=DD002] .points'), '−9.0');
  assert.equal(await text('.categories [data-category=security] .category-score'), '90');
  assert.match(await text('[data-testid=top-losses]'), /^Biggest losses: DD002 −9\.0, DD001 −/);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-findings.png'), fullPage: true });
});

test('typing updates the analysis without a Run button', async () => {
  await page.click('#editor');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nUSER 10001');
  // The root finding goes: medium 4 + low 1.5 points are left.
  await waitForScore(95);
  assert.equal(await text('[data-testid=grade]'), 'EXCELLENT');
  assert.deepEqual(await rules(), ['DD001', 'DD111', 'DD003']);
});

test('Ctrl+Enter analyses at once', async () => {
  await page.click('#editor');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nUSER root');
  await page.keyboard.press('Control+Enter');
  await waitForScore(86);
  // Grouped by severity: high (USER root, line 6; line 4 is empty, line 5
  // `USER 10001`), medium (line 1), low (line 1), info (line 2, and the
  // user name `root` on line 6).
  assert.deepEqual(await lines(), [6, 1, 1, 2, 6]);
  assert.deepEqual(
    await page.locator('.severity-group h3').allInnerTexts(),
    ['HIGH (1)', 'MEDIUM (1)', 'LOW (1)', 'INFO (2)'],
  );
  assert.match(await text('li.finding[data-rule=DD002]'), /runs as root/);
});

test('activating a finding selects its text in the editor', async () => {
  await page.locator('li.finding[data-rule=DD003] .finding-button').focus();
  await page.keyboard.press('Enter');
  const selection = await page.evaluate(() => {
    const area = document.querySelector('#editor');
    return {
      focused: document.activeElement === area,
      text: area.value.slice(area.selectionStart, area.selectionEnd),
    };
  });
  assert.equal(selection.focused, true);
  assert.equal(selection.text, 'MAINTAINER');
});

test('bad input gives a result, not a crash', async () => {
  await page.fill('#editor', 'FR{OM \\\n\u0000\u00ff\n["\nRUN <<EOF\necho never ends\n');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('li.parse-error');
  assert.match(await text('li.parse-error'), /line 4: unterminated heredoc/);
  assert.equal(await page.locator('.gutter .mark-error').count(), 1);
  // The gutter names the error at its line.
  assert.match(await page.locator('.gutter .mark-error').getAttribute('title'), /unterminated heredoc/);
  assert.equal(await page.locator('.gutter .ln').nth(3).getAttribute('class'), 'ln mark-error');
  assert.deepEqual(problems, []);
});


test('the Stages panel shows resolved bases, the target and the stage graph', async () => {
  await page.fill('#editor', [
    'ARG BASE=node:20',
    'FROM ${BASE} AS deps',
    'RUN npm ci',
    'FROM deps AS test',
    'RUN npm test',
    'FROM gcr.io/distroless/nodejs20-debian12:nonroot',
    'COPY --from=deps /app /app',
    '',
  ].join('\n'));
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => document.querySelectorAll('li.stage').length === 3);
  const bases = await page.locator('[data-testid=stage-base]').allInnerTexts();
  assert.deepEqual(bases, ['docker.io/library/node:20', 'deps', 'gcr.io/distroless/nodejs20-debian12:nonroot']);
  assert.match(await text('li.stage[data-stage="0"]'), /written `\$\{BASE\}`/);
  assert.match(await text('li.stage[data-stage="1"]'), /not built/i);
  assert.match(await text('li.stage[data-stage="2"]'), /target/i);
  const edges = await page.locator('[data-testid=stage-graph] li').allInnerTexts();
  assert.deepEqual(edges, ['deps → test FROM, line 4', 'deps → stage 2 COPY --from, line 7']);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-stages.png'), fullPage: true });
});

test('a rule page opens from a finding, and the playground keeps its text', async () => {
  await page.fill('#editor', 'FROM node\nMAINTAINER me\n');
  await page.keyboard.press('Control+Enter');
  await waitForScore(86);
  await page.click('li.finding[data-rule=DD002] a.docs-link');
  await page.waitForSelector('article.rule-page[data-rule=DD002]');
  assert.equal(new URL(page.url()).hash, '#/rules/DD002');
  const article = await text('article.rule-page');
  assert.match(article, /runs-as-root/);
  assert.match(article, /What it does/);
  assert.match(article, /DL3002/);
  assert.match(await text('[data-testid=bad-example]'), /^FROM python:3\.12-slim/);
  assert.equal(await page.locator('#editor').isVisible(), false);
  await page.screenshot({ path: join(ARTIFACTS, 'rule-page.png'), fullPage: true });
  await page.goBack();
  await page.waitForSelector('#editor', { state: 'visible' });
  assert.equal(await page.inputValue('#editor'), 'FROM node\nMAINTAINER me\n');
  // The rules index lists every rule and links to each page.
  await page.goto(new URL('#/rules', SITE).href);
  await page.waitForSelector('.rules-table');
  assert.ok(await page.locator('.rules-table tbody tr').count() >= 20);
  await page.goto(new URL('#/rules/DD999', SITE).href);
  await page.waitForSelector('article.doc-page');
  assert.match(await text('article.doc-page'), /No such rule/);
  await page.goto(new URL('#/', SITE).href);
  await page.waitForSelector('#editor', { state: 'visible' });
});

test('pragmas silence findings, shown apart with their reason', async () => {
  await page.fill('#editor', '# drydock ignore=runs-as-root -- a throwaway CI image\nFROM node:22\n');
  await page.keyboard.press('Control+Enter');
  // Only the missing HEALTHCHECK (low) and the digest note (info) are left.
  await waitForScore(99);
  assert.deepEqual(await rules(), ['DD111', 'DD109']);
  assert.equal(await text('.silenced-list summary'), 'Silenced (1)');
  await page.click('.silenced-list summary');
  assert.match(await text('li.silenced[data-rule=DD002]'), /a throwaway CI image/);
});


test('end-of-life verdicts use the browser date', async () => {
  // node 22 reaches end of life on 2027-04-30: fine on 2026-11-27, "ending
  // soon" (low) within 90 days of it, end of life (high) after.
  await page.fill('#editor', 'FROM node:22-alpine\nUSER node\nHEALTHCHECK NONE\n');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('li.finding[data-rule=DD109]');
  assert.equal(await page.locator('li.finding[data-rule=DD110]').count(), 0);
  await page.clock.setFixedTime(new Date('2027-05-02T10:00:00'));
  await page.reload();
  await page.fill('#editor', 'FROM node:22-alpine\nUSER node\nHEALTHCHECK NONE\n');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('li.finding[data-rule=DD110]');
  assert.equal(await page.locator('li.finding[data-rule=DD110]').getAttribute('data-severity'), 'high');
  assert.match(await text('li.finding[data-rule=DD110]'), /2027-04-30/);
  await page.clock.setFixedTime(new Date('2026-11-27T10:00:00'));
  await page.reload();
});

test('the vulnerable example: secrets redacted, port 22, POOR', async () => {
  const vulnerable = readFileSync(new URL('../data/seed/vulnerable-node-app.Dockerfile', import.meta.url), 'utf8');
  await page.fill('#editor', vulnerable);
  await page.keyboard.press('Control+Enter');
  await waitForScore(35);
  assert.equal(await text('[data-testid=grade]'), 'POOR');
  assert.match(await text('.cap'), /Capped at 35 by 3 critical findings \(DD100\): fix them all to lift the cap/);
  assert.deepEqual(await lines().then((l) => l.slice(0, 3)), [30, 31, 32]);
  const secrets = await page.locator('li.finding[data-rule=DD100]').allInnerTexts();
  assert.equal(secrets.length, 3);
  assert.match(secrets[0], /DATABASE_PASSWORD/);
  assert.match(secrets[0], /myse…\(19 chars\)/);
  // The report never shows a secret whole (the editor holds the text itself).
  const report = await text('.report-pane');
  for (const secret of ['mysecretpassword123', 'sk-1234567890abcdef', 'supersecret']) {
    assert.ok(!report.includes(secret), secret);
  }
  const ports = await page.locator('li.finding[data-rule=DD106]').allInnerTexts();
  assert.ok(ports.some((p) => /EXPOSE 22/.test(p)), ports.join('\n'));
  // With three criticals, fixing any one finding alone gives nothing back:
  // the cap line says what does.
  assert.equal(await text('[data-testid=top-losses]'), '');
  await page.screenshot({ path: join(ARTIFACTS, 'vulnerable-node.png'), fullPage: true });
});

test('ignoring a rule updates the score, is remembered, and can be undone', async () => {
  await page.fill('#editor', 'FROM node\nMAINTAINER me\n');
  await page.keyboard.press('Control+Enter');
  await waitForScore(86);
  await page.click('li.finding[data-rule=DD002] .ignore-button');
  // Root (10 points) goes: medium 4 + low 1.5 are left: 94.6.
  await waitForScore(95);
  assert.deepEqual(await rules(), ['DD001', 'DD111', 'DD003']);
  assert.equal(await page.locator('[data-testid=ignored] li').count(), 1);
  await page.click('.silenced-list summary');
  assert.match(await text('li.silenced[data-rule=DD002]'), /ignored in Settings/);
  // Kept in this browser: a reload remembers it.
  await page.reload();
  await page.fill('#editor', 'FROM node\nMAINTAINER me\n');
  await page.keyboard.press('Control+Enter');
  await waitForScore(95);
  // An override by peer id: MAINTAINER (DL4000) becomes high.
  await page.fill('#settings-rule', 'DL4000');
  await page.selectOption('#settings-severity', 'high');
  await page.click('#settings-override');
  await page.waitForFunction(() => document.querySelector('li.finding[data-rule=DD003]')?.dataset.severity === 'high');
  await page.click('[data-ignored=DD002] button');
  await page.waitForSelector('li.finding[data-rule=DD002]');
  await page.click('.settings button:text("Reset all")');
  await waitForScore(86);
  assert.equal(await page.locator('[data-testid=ignored] li').count(), 0);
});

test('trusted registries in Settings flag base images from other registries', async () => {
  await page.fill('#editor', 'FROM quay.io/prometheus/busybox:glibc AS base\nFROM busybox:1.37-glibc\nCOPY --from=base /bin/true /x\nUSER nobody\n');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('li.finding[data-rule=DD109]');
  assert.equal(await page.locator('li.finding[data-rule=DD060]').count(), 0);
  await page.fill('#settings-trusted', 'docker.io, *.gcr.io');
  await page.press('#settings-trusted', 'Enter');
  await page.locator('#settings-trusted').blur();
  await page.waitForSelector('li.finding[data-rule=DD060]');
  assert.equal(await page.locator('li.finding[data-rule=DD060]').count(), 1);
  assert.match(await text('li.finding[data-rule=DD060]'), /quay\.io/);
  // Remembered, and removed with the rest.
  await page.reload();
  assert.equal(await page.inputValue('#settings-trusted'), 'docker.io, *.gcr.io');
  await page.click('.settings button:text("Reset all")');
  assert.equal(await page.inputValue('#settings-trusted'), '');
});

test('the scoring page explains the model with live worked examples', async () => {
  await page.click('.how a');
  await page.waitForSelector('article.scoring-page');
  assert.equal(new URL(page.url()).hash, '#/docs/scoring');
  const scores = await page.locator('[data-testid=example-score]').allInnerTexts();
  assert.equal(scores.length, 5);
  assert.deepEqual(scores.map((s) => s.split('→').pop().trim()), [
    '100 EXCELLENT', '90 EXCELLENT', '86 GOOD', '97 EXCELLENT', '35 POOR',
  ]);
  assert.match(scores[4], /capped at 35 by DD100/);
  await page.screenshot({ path: join(ARTIFACTS, 'scoring-page.png'), fullPage: true });
  await page.goto(new URL('#/', SITE).href);
  await page.waitForSelector('#editor', { state: 'visible' });
});

test('a finding with a fix applies it to the editor', async () => {
  await page.fill('#editor', 'FROM node\nMAINTAINER me\n');
  await page.keyboard.press('Control+Enter');
  await waitForScore(86);
  await page.click('li.finding[data-rule=DD003] .fix-button');
  await page.waitForFunction(() => !document.querySelector('li.finding[data-rule=DD003]'));
  assert.equal(await page.inputValue('#editor'), 'FROM node\nLABEL org.opencontainers.image.authors="me"\n');
  // Unsafe fixes say so before they are applied.
  await page.fill('#editor', 'FROM node:22\nUSER node\nCMD npm start\n');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('li.finding[data-rule=DD015] .fix-button');
  assert.match(await page.locator('li.finding[data-rule=DD015] .fix-button').getAttribute('title'), /review it/);
  await page.click('li.finding[data-rule=DD015] .fix-button');
  await page.waitForFunction(() => document.querySelector('#editor').value.includes('CMD ["npm", "start"]'));
});

test('every request stays on the page origin', () => {
  const origin = new URL(SITE).origin;
  assert.ok(requests.length > 0, 'the page made no requests at all?');
  const foreign = requests.filter((u) => new URL(u).origin !== origin);
  assert.deepEqual(foreign, []);
  assert.deepEqual(violations, []);
});
