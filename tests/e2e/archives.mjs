// Tar and docker-archive writers for the browser tests (ustar, enough for
// the core's reader), and the data they hold: noise, or this machine's files.
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function header(name, size, type = '0') {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.fill(' ', 148, 156);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}
export const pad = (n) => Buffer.alloc((512 - (n % 512)) % 512);
export const tarOf = (entries) => Buffer.concat([
  ...entries.flatMap(([name, body]) => [header(name, body.length), body, pad(body.length)]),
  Buffer.alloc(1024),
]);
/// name → content of a tar's regular entries.
export function untar(buf) {
  const out = new Map();
  for (let at = 0; at + 512 <= buf.length;) {
    const name = buf.toString('utf8', at, at + 100).replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(buf.toString('latin1', at + 124, at + 136).replace(/\0.*$/s, '').trim() || '0', 8);
    if (buf[at + 156] === 0x30 || buf[at + 156] === 0) out.set(name, buf.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
export const sha = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/// A docker-archive whose config and manifest come first (so a cut inside a
/// layer still leaves an image to analyse). `layers` are stored as given;
/// `diffIds` default to their hashes.
export function dockerArchive(layers, { tag = 'example/gen:1', diffIds = layers.map(sha) } = {}) {
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { User: '1000' },
    history: layers.map((_, i) => ({ created_by: `/bin/sh -c #(nop) RUN step ${i + 1}` })),
    rootfs: { type: 'layers', diff_ids: diffIds },
  });
  const manifest = JSON.stringify([{ Config: 'config.json', RepoTags: [tag], Layers: layers.map((_, i) => `l${i}/layer.tar`) }]);
  return tarOf([
    ['config.json', Buffer.from(config)],
    ['manifest.json', Buffer.from(manifest)],
    ...layers.map((l, i) => [`l${i}/layer.tar`, l]),
  ]);
}

/// `n` bytes of text-like noise (16 letters): gzip halves it and has real
/// work to do inflating it.
export function noise(n) {
  const b = randomBytes(n);
  for (let i = 0; i < n; i++) b[i] = 97 + (b[i] & 15);
  return b;
}

/// The regular files under `dirs` (in order, names sorted; names of at most
/// 99 bytes, each under 200 MB), as [name, content]: real data for realistic
/// gzip layers.
function* filesUnder(dirs) {
  function* walk(at) {
    let names;
    try { names = readdirSync(at).sort(); } catch { return; }
    for (const name of names) {
      const path = join(at, name);
      let st;
      try { st = lstatSync(path); } catch { continue; }
      if (st.isDirectory()) yield* walk(path);
      else if (st.isFile() && st.size > 0 && st.size < 200e6 && Buffer.byteLength(path) < 99) {
        let body;
        try { body = readFileSync(path); } catch { continue; /* unreadable: skipped */ }
        yield [path.slice(1), body];
      }
    }
  }
  for (const dir of dirs) yield* walk(dir);
}

/// The files under `dir` until they add up to `limit` bytes.
function realFiles(dir, limit) {
  const out = [];
  let total = 0;
  for (const file of filesUnder([dir])) {
    if (total >= limit) break;
    out.push(file);
    total += file[1].length;
  }
  return out;
}

/// The gzip benchmark at the scale, written to `path`: a
/// docker-archive of at least `bytes` bytes whose layers (≈250 MB of files
/// each before gzip, level 6) hold this machine's files — /usr, then /opt
/// and ~/.rustup — so they compress as real images do (≈2.5–3×). Its size and
/// content are the machine's; `null` when the machine has too few files.
export function bigGzipArchive(path, bytes = 1.05e9, { log = () => {} } = {}) {
  const layers = [];
  const diffIds = [];
  let files = [];
  let held = 0;
  let stored = 0;
  const close = () => {
    const tar = tarOf(files);
    const gz = gzipSync(tar, { level: 6 });
    layers.push(gz);
    diffIds.push(sha(tar));
    stored += gz.length;
    log(`layer ${layers.length}: ${files.length} files, ${(tar.length / 1e6).toFixed(0)} MB → ${(gz.length / 1e6).toFixed(0)} MB gzip'ed`);
    files = [];
    held = 0;
  };
  const home = process.env.HOME ?? '/root';
  for (const file of filesUnder(['/usr', '/opt', join(home, '.rustup')])) {
    files.push(file);
    held += file[1].length;
    if (held >= 250e6) close();
    if (stored >= bytes) break;
  }
  if (stored < bytes && files.length) close();
  if (stored < bytes) return null;
  // Whole or not at all: a cut-off file would be taken for the archive next time.
  writeFileSync(`${path}.part`, dockerArchive(layers, { tag: 'drydock-bench/real-files:gzip', diffIds }));
  renameSync(`${path}.part`, path);
  return path;
}

/// The read-speed archives, written into `dir` (the e2e speed test and
/// `cargo xtask bench-image` read the same): 96 MiB of noise as a plain layer
/// (`plain`), the same gzip'ed at level 6 (`gzip`), and ≈100 MB of this
/// machine's shared libraries gzip'ed (`real`, absent when there are none;
/// `realLayerBytes` its size before gzip).
export function speedArchives(dir) {
  const layer = tarOf([['data/blob.txt', noise(96 * 1024 * 1024)]]);
  const write = (name, bytes) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const out = {
    plain: write('plain.tar', dockerArchive([layer])),
    gzip: write('gzip.tar', dockerArchive([gzipSync(layer, { level: 6 })], { diffIds: [sha(layer)] })),
  };
  const files = realFiles('/usr/lib/x86_64-linux-gnu', 100 * 1000 * 1000);
  if (files.length) {
    const real = tarOf(files);
    out.real = write('gzip-real.tar', dockerArchive([gzipSync(real, { level: 6 })], { diffIds: [sha(real)] }));
    out.realLayerBytes = real.length;
  }
  return out;
}
