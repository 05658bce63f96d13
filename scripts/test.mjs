// Run the test suite: fetch the real trees (cached), bundle each test file with esbuild,
// then run them all with node's test runner.
import * as esbuild from 'esbuild';
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = process.cwd();
const find = dir =>
  readdirSync(dir).flatMap(n => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? (n === 'fixtures' ? [] : find(p)) : p.endsWith('.test.ts') ? [p] : [];
  });
const only = process.argv.slice(2);
const files = find('test').filter(f => !only.length || only.some(o => f.includes(o)));

if (!process.env.SYSTAB_SKIP_REAL && files.some(f => f.includes('real'))) {
  const r = spawnSync('bash', ['scripts/fetch-real-data.sh'], { stdio: 'inherit' });
  if (r.status !== 0)
    console.error('systab tests: fetching real QEMU/Linux trees failed; the real-data tests will be skipped');
}

// A directory per run, so that two runs at once do not delete each other's bundles.
const out = path.join(root, '.cache', `test-${process.pid}`);
rmSync(out, { recursive: true, force: true });
await esbuild.build({
  // The kernel index's reading thread, found by the bundles in the folders below it.
  entryPoints: [...files, { in: 'server/src/io/kernelIndexWorker.ts', out: 'kernelIndexWorker' }],
  outdir: out,
  outbase: 'test',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  define: { 'import.meta.url': '__systab_import_meta_url' },
  banner: { js: "var __systab_import_meta_url = require('url').pathToFileURL(__filename).href;" },
});
const built = files.map(f => path.join(out, path.relative('test', f).replace(/\.ts$/, '.js')));
// The server caches kernel indexes in $XDG_CACHE_HOME/systab when a client names no storage:
// a cache per run, so that tests neither fill the user's cache nor load a previous run's.
const cache = mkdtempSync(path.join(os.tmpdir(), 'systab-test-cache-'));
const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', ...built], {
  stdio: 'inherit',
  env: { ...process.env, SYSTAB_ROOT: root, XDG_CACHE_HOME: cache },
});
rmSync(out, { recursive: true, force: true });
rmSync(cache, { recursive: true, force: true });
process.exit(r.status ?? 1);
