// npm run bench: systab's speed and memory next to their baselines (ARCHITECTURE.md, Performance),
// measured in the same run, printed as ratios. Trees: $SYSTAB_BENCH_KERNEL (a whole Linux
// tree) and $SYSTAB_BENCH_QEMU (a QEMU tree), else the ones scripts/fetch-real-data.sh fetched.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import {
  createProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, cSyntaxOf, parseC } from '../server/src/analysis/analyze';
import { readConfig } from '../server/src/core/config';
import { newParser } from '../server/src/syntax/c/parser';
import { ROW_WRAP_PREFIX, ROW_WRAP_SUFFIX } from '../server/src/families/qemu/o32/table';
import { applyChanges, currentParse, DocState } from '../server/src/lsp/docState';
import { loadCatalogueFile } from '../server/src/io/catalogueFile';
import { linuxReference } from '../server/src/reference/linux/reference';
import { cachedReader, listDir } from '../server/src/io/files';
import { cachedIndex, readCache } from '../server/src/io/kernelCache';
import { indexKernel } from '../server/src/io/kernelIndex';
import { SERVER_NODE_FLAGS } from '../protocol/runtime';
import { answerServerRequests } from '../test/lsp/client';

const ROOT = process.cwd();
const data = process.env.SYSTAB_DATA ?? path.join(os.homedir(), '.cache', 'systab-real');
const KERNEL = process.env.SYSTAB_BENCH_KERNEL ?? path.join(data, 'linux-6.12');
const QEMU = process.env.SYSTAB_BENCH_QEMU ?? path.join(data, 'qemu');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const rows: string[][] = [];

const now = () => performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(n: number, f: () => unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    await f();
    xs.push(now() - t);
  }
  return median(xs);
}
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3)) + ' ms';
function row(what: string, value: string, baseline: string, ratio: string, target: string, ok: boolean) {
  rows.push([what, value, baseline, ratio, target, ok ? 'ok' : 'MISSED']);
  console.error(`  ${what}: ${value} (baseline ${baseline}, ${ratio}) ${ok ? 'ok' : 'MISSED'}`);
}

async function kernelIndex() {
  if (!fs.existsSync(path.join(KERNEL, 'include/linux/syscalls.h'))) {
    console.error(`no kernel tree at ${KERNEL}: skipping the index figures`);
    return;
  }
  const grep = () => execFileSync('grep', ['-rl', 'SYSCALL_DEFINE', '--include=*.c', KERNEL], { maxBuffer: 64 << 20 });
  grep();
  await indexKernel(KERNEL); // warm the page cache for both
  const g = await time(3, grep);
  const idx = await time(3, () => indexKernel(KERNEL));
  row(
    'kernel index (whole tree)',
    ms(idx),
    `grep -rl SYSCALL_DEFINE ${ms(g)}`,
    `${(idx / g).toFixed(2)}x`,
    '<= 1.5x',
    idx / g <= 1.5,
  );
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'systab-bench-'));
  await cachedIndex(KERNEL, storage);
  const load = await time(5, () => readCache(storage, KERNEL));
  row('cached catalogue load', ms(load), '50 ms target', `${(load / 50).toFixed(2)}x`, '< 50 ms', load < 50);
  const bundled = path.join(ROOT, 'data', 'catalogue.json.gz');
  const b = await time(5, () => loadCatalogueFile(bundled));
  row('bundled catalogue load', ms(b), '50 ms target', `${(b / 50).toFixed(2)}x`, '< 50 ms', b < 50);
}

function serverSession(initializationOptions: object, gc = false) {
  // Started as the VS Code client starts it.
  const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(gc ? ['--expose-gc'] : []), SERVER, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const waiters: ((p: PublishDiagnosticsParams) => void)[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) =>
    waiters.splice(0).forEach(w => w(p)),
  );
  answerServerRequests(conn, initializationOptions);
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('systab/status', () => undefined);
  conn.listen();
  const next = (ok: (p: PublishDiagnosticsParams) => boolean, ms = 60000) =>
    new Promise<PublishDiagnosticsParams>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server published no matching diagnostics in time')), ms);
      const w = (p: PublishDiagnosticsParams) => (ok(p) ? (clearTimeout(timer), resolve(p)) : waiters.push(w));
      waiters.push(w);
    });
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'))![1]) / 1024;
  proc.stdin!.on('error', () => undefined);
  const stop = async () => {
    try {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
    } catch {
      /* gone */
    }
    conn.dispose();
    proc.kill();
  };
  return { conn, proc, next, rss, stop };
}

const TABLE = () => path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');

async function coldStart() {
  const xs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = serverSession({});
    const uri = URI.file(TABLE()).toString();
    const t = now();
    await s.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: {},
    });
    s.conn.sendNotification('initialized', {});
    s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(TABLE(), 'utf8') },
    });
    await s.next(p => p.uri === uri);
    xs.push(now() - t);
    await s.stop();
  }
  const c = median(xs);
  row(
    'cold start to first diagnostics (o32 table)',
    ms(c),
    '300 ms target',
    `${(c / 300).toFixed(2)}x`,
    '< 300 ms',
    c < 300,
  );
}

async function editLatency() {
  const parser = await newParser();
  const ws = {
    kernel: linuxReference(loadCatalogueFile(path.join(ROOT, 'data', 'catalogue.json.gz'))),
    config: readConfig(undefined),
    list: listDir,
    parser,
    read: cachedReader().read,
  };
  for (const [file, label] of [
    [path.join(QEMU, 'linux-user/syscall.c'), 'syscall.c'],
    [TABLE(), 'o32 table'],
  ] as const) {
    const text = fs.readFileSync(file, 'utf8');
    // A one-character edit inside a number near the middle of the file.
    const at = text.indexOf('0', Math.floor(text.length / 2));
    const doc = TextDocument.create('file://x', 'c', 1, text);
    const pos = doc.positionAt(at);
    // Baseline: tree-sitter's own incremental reparse of that edit.
    const base = parseC(parser, text, undefined, cSyntaxOf(file, text)?.wrap)!;
    const reparse: number[] = [];
    let tree = base.tree;
    for (let i = 0; i < 50; i++) {
      const ch = i % 2 ? '0' : '1';
      const src = text.slice(0, at) + ch + text.slice(at + 1);
      const p = base.prefixLength;
      const t = now();
      tree.edit({
        startIndex: at + p,
        oldEndIndex: at + 1 + p,
        newEndIndex: at + 1 + p,
        startPosition: { row: pos.line, column: pos.character },
        oldEndPosition: { row: pos.line, column: pos.character + 1 },
        newEndPosition: { row: pos.line, column: pos.character + 1 },
      });
      const prefixed = p ? ROW_WRAP_PREFIX + src + ROW_WRAP_SUFFIX : src;
      const next = parser.parse(prefixed, tree)!;
      reparse.push(now() - t);
      tree.delete();
      tree = next;
    }
    tree.delete();
    // systab: the server's path for the same edit, from the change event to findings.
    const state: DocState = { uri: 'file://x', file, doc, stale: true };
    currentParse(state, parser);
    const ours: number[] = [];
    for (let i = 0; i < 50; i++) {
      const ch = i % 2 ? '0' : '1';
      const t = now();
      applyChanges(
        state,
        [{ range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: ch }],
        i + 2,
      );
      analyze(file, state.doc.getText(), ws, () => currentParse(state, parser));
      ours.push(now() - t);
    }
    state.parse?.tree.delete();
    const r = median(reparse),
      o = median(ours);
    if (label === 'syscall.c')
      row(
        `re-check after a 1-char edit in ${label}`,
        ms(o),
        `tree-sitter incremental reparse ${ms(r)}`,
        `${(o / r).toFixed(2)}x`,
        '<= 1.25x',
        o / r <= 1.25,
      );
    else
      row(
        `re-check after a 1-char edit in the ${label}`,
        ms(o),
        `tree-sitter incremental reparse ${ms(r)}; 5 ms target`,
        `${(o / 5).toFixed(2)}x of 5 ms`,
        '< 5 ms',
        o < 5,
      );
  }
  parser.delete();
}

type Stats = { rss: number; heapUsed: number; external: number; documents: number; trees: number };
const mb = (n: number) => n / 1048576;

async function memory() {
  const kernel = fs.existsSync(path.join(KERNEL, 'include/linux/syscalls.h')) ? KERNEL : '';
  // --expose-gc lets the stats request collect first, so the figures are live memory.
  const s = serverSession({ kernelPath: kernel }, true);
  await s.conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: { kernelPath: kernel },
  });
  s.conn.sendNotification('initialized', {});
  const table = URI.file(TABLE()).toString();
  // Every text file of linux-user/, the o32 table among them.
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(c|h|inc|tbl|list|sh)$/.test(e.name)) files.push(p);
    }
  };
  walk(path.join(QEMU, 'linux-user'));
  for (const f of files)
    s.conn.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: URI.file(f).toString(),
        languageId: f.endsWith('.tbl') ? 'systab-tbl' : 'c',
        version: 1,
        text: fs.readFileSync(f, 'utf8'),
      },
    });
  await s.next(p => p.uri === table && p.diagnostics.some(d => d.code === 'arg-count-mismatch'));
  await new Promise(r => setTimeout(r, 500));
  const loaded = (await s.conn.sendRequest('systab/stats')) as Stats;
  const text = fs.readFileSync(TABLE(), 'utf8');
  const line = text.split('\n').findIndex(l => l.includes('/* read */'));
  for (let v = 2; v <= 1001; v++) {
    s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: table, version: v },
      contentChanges: [
        { range: { start: { line, character: 13 }, end: { line, character: 14 } }, text: v % 2 ? '3' : '4' },
      ],
    });
    // Edits are coalesced: wait for diagnostics of this version or a later one.
    if (v % 50 === 0) await s.next(p => p.uri === table && (p.version ?? 0) >= v);
  }
  await s.next(p => p.uri === table && p.version === 1001);
  await new Promise(r => setTimeout(r, 300));
  const after = (await s.conn.sendRequest('systab/stats')) as Stats;
  await s.stop();
  const live = (x: Stats) => mb(x.heapUsed + x.external);
  row(
    `server RSS, linux-user/ (${files.length} files) + catalogue`,
    `${mb(loaded.rss).toFixed(0)} MB`,
    '150 MB target',
    `${(mb(loaded.rss) / 150).toFixed(2)}x`,
    '< 150 MB',
    mb(loaded.rss) < 150,
  );
  row(
    'server live memory (JS heap + WASM) after 1,000 edits',
    `${live(after).toFixed(1)} MB`,
    `before the edits ${live(loaded).toFixed(1)} MB`,
    `${(live(after) / live(loaded)).toFixed(3)}x`,
    'flat (< 1.05x)',
    live(after) / live(loaded) < 1.05,
  );
  row(
    'server RSS after 1,000 edits',
    `${mb(after.rss).toFixed(0)} MB`,
    `before the edits ${mb(loaded.rss).toFixed(0)} MB`,
    `${(after.rss / loaded.rss).toFixed(2)}x`,
    '< 150 MB',
    mb(after.rss) < 150,
  );
}

(async () => {
  // Edit latency runs in a process of its own, holding what the server holds (a parser,
  // the catalogue, the documents), not what the other figures left behind.
  if (process.argv.includes('--edit-latency')) {
    await editLatency();
    console.log(JSON.stringify(rows));
    return;
  }
  if (!fs.existsSync(TABLE())) {
    console.error(`no QEMU tree at ${QEMU}: run scripts/fetch-real-data.sh or set SYSTAB_BENCH_QEMU`);
    process.exit(2);
  }
  console.error(`systab bench: kernel ${KERNEL}, QEMU ${QEMU}`);
  await kernelIndex();
  await coldStart();
  const child = execFileSync(process.execPath, [...SERVER_NODE_FLAGS, __filename, '--edit-latency'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  rows.push(...(JSON.parse(child.trim().split('\n').pop()!) as string[][]));
  await memory();
  const widths = rows[0].map((_, i) =>
    Math.max(...[['figure', 'systab', 'baseline (same run)', 'ratio', 'target', ''], ...rows].map(r => r[i].length)),
  );
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(fmt(['figure', 'systab', 'baseline (same run)', 'ratio', 'target', '']));
  for (const r of rows) console.log(fmt(r));
})();
