// The browser's image-read benchmark (`cargo xtask bench-image`): reads
// archives through the Image page's file input in headless Chromium, several
// rounds each, digests verified and unchecked, and prints MB of archive per
// second (median, least, most) with the workers' memory and how the digests
// were checked. A benchmark, never a test: it asserts nothing about speed.
//
// Without archive arguments it makes the three the e2e speed test reads:
// 96 MiB of noise as a plain layer, the same gzip'ed (level 6), and ≈100 MB
// of this machine's shared libraries gzip'ed (machine-dependent). `--big`
// adds the scale for gzip layers: a ≥ 1 GB docker-archive of this
// machine's files gzip'ed (`bigGzipArchive`), made once into
// DRYDOCK_BENCH_CACHE and read from there afterwards. Reads go round-robin
// over the archives so that a busy moment of the machine falls on all of
// them alike.
//
// Environment: DRYDOCK_URL (the site, cross-origin isolated as `xtask serve`
// serves it), CHROMIUM, DRYDOCK_BENCH_CACHE; arguments: [--rounds N]
// [--json FILE] [--big] [ARCHIVE…].
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SITE, launch, newPage, readImage, recordingContext } from './harness.mjs';
import { bigGzipArchive, speedArchives } from './archives.mjs';

const args = process.argv.slice(2);
let rounds = 8;
let jsonOut = null;
let big = false;
const given = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--rounds') rounds = Number(args[++i]);
  else if (args[i] === '--json') jsonOut = args[++i];
  else if (args[i] === '--big') big = true;
  else given.push(args[i]);
}
if (!SITE) throw new Error('DRYDOCK_URL is not set (run `cargo xtask bench-image`)');
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a whole number ≥ 1');

const tmp = mkdtempSync(join(tmpdir(), 'drydock-bench-image-'));
try {
  const archives = given.length ? given.map((path) => ({ name: basename(path), path })) : generated(tmp);
  if (big) archives.push(bigArchive(process.env.DRYDOCK_BENCH_CACHE ?? tmp));
  const browser = await launch();
  try {
    const log = await recordingContext(browser);
    const page = await newPage(log);
    await page.goto(`${SITE}#/image`);
    await page.waitForSelector('#image-file');
    if (!(await page.evaluate(() => globalThis.crossOriginIsolated))) {
      console.log('note: the page is not cross-origin isolated: verified reads use the file-reading helper, not the ring');
    }
    const results = [];
    for (const verify of [true, false]) {
      await page.setChecked('#image-verify', verify);
      const runs = archives.map((a) => ({ ...a, verify, speeds: [], memory: [], digests: new Set() }));
      for (let round = 0; round < rounds; round++) {
        for (const run of runs) {
          const read = await readImage(page, run.path, 300_000);
          if (read.errors) throw new Error(`${run.name}: the read reported errors`);
          run.speeds.push(read.mbps);
          run.memory.push(read.memoryMb);
          run.digests.add(read.digests);
        }
      }
      results.push(...runs);
    }
    console.log(`\nheadless Chromium, ${rounds} reads each, MB of archive per second`);
    console.log('archive | size MB | digests | median | least | most | workers\' memory MB (most)');
    console.log('--- | --- | --- | --- | --- | --- | ---');
    const summary = results.map((r) => {
      const sorted = [...r.speeds].sort((a, b) => a - b);
      const row = {
        archive: r.name,
        bytes: statSync(r.path).size,
        digests: r.verify ? [...r.digests].join('/') : 'unchecked',
        median: median(sorted),
        least: sorted[0],
        most: sorted.at(-1),
        memory_mb: Math.max(...r.memory),
        reads: r.speeds,
      };
      console.log(`${row.archive} | ${(row.bytes / 1e6).toFixed(1)} | ${row.digests} | ${row.median} | ${row.least} | ${row.most} | ${row.memory_mb}`);
      return row;
    });
    if (jsonOut) writeFileSync(jsonOut, JSON.stringify(summary, null, 2));
  } finally {
    await browser.close();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/// The middle of `sorted` (the mean of the two middle ones for an even count).
function median(sorted) {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/// The ≥ 1 GB gzip archive in `dir`, made when it is not there yet.
function bigArchive(dir) {
  const path = join(dir, 'gzip-real-big.tar');
  if (existsSync(path)) {
    console.log(`reading ${path} again (delete it to make a new one)`);
  } else {
    mkdirSync(dir, { recursive: true });
    console.log(`making ${path}: ≥ 1 GB of this machine's files, gzip'ed (a minute or two)`);
    if (!bigGzipArchive(path, 1.05e9, { log: (line) => console.log(`  ${line}`) })) {
      throw new Error('this machine has too few files under /usr, /opt and ~/.rustup for a 1 GB gzip archive');
    }
  }
  return { name: basename(path), path };
}

/// The e2e speed test's archives, written into `dir`.
function generated(dir) {
  const made = speedArchives(dir);
  return ['plain', 'gzip', 'real'].filter((k) => made[k]).map((k) => ({ name: basename(made[k]), path: made[k] }));
}
