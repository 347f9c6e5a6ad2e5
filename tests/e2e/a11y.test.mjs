// Accessibility: an axe-core audit of the playground, a rule page and the
// rules index, the examples page, the docs page, the image page and its
// results (a generated image analysed: layers, file tree, packages), in the
// light and the dark theme; and the keyboard: `?` help, Esc then Tab out of
// the editor, the theme toggle remembered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SITE, ARTIFACTS, openSite, scoreShown, foreign } from './harness.mjs';
import { dockerArchive, tarOf } from './archives.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;
let log;
let page;
let tmp;

before(async () => { ({ browser, log, page } = await openSite({ colorScheme: 'light' })); });

after(async () => {
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/// A small image with something in every part of the results: packages,
/// accounts, findings, and a second layer that rewrites and deletes.
function imageArchive() {
  tmp = mkdtempSync(join(tmpdir(), 'drydock-a11y-'));
  const path = join(tmp, 'image.tar');
  const file = (name, text) => [name, Buffer.from(text)];
  const base = tarOf([
    file('etc/os-release', 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'),
    file('etc/passwd', 'root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::/home/app:/bin/sh\n'),
    file('var/lib/dpkg/status', 'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n\nPackage: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u4\n'),
    file('app/run.sh', '#!/bin/sh\necho hello\n'),
    file('app/old.txt', 'old\n'),
  ]);
  const app = tarOf([file('app/run.sh', '#!/bin/sh\necho changed\n'), file('app/.wh.old.txt', '')]);
  writeFileSync(path, dockerArchive([base, app]));
  return path;
}

/// Serious and critical axe violations on the page as it is now.
async function audit() {
  // Evaluated through the devtools protocol: the page's CSP does not apply
  // to it, and nothing is fetched.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const PAGES = [['playground', '#/', '#editor'], ['rule page', '#/rules/DD001', 'article.rule-page'],
  ['rules index', '#/rules', '.rules-table'], ['examples page', '#/examples', '[data-testid=examples-page]'],
  ['docs page', '#/docs', '[data-testid=docs-page]'], ['image page', '#/image', '#image-file']];

/// Switches to `theme` (with the toggle) and asserts no serious or critical
/// violation; a screenshot is kept as `a11y-<name>-<theme>.png`.
async function auditIn(theme, name) {
  const pressed = await page.getAttribute('.theme-toggle', 'aria-pressed');
  if ((pressed === 'true') !== (theme === 'dark')) await page.click('.theme-toggle');
  // Light by the system's preference until the toggle is used.
  assert.equal(await page.getAttribute('html', 'data-theme') ?? 'light', theme);
  const violations = await audit();
  await page.screenshot({ path: join(ARTIFACTS, `a11y-${name.replaceAll(' ', '-')}-${theme}.png`), fullPage: name === 'image results' });
  assert.deepEqual(violations, []);
}

for (const theme of ['light', 'dark']) {
  for (const [name, hash, ready] of PAGES) {
    test(`axe: ${name}, ${theme} theme: no serious or critical violations`, async () => {
      await page.goto(new URL(hash, SITE).href);
      await page.waitForSelector(ready, { state: 'visible' });
      await auditIn(theme, name);
    });
  }
  test(`axe: image results (an image analysed), ${theme} theme: no serious or critical violations`, async () => {
    await page.goto(new URL('#/image', SITE).href);
    await page.waitForSelector('#image-file', { state: 'visible' });
    await page.setInputFiles('#image-file', tmp ? join(tmp, 'image.tar') : imageArchive());
    for (const part of ['image-read-speed', 'image-layers', 'file-tree', 'image-packages', 'image-findings']) {
      await page.waitForSelector(`[data-testid=${part}]`, { state: 'visible', timeout: 60_000 });
    }
    assert.match(await page.locator('[data-testid=image-packages]').innerText(), /libc6/);
    await auditIn(theme, 'image results');
  });
}

test('the theme choice is remembered across reloads', async () => {
  await page.goto(new URL('#/', SITE).href);
  await page.reload();
  await scoreShown(page);
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.equal(await page.getAttribute('.theme-toggle', 'aria-pressed'), 'true');
  await page.click('.theme-toggle');
  assert.equal(await page.evaluate(() => localStorage.getItem('drydock.theme')), 'light');
});

test('? opens the shortcut help outside the editor, not inside it', async () => {
  await page.click('#editor');
  await page.keyboard.press('Control+End');
  const before = await page.inputValue('#editor');
  await page.keyboard.type('?');
  assert.equal(await page.inputValue('#editor'), `${before}?`);
  assert.equal(await page.locator('dialog.shortcut-help').isVisible(), false);
  await page.locator('.site-nav a').first().focus();
  await page.keyboard.press('?');
  await page.waitForSelector('dialog.shortcut-help[open]');
  const help = await page.locator('dialog.shortcut-help').innerText();
  assert.match(help, /Esc, then Tab/);
  assert.match(help, /Ctrl\+Enter/);
  assert.deepEqual(await audit(), []);
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog.shortcut-help:not([open])', { state: 'attached' });
});

test('Tab indents in the editor; Esc then Tab leaves it', async () => {
  await page.fill('#editor', 'FROM node:22\nRUN x');
  await page.click('#editor');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Tab');
  assert.equal(await page.inputValue('#editor'), 'FROM node:22\nRUN x\t');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'editor');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement.id), 'editor');
  assert.equal(await page.inputValue('#editor'), 'FROM node:22\nRUN x\t');
  assert.match(await page.locator('#editor-help').innerText(), /Esc, then Tab/);
});

test('no CSP violation, no page error, no other origin', () => {
  assert.deepEqual(log.violations, []);
  assert.deepEqual(log.problems, []);
  assert.deepEqual(foreign(log.requests), []);
});
