// `npm run package`: a production build, then one universal .vsix (systab-<version>.vsix)
// made by @vscode/vsce with --no-dependencies (esbuild bundles everything the extension
// and the server need; the two .wasm files and the catalogue ship beside the bundles).
// What goes in is listed in .vscodeignore; this script checks the result and prints it.
// package.json is also the npm package's manifest, whose "files" list (what `npm pack`
// ships: the CLI and the server) vsce refuses beside a .vscodeignore; so vsce runs in a
// staging folder holding what .vscodeignore lets in and the manifest without "files".
//
//   node scripts/package.mjs          build, package, check the content
//   node scripts/package.mjs --icon   (re)draw media/icon.png, the 128x128 Marketplace icon
import { spawnSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { deflateSync, inflateRawSync } from 'zlib';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

if (process.argv.includes('--icon')) {
  writeIcon('media/icon.png');
  process.exit(0);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

if (!existsSync('media/icon.png')) writeIcon('media/icon.png');
// Production bundles: minified, no source maps. Stale maps from a dev build are left
// out by .vscodeignore.
run(process.execPath, ['scripts/build.mjs', '--production']);
for (const f of [
  'dist/extension.js',
  'dist/server.js',
  'dist/serverMain.js',
  'dist/cli.js',
  'dist/cliCommands.js',
  'dist/kernelIndexWorker.js',
  'dist/tree-sitter.wasm',
  'dist/tree-sitter-c.wasm',
  'dist/catalogue.json',
  'dist/freebsd-catalogue.json.gz',
]) {
  if (!existsSync(f)) {
    console.error(`package: ${f} is missing after the build`);
    process.exit(1);
  }
}

const out = `${pkg.name}-${pkg.version}.vsix`;
rmSync(out, { force: true });
const require = createRequire(import.meta.url);
const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
const stage = path.join(root, '.cache', `vsix-${process.pid}`);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
try {
  stageExtension(stage);
  // --no-dependencies: nothing from node_modules is shipped (and npm is not asked to list it).
  // --allow-star-activation is not needed; no --target: one universal package.
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', path.join(root, out)], {
    cwd: stage,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error(`package: vsce package failed (exit ${r.status ?? r.signal})`);
    process.exitCode = 1;
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
if (process.exitCode) process.exit();

// Check what went in: exactly the allowed files, nothing from the sources or node_modules.
const entries = listZip(readFileSync(out));
const allowed = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/LICENSE(\.txt|\.md)?$/i,
  /^extension\/dist\/(extension|server|serverMain|cli|cliCommands|kernelIndexWorker)\.js$/,
  /^extension\/dist\/tree-sitter(-c)?\.wasm$/,
  /^extension\/dist\/(catalogue\.json|freebsd-catalogue\.json\.gz)$/,
  /^extension\/syntaxes\/[^/]+\.json$/,
  /^extension\/media\/icon\.png$/,
];
const unexpected = entries.filter(e => !allowed.some(re => re.test(e.name)));
const required = [
  'extension/dist/extension.js',
  'extension/dist/server.js',
  'extension/dist/serverMain.js',
  'extension/dist/kernelIndexWorker.js',
  'extension/dist/tree-sitter.wasm',
  'extension/dist/tree-sitter-c.wasm',
  'extension/dist/catalogue.json',
  'extension/dist/freebsd-catalogue.json.gz',
  'extension/media/icon.png',
  'extension/package.json',
];
const missing = required.filter(r => !entries.some(e => e.name === r));
const size = statSync(out).size;
console.log(`\n${out}: ${(size / 1024).toFixed(0)} KiB, ${entries.length} entries`);
for (const e of entries) console.log(`  ${String(e.size).padStart(9)}  ${e.name}`);
if (unexpected.length || missing.length) {
  if (unexpected.length)
    console.error(`package: unexpected files in ${out}: ${unexpected.map(e => e.name).join(', ')}`);
  if (missing.length) console.error(`package: missing from ${out}: ${missing.join(', ')}`);
  process.exit(1);
}
const manifest = JSON.parse(
  inflate(
    readFileSync(out),
    entries.find(e => e.name === 'extension/package.json'),
  ).toString('utf8'),
);
if (manifest.main !== './dist/extension.js' || !manifest.icon) {
  console.error('package: the packaged manifest lacks main or icon');
  process.exit(1);
}

// ---------------------------------------------------------------------------
// The staging folder: the files .vscodeignore lets in (its `!path` lines; a `*` matches
// within one folder), .vscodeignore itself, and package.json without the npm "files".

function stageExtension(dir) {
  const patterns = readFileSync('.vscodeignore', 'utf8')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l.startsWith('!'))
    .map(l => l.slice(1));
  const copy = rel => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    copyFileSync(rel, path.join(dir, rel));
  };
  for (const p of patterns) {
    if (!p.includes('*')) {
      if (existsSync(p)) copy(p);
      continue;
    }
    const folder = path.dirname(p);
    const re = new RegExp(
      '^' +
        path
          .basename(p)
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*') +
        '$',
    );
    if (existsSync(folder)) for (const n of readdirSync(folder)) if (re.test(n)) copy(path.join(folder, n));
  }
  copy('.vscodeignore');
  const { files, ...manifest } = pkg;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
}

// ---------------------------------------------------------------------------
// A minimal zip reader (central directory), enough to list and read a .vsix.

function listZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const list = [];
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10),
      csize = buf.readUInt32LE(p + 20),
      size = buf.readUInt32LE(p + 24);
    const nlen = buf.readUInt16LE(p + 28),
      xlen = buf.readUInt16LE(p + 30),
      clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    list.push({ name: buf.subarray(p + 46, p + 46 + nlen).toString('utf8'), method, csize, size, local });
    p += 46 + nlen + xlen + clen;
  }
  return list;
}

function inflate(buf, e) {
  const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
  const data = buf.subarray(start, start + e.csize);
  return e.method === 0 ? data : inflateRawSync(data);
}

// ---------------------------------------------------------------------------
// The icon: a syscall table (rows of number | name | count) on a dark blue tile, one row
// flagged red, and a green check badge. Drawn with 4x4 supersampling, written as an
// RGBA PNG with zlib; no image library needed.

function writeIcon(file) {
  const N = 128,
    S = 4,
    W = N * S;
  const acc = new Float64Array(N * N * 4);
  const shapes = [];
  const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
    const cx = Math.max(x0 + r, Math.min(x1 - r, x)),
      cy = Math.max(y0 + r, Math.min(y1 - r, y));
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
  };
  const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  const segment = (ax, ay, bx, by, w) => (x, y) => {
    const dx = bx - ax,
      dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (w / 2) ** 2;
  };
  const add = (test, rgba) => shapes.push({ test, rgba });

  add(roundRect(4, 4, 124, 124, 22), [23, 42, 74, 255]); // tile
  add(roundRect(18, 20, 110, 108, 8), [236, 241, 248, 255]); // sheet
  add(roundRect(18, 20, 110, 36, 8), [70, 110, 170, 255]); // header bar
  add((x, y) => y >= 30 && y <= 36 && x >= 18 && x <= 110, [70, 110, 170, 255]);
  const rows = [44, 58, 72, 86, 100];
  rows.forEach((y, i) => {
    const bad = i === 2;
    if (bad) add((x, yy) => x >= 20 && x <= 108 && yy >= y - 6 && yy <= y + 6, [252, 220, 220, 255]);
    add(roundRect(26, y - 3, 40, y + 3, 3), bad ? [200, 50, 50, 255] : [120, 136, 160, 255]); // number
    add(roundRect(46, y - 3, 84, y + 3, 3), bad ? [200, 50, 50, 255] : [60, 76, 100, 255]); // name
    add(circle(96, y, 4), bad ? [200, 50, 50, 255] : [60, 140, 90, 255]); // count
  });
  add((x, y) => x >= 42 && x <= 43.5 && y >= 38 && y <= 106, [190, 200, 215, 255]); // column rules
  add((x, y) => x >= 88 && x <= 89.5 && y >= 38 && y <= 106, [190, 200, 215, 255]);
  add(circle(100, 100, 20), [23, 42, 74, 255]); // badge ring
  add(circle(100, 100, 16), [46, 170, 90, 255]); // badge
  add(segment(92, 100, 98, 106, 5), [255, 255, 255, 255]);
  add(segment(98, 106, 109, 93, 5), [255, 255, 255, 255]);

  for (let sy = 0; sy < W; sy++)
    for (let sx = 0; sx < W; sx++) {
      const x = (sx + 0.5) / S,
        y = (sy + 0.5) / S;
      let c = [0, 0, 0, 0];
      for (const s of shapes) if (s.test(x, y)) c = s.rgba;
      const o = (((sy / S) | 0) * N + ((sx / S) | 0)) * 4;
      const a = c[3] / 255;
      acc[o] += c[0] * a;
      acc[o + 1] += c[1] * a;
      acc[o + 2] += c[2] * a;
      acc[o + 3] += c[3];
    }
  const raw = Buffer.alloc(N * (N * 4 + 1));
  for (let y = 0; y < N; y++) {
    raw[y * (N * 4 + 1)] = 0;
    for (let x = 0; x < N; x++) {
      const o = (y * N + x) * 4,
        a = acc[o + 3] / (S * S);
      const p = y * (N * 4 + 1) + 1 + x * 4;
      const k = a > 0 ? 255 / (a * S * S) : 0; // un-premultiply
      raw[p] = Math.round(acc[o] * k);
      raw[p + 1] = Math.round(acc[o + 1] * k);
      raw[p + 2] = Math.round(acc[o + 2] * k);
      raw[p + 3] = Math.round(a);
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = b => {
    let c = 0xffffffff;
    for (const v of b) c = crcTable[(c ^ v) & 255] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(N, 0);
  ihdr.writeUInt32BE(N, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const png = Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, png);
  console.log(`package: wrote ${file} (${png.length} bytes, ${N}x${N})`);
}
