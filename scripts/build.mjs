// Bundle the client, the server and the CLI with esbuild; copy the two .wasm files beside them.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync, chmodSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { gunzipSync } from 'zlib';
import { readFile } from 'fs/promises';
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), 'dist/tree-sitter.wasm');
copyFileSync(require.resolve('tree-sitter-c/tree-sitter-c.wasm'), 'dist/tree-sitter-c.wasm');
// The Linux catalogue ships unzipped: it is read at every start, and gunzip cost ~9 ms of the
// first diagnostics' time (the package is a zip anyway).
rmSync('dist/catalogue.json.gz', { force: true });
if (existsSync('data/catalogue.json.gz'))
  writeFileSync('dist/catalogue.json', gunzipSync(readFileSync('data/catalogue.json.gz')));
if (existsSync('data/freebsd-catalogue.json.gz'))
  copyFileSync('data/freebsd-catalogue.json.gz', 'dist/freebsd-catalogue.json.gz');

// web-tree-sitter loads node's builtins with import(), which code compiled from a V8 code
// cache cannot do under Node 20 (the server's loader, io/codeCache.ts): a require instead,
// under a name of its own (emscripten declares a `require` of its own in that scope).
const builtinImports = {
  name: 'builtin-imports',
  setup(build) {
    build.onLoad({ filter: /web-tree-sitter[\\/].*\.js$/ }, async args => {
      const text = await readFile(args.path, 'utf8');
      return {
        contents: text.replace(/\bimport\((["'])([a-z/:]+)\1\)/g, 'Promise.resolve(__systab_require("$2"))'),
        loader: 'js',
      };
    });
  },
};
// Node's builtins that the server's first diagnostics never use (kernel indexing, npm's global
// folder, random pipe names) cost several ms each to load: in the server they load on first use.
const LAZY = ['child_process', 'crypto', 'worker_threads'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(node:)?(${LAZY.join('|')})$`) }, args => ({
      path: args.path.replace(/^node:/, ''),
      namespace: 'lazy-builtin',
    }));
    // esbuild's interop lists the names and asks for __esModule on import: both answered
    // without loading the module (the names as this node has them); any value loads it.
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, args => ({
      contents: `let m;
const load = () => (m ??= __systab_require(${JSON.stringify(args.path)}));
const names = ${JSON.stringify(Object.getOwnPropertyNames(require(args.path)))};
module.exports = new Proxy({}, {
  get: (_, k) => (k === '__esModule' ? undefined : load()[k]),
  has: (_, k) => k in load(),
  ownKeys: () => names,
  getOwnPropertyDescriptor: (_, k) => (names.includes(k) ? { configurable: true, enumerable: true, writable: true, value: undefined } : undefined),
});`,
      loader: 'js',
    }));
  },
};
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  // web-tree-sitter is an ES module that asks import.meta.url for its location.
  define: { 'import.meta.url': '__systab_import_meta_url' },
  banner: {
    js: "var __systab_import_meta_url = require('url').pathToFileURL(__filename).href, __systab_require = require;",
  },
  plugins: [builtinImports],
};
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js' },
  // The server runs from a code cache: dist/server.js (boot.ts) compiles dist/serverMain.js.
  { entryPoints: ['server/src/lsp/boot.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/serverMain.js', plugins: [builtinImports, lazyBuiltins] },
  // The command: its entry (a stored run answers there), and the commands it loads otherwise.
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['server/src/cli/cli.ts'], outfile: 'dist/cliCommands.js' },
  // The kernel index's reading threads, started by the server and the CLI from beside them.
  { entryPoints: ['server/src/io/kernelIndexWorker.ts'], outfile: 'dist/kernelIndexWorker.js' },
];
for (const e of entries) {
  const opts = { ...common, ...e };
  if (watch) await (await esbuild.context(opts)).watch();
  else await esbuild.build(opts);
}
for (const f of ['dist/cli.js', 'dist/server.js']) if (existsSync(f)) chmodSync(f, 0o755);
