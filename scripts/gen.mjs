// Write what the registries generate (scripts/generated.ts): the manifest's generated
// parts, protocol/documents.ts and the README's code table. `--check` only compares.
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync } from 'fs';
import { createRequire } from 'module';
import * as prettier from 'prettier';

const check = process.argv.includes('--check');
mkdirSync('.cache/gen', { recursive: true });
await esbuild.build({
  entryPoints: ['scripts/generated.ts'],
  outfile: '.cache/gen/generated.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const g = createRequire(import.meta.url)('../.cache/gen/generated.js');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const files = {
  'package.json': JSON.stringify(g.generatedManifest(pkg), null, 2) + '\n',
  'protocol/documents.ts': g.documentsModule(),
  'README.md': g.generatedReadme(readFileSync('README.md', 'utf8')),
};
let stale = 0;
for (const [file, raw] of Object.entries(files)) {
  // Generated code reads like the rest (the formatter's check covers it too); prose is left alone.
  const options = await prettier.resolveConfig(file);
  const text = file.endsWith('.md') ? raw : await prettier.format(raw, { ...options, filepath: file });
  let now = '';
  try {
    now = readFileSync(file, 'utf8');
  } catch {
    /* new */
  }
  if (now === text) continue;
  if (check) {
    console.error(`gen: ${file} is not what the registries generate: run npm run gen`);
    stale++;
  } else {
    writeFileSync(file, text);
    console.error(`gen: wrote ${file}`);
  }
}
process.exit(stale ? 1 : 0);
