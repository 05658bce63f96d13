// Bundle bench/bench.ts and run it (npm run bench).
import * as esbuild from 'esbuild';
import { spawnSync } from 'child_process';
await esbuild.build({
  entryPoints: ['bench/bench.ts'],
  outfile: '.cache/bench/bench.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  define: { 'import.meta.url': '__systab_import_meta_url' },
  banner: { js: "var __systab_import_meta_url = require('url').pathToFileURL(__filename).href;" },
});
const r = spawnSync(process.execPath, ['--expose-gc', '.cache/bench/bench.js'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
