// The image page (`#/image`) in a real browser: archives go in through the
// real file input, a Web Worker reads them (FileReaderSync over Blob.slice)
// and the page shows dive's figures, drydock's findings, the layers and
// their file trees. Generated archives (built here with node) cover
// truncation, cancelling, responsiveness and the read speed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SITE, foreign, launch, newPage, readImage, recordingContext } from './harness.mjs';
import { dockerArchive, header, noise, sha, speedArchives, tarOf, untar } from './archives.mjs';

const DATA = new URL('../data/images/', import.meta.url).pathname;
const SHARED = '/work/shared/images';
const WASTE = join(SHARED, 'waste-docker-archive.tar');

let browser;
let page;
let log;
let tmp;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'drydock-image-e2e-'));
  browser = await launch();
  log = await recordingContext(browser, { acceptDownloads: true });
  page = await newPage(log);
  await page.goto(`${SITE}#/image`);
  await page.waitForSelector('#image-file');
});

after(async () => {
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const text = (selector) => page.locator(selector).first().innerText();

/// Chooses `path` in the file input and waits for the analysis.
async function analyse(path) {
  await page.setInputFiles('#image-file', path);
  await page.waitForSelector('[data-testid=image-read-speed]', { timeout: 60_000 });
}

test('the waste image shows dive\'s figures, the findings redacted and the layers', { skip: !existsSync(WASTE) && 'needs /work/shared/images' }, async () => {
  await analyse(WASTE);
  assert.equal(await text('[data-testid=image-format]'), 'docker-archive');
  assert.equal(await text('[data-testid=image-efficiency]'), '57.58 %');
  assert.equal(await text('[data-testid=image-wasted]'), '6.1 MB (6,061,858 bytes)');
  assert.equal(await text('[data-testid=image-reclaimable]'), '4.9 MB (4,865,922 bytes)');
  assert.equal(await text('[data-testid=image-size]'), '8.8 MB (8,830,677 bytes) in 3 layers');
  assert.equal(await text('[data-testid=image-score]'), '35 / 100 POOR');
  const findings = await page.locator('[data-testid=image-findings] li').allInnerTexts();
  const all = findings.join('\n');
  assert.match(all, /DI005.*\/root\/\.ssh\/id_rsa is an SSH private key/s);
  assert.match(all, /DI005.*\/app\/\.env is a \.env file/s);
  assert.match(all, /DI006.*\/app\/su-helper is setuid/s);
  assert.match(all, /DI007.*\/app\/world-writable\.txt is a world-writable file/s);
  assert.match(all, /DI003.*SECRET_TOKEN.*…\(7 chars\)/s);
  // The secret itself is nowhere on the page.
  const files = untar(readFileSync(WASTE));
  const configName = [...files.keys()].find((n) => /^[0-9a-f]{64}\.json$/.test(n));
  const config = JSON.parse(files.get(configName));
  const secret = config.config.Env.find((e) => e.startsWith('SECRET_TOKEN=')).split('=')[1];
  assert.ok(secret.length >= 7);
  assert.ok(!(await page.content()).includes(secret), 'the secret leaked into the page');
  // Layers: three rows, sizes, created_by.
  const rows = await page.locator('[data-testid=image-layers] tbody tr').allInnerTexts();
  assert.equal(rows.length, 3);
  assert.match(rows[1], /4\.9 MB/);
  assert.match(rows[1], /RUN add big\.bin cache secrets suid/);
  assert.match(rows[2], /rm -rf \/opt\/big\.bin/);
  assert.equal(await page.locator('.image-layers .size-bar').count(), 3);
  // The file tree of the last layer: the deletions and rewrites, dive-style.
  await page.selectOption('#tree-layer', '2');
  await page.waitForSelector('[data-testid=file-tree] li.tree-removed');
  const tree = await text('[data-testid=file-tree]');
  assert.match(tree, /big\.bin/);
  assert.match(tree, /passwd/);
  assert.ok(await page.locator('[data-testid=file-tree] li.tree-removed').count() >= 2);
  assert.ok(await page.locator('[data-testid=file-tree] li.tree-modified').count() >= 2);
  // Download JSON: the CLI's ImageAnalysis, made in the page.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=image-download]')]);
  assert.equal(download.suggestedFilename(), 'waste-docker-archive.drydock.json');
  const json = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(json.efficiency, 0.5758059932563934);
  assert.equal(json.wasted_bytes, 6061858);
  assert.equal(json.reclaimable_bytes, 4865922);
  assert.equal(json.score, 35);
  // The same analysis as SARIF, Markdown and HTML (the CLI's renderers).
  const saved = async (selector) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return readFileSync(await d.path(), 'utf8');
  };
  const sarif = JSON.parse(await saved('[data-testid=image-export-sarif]'));
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0].results.some((r) => r.ruleId.startsWith('DI')));
  assert.match(await saved('[data-testid=image-export-md]'), /^## drydock report[\s\S]*\| 35 \| POOR \|/);
  const html = await saved('[data-testid=image-export-html]');
  assert.ok(html.startsWith('<!doctype html>') && !html.includes('<script'));
  assert.ok(!html.includes(secret), 'the secret leaked into the HTML report');
});

test('hello-world (Docker 25 layout) and an OCI archive with zstd layers', async () => {
  await analyse(join(DATA, 'hello-world-v25.tar'));
  assert.equal(await text('[data-testid=image-format]'), 'docker-archive-oci');
  assert.equal(await text('[data-testid=image-size]'), '9.1 kB (9,136 bytes) in 1 layers');
  assert.match(await text('[data-testid=image-os]'), /arm64/);
  assert.equal(await text('[data-testid=image-score]'), '89 / 100 GOOD');
  assert.equal(await page.locator('[data-testid=image-errors]').count(), 0);
  // Analysing a tarball asks nothing of the network: the worker that read
  // the last file reads this one (its code was loaded with the first).
  const before = log.requests.length;
  await analyse(join(DATA, 'test-oci-zstd-image.tar'));
  assert.deepEqual(log.requests.slice(before), []);
  assert.equal(await text('[data-testid=image-format]'), 'oci-archive');
  assert.equal(await text('[data-testid=image-size]'), '11.2 kB (11,189 bytes) in 1 layers');
  assert.match(await text('[data-testid=image-layers] tbody tr'), /zstd/);
  assert.equal(await page.locator('[data-testid=image-errors]').count(), 0);
});

test('an archive of several images has a tag picker', async () => {
  await analyse(join(DATA, 'test_bundle.tar'));
  const options = await page.locator('#image-tag option').allInnerTexts();
  assert.deepEqual(options, ['test_image_2', 'test_image_1']);
  const first = await text('[data-testid=image-layers] tbody tr');
  await page.selectOption('#image-tag', 'test_image_1');
  await page.waitForFunction(
    (before) => document.querySelector('[data-testid=image-layers] tbody tr')?.innerText !== before,
    first, { timeout: 10_000 },
  );
  assert.equal(await page.locator('#image-tag').inputValue(), 'test_image_1');
});

test('a truncated archive shows the error and what could be read', async () => {
  const small = tarOf([['app/hello.txt', Buffer.from('hello\n')], ['app/<img src=x onerror=alert(1)>.txt', Buffer.from('markup\n')]]);
  const big = tarOf([['opt/big.bin', noise(2_000_000)]]);
  const whole = dockerArchive([small, big]);
  const path = join(tmp, 'truncated.tar');
  writeFileSync(path, whole.subarray(0, whole.length - 1_000_000));
  await analyse(path);
  const errors = await text('[data-testid=image-errors]');
  assert.match(errors, /truncated|cut short/);
  const rows = await page.locator('[data-testid=image-layers] tbody tr').allInnerTexts();
  assert.equal(rows.length, 2);
  assert.match(rows[0], /RUN step 1/);
  // A file name with markup is text, never HTML.
  const tree = await text('[data-testid=file-tree]');
  assert.match(tree, /<img src=x onerror=alert\(1\)>\.txt/);
  assert.equal(await page.locator('[data-testid=file-tree] img').count(), 0);
});

test('digests are checked through the shared ring, and by a helper reading the file where the page is not isolated', async () => {
  const layer = tarOf([['etc/motd', Buffer.from('hello\n')], ['opt/data.bin', noise(3_000_000)]]);
  const good = join(tmp, 'good-gzip.tar');
  writeFileSync(good, dockerArchive([gzipSync(layer)], { diffIds: [sha(layer)] }));
  const bad = join(tmp, 'bad-diff-id.tar');
  writeFileSync(bad, dockerArchive([gzipSync(layer)], { diffIds: [sha(Buffer.from('another layer'))] }));
  // This page has the server's isolation headers: the worker's helper
  // hashes from the ring. Another context gets the same site without them
  // (and without the service worker, which would add them).
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const bare = await recordingContext(browser, { serviceWorkers: 'block' });
  await bare.context.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  const other = await newPage(bare);
  await other.goto(`${SITE}#/image`);
  await other.waitForSelector('#image-file');
  assert.equal(await other.evaluate(() => crossOriginIsolated), false);
  const sizes = [];
  for (const [p, via] of [[page, 'ring'], [other, 'helper']]) {
    for (const [path, mismatch] of [[good, false], [bad, true]]) {
      const read = await readImage(p, path);
      assert.equal(read.digests, via, `${via}: ${path}`);
      if (mismatch) assert.match(await p.locator('[data-testid=image-errors]').innerText(), /digest mismatch/, via);
      else assert.equal(read.errors, 0, via);
      sizes.push(await p.locator('[data-testid=image-size]').innerText());
    }
  }
  assert.equal(new Set(sizes).size, 1, sizes.join(' | '));
  assert.deepEqual(bare.problems, []);
  await bare.context.close();
});

test('a large archive reads with progress, stays responsive and cancels', async () => {
  // 2 GiB, sparse: one layer of zeros.
  const path = join(tmp, 'huge.tar');
  const size = 2 * 1024 ** 3;
  const fd = openSync(path, 'w');
  writeSync(fd, header('l0/layer.tar', size));
  ftruncateSync(fd, 512 + size + 1024);
  closeSync(fd);
  await page.setInputFiles('#image-file', path);
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid=image-progress-text]')?.textContent ?? '';
    return /^[1-9][\d.]* (MB|GB) of 2\.1 GB · \d+ MB\/s/.test(t);
  }, null, { timeout: 30_000 });
  // The page answers while the worker reads: timers fire on time and
  // typing lands in an input.
  const lag = await page.evaluate(async () => {
    let worst = 0;
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await new Promise((r) => setTimeout(r, 10));
      worst = Math.max(worst, performance.now() - t - 10);
    }
    return worst;
  });
  assert.ok(lag < 250, `the page stalled for ${lag} ms`);
  await page.evaluate(() => {
    const i = document.createElement('input');
    i.id = 'probe';
    document.body.append(i);
  });
  await page.locator('#probe').pressSequentially('still typing', { timeout: 5_000 });
  assert.equal(await page.locator('#probe').inputValue(), 'still typing');
  await page.evaluate(() => document.getElementById('probe').remove());
  const before = await page.locator('progress').evaluate((p) => p.value);
  await page.click('[data-testid=image-cancel]');
  assert.match(await text('[data-testid=image-cancelled]'), /^Cancelled after [\d.]+ (MB|GB) of 2\.1 GB/);
  assert.equal(await page.locator('[data-testid=image-progress-text]').count(), 0);
  assert.ok(before > 0);
});

test('read speed in the browser: plain and gzip layers', async (t) => {
  // A realistic gzip layer beside the noise: ≈100 MB of this machine's
  // shared libraries (so machine-dependent: a printed benchmark only).
  const { plain, gzip: gz, real, realLayerBytes } = speedArchives(tmp);
  assert.ok(real, 'this machine has shared libraries to make a realistic gzip layer of');
  const speeds = {};
  for (const [name, path, verify] of [
    ['plain', plain, true], ['gzip', gz, true], ['gzip, real files', real, true],
    ['plain, digests unchecked', plain, false], ['gzip, digests unchecked', gz, false], ['gzip, real files, digests unchecked', real, false],
  ]) {
    await page.setChecked('#image-verify', verify);
    const read = await readImage(page, path);
    speeds[name] = read.mbps;
    speeds[`${name}: workers' memory MB`] = read.memoryMb;
    speeds[`${name}: digests`] = read.digests;
    assert.equal(read.errors, 0, `${name}: errors`);
    assert.match(await text('[data-testid=image-size]'), /in 1 layers/);
  }
  await page.setChecked('#image-verify', true);
  // Verified reads went through the ring (the page is cross-origin isolated).
  for (const name of ['plain', 'gzip', 'gzip, real files']) {
    assert.equal(speeds[`${name}: digests`], 'ring', name);
    assert.equal(speeds[`${name}, digests unchecked: digests`], 'unchecked', name);
  }
  t.diagnostic(`image read speed (headless Chromium, 100 MB layer, MB/s of the archive; real files: ${(realLayerBytes / 1e6).toFixed(0)} MB of tar gzip'ed to ${(readFileSync(real).length / 1e6).toFixed(0)} MB): ${JSON.stringify(speeds)}`);
  writeFileSync(join(process.env.DRYDOCK_ARTIFACTS ?? tmp, 'image-speed.json'), JSON.stringify(speeds));
  assert.ok(speeds.plain > 10 && speeds.gzip > 5, JSON.stringify(speeds));
  // Bounded memory: a 100 MB layer is never held (both workers' wasm
  // memories and the 32 MiB ring).
  assert.ok(speeds["gzip: workers' memory MB"] < 64, JSON.stringify(speeds));
});

test('the page is its own wasm, loaded on the first visit; results stay across pages', async () => {
  assert.ok(log.requests.some((u) => u.endsWith('/drydock-image-page_bg.wasm')), 'the image page loaded its wasm');
  const before = await text('[data-testid=image-summary]');
  await page.goto(`${SITE}#/rules`);
  await page.waitForSelector('#image-root', { state: 'hidden' });
  await page.goto(`${SITE}#/image`);
  await page.waitForSelector('#image-root [data-testid=image-summary]');
  assert.equal(await text('[data-testid=image-summary]'), before);
  // Loaded once (the service worker's precache fetches it too, so count
  // the scripts, not the requests).
  assert.equal(await page.locator('script[src="./image-page.js"]').count(), 1);
  assert.equal(await page.locator('script[src="./drydock-image-page.js"]').count(), 1);
});

test('nothing left the page: no foreign request, no CSP violation, no error', () => {
  assert.deepEqual(foreign(log.requests), []);
  assert.deepEqual(log.violations, []);
  assert.deepEqual(log.problems, []);
  assert.ok(log.requests.some((u) => u.endsWith('/drydock-image-worker_bg.wasm')), 'the worker loaded its wasm');
});
