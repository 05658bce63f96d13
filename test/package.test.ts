// The npm package as a user installs it: `npm pack`, then `npm install -g` of the tarball
// into a scratch prefix, offline and with an empty cache (so the install can succeed only
// if the package needs nothing from the registry), then the installed `systab` and
// `systab-server` run from that prefix. The bundles come from the test runner's build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  createProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'url';
import { CLI, ROOT, tmpDir } from './helpers/paths';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

// npm run by `npm test` exports npm_config_* and npm_package_* to its children: none of that
// may steer the npm commands below (a prefix, a cache, dry-run), so it is left out.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, env, encoding: 'utf8' });

test('the manifest is publishable, with nothing to install at run time', () => {
  assert.equal(pkg.private, undefined, 'a private package can never be published');
  assert.equal(pkg.dependencies, undefined, 'the bundles carry every dependency: none may be installed with systab');
  assert.equal(pkg.optionalDependencies, undefined);
  assert.equal(pkg.peerDependencies, undefined);
  assert.deepEqual(pkg.bin, { systab: 'dist/cli.js', 'systab-server': 'dist/server.js' });
  // One manifest is both the npm package and the VS Code extension.
  assert.equal(pkg.main, './dist/extension.js');
  assert.ok(pkg.engines.vscode && pkg.contributes.languages.length);
});

test('allowScripts covers every install script npm ci meets (so it warns about none)', () => {
  // npm 11 runs no dependency's install script unless allowScripts approves it, and warns
  // about each one not listed. esbuild's postinstall is approved (it checks and links the
  // platform binary); tree-sitter-c's native build is denied (systab loads only its .wasm);
  // @vscode/vsce-sign's binary serves `vsce sign`, which systab never runs. An optional
  // dependency with an unlisted script (keytar, under vsce) is skipped without a warning.
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const scripted = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean; optional?: boolean }>)
    .filter(([k, v]) => k && v.hasInstallScript && !v.optional)
    .map(([k]) => k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length));
  assert.deepEqual([...new Set(scripted)].sort(), Object.keys(pkg.allowScripts).sort());
  assert.deepEqual(pkg.allowScripts, { esbuild: true, 'tree-sitter-c': false, '@vscode/vsce-sign': false });
});

test('npm pack, then npm install -g of the tarball offline: systab and systab-server run', async () => {
  const tmp = tmpDir('pack');
  const prefix = path.join(tmp, 'prefix'),
    cache = path.join(tmp, 'npm-cache');
  // --ignore-scripts: prepack would rebuild dist/ for production while the other test
  // files run the same bundles; the runner built them already.
  const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp, '--cache', cache], ROOT);
  assert.equal(packed.status, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  assert.equal(info.filename, `systab-${pkg.version}.tgz`);
  // What ships: the bundles, the grammars' .wasm, the catalogue, the README and the licence.
  assert.deepEqual(info.files.map(f => f.path).sort(), [
    'LICENSE',
    'README.md',
    'dist/catalogue.json',
    'dist/cli.js',
    'dist/cliCommands.js',
    'dist/extension.js',
    'dist/freebsd-catalogue.json.gz',
    'dist/kernelIndexWorker.js',
    'dist/server.js',
    'dist/serverMain.js',
    'dist/tree-sitter-c.wasm',
    'dist/tree-sitter.wasm',
    'package.json',
  ]);

  const installed = npm(
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--offline',
      '--cache',
      cache,
      '--no-audit',
      '--no-fund',
      path.join(tmp, info.filename),
    ],
    tmp,
  );
  assert.equal(installed.status, 0, installed.stderr);
  const lib = path.join(prefix, 'lib', 'node_modules', 'systab');
  assert.ok(fs.existsSync(path.join(lib, 'dist', 'cli.js')));
  assert.ok(!fs.existsSync(path.join(lib, 'node_modules')), 'nothing was installed beside systab');

  const systab = path.join(prefix, 'bin', 'systab');
  const version = spawnSync(systab, ['--version'], { encoding: 'utf8', env });
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout, `systab ${pkg.version}\n`);

  // The installed command prints what the built one prints, on the bundled example.
  const check = spawnSync(systab, ['check', 'examples/o32'], { cwd: ROOT, encoding: 'utf8', env });
  const built = spawnSync(process.execPath, [CLI, 'check', 'examples/o32'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(check.status, 1, check.stderr);
  assert.match(
    check.stdout,
    /^examples\/o32\/syscall-args-o32\.c\.inc:\d+:\d+: error: pause \(4029\) is in syscall_o32\.tbl but has no row: .* \[missing-entry\]$/m,
  );
  assert.match(
    check.stdout,
    /: error: mount \(4021\) needs 5 o32 argument words, the row says 4: .* \[arg-count-mismatch\]$/m,
  );
  assert.equal(check.stdout, built.stdout);
  assert.match(check.stderr, /\d+ errors?, \d+ warnings?, .* in 1 file/);

  // systab-server speaks LSP over stdio and checks an opened table with the bundled catalogue.
  const table = path.join(ROOT, 'examples', 'o32', 'syscall-args-o32.c.inc');
  const proc = spawn(path.join(prefix, 'bin', 'systab-server'), ['--stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  try {
    const uri = pathToFileURL(table).href;
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('systab-server published no diagnostics in 20 s')), 20000);
      conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
        if (p.uri === uri && p.diagnostics.length) {
          clearTimeout(timer);
          resolve(p);
        }
      });
    });
    conn.onRequest('workspace/configuration', () => [{}]);
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(table, 'utf8') },
    });
    const p = await diagnostics;
    assert.ok(p.diagnostics.some(d => d.code === 'missing-entry' && /pause \(4029\)/.test(String(d.message))));
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
  } finally {
    conn.dispose();
    proc.kill();
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});
