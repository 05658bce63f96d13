// Bundle bench/bench.ts (and bench/floor.ts, the cold-start floor) and run it (npm run
// bench; arguments after `--` go to the bench, e.g. `npm run bench -- --json out.json`).
import * as esbuild from 'esbuild';
import { spawnSync } from 'child_process';
await esbuild.build({
  entryPoints: {
    bench: 'bench/bench.ts',
    floor: 'bench/floor.ts',
    kernelIndexWorker: 'server/src/io/kernelIndexWorker.ts',
  },
  outdir: '.cache/bench',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  define: { 'import.meta.url': '__systab_import_meta_url' },
  banner: { js: "var __systab_import_meta_url = require('url').pathToFileURL(__filename).href;" },
});
const r = spawnSync(process.execPath, ['--expose-gc', '.cache/bench/bench.js', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
