// Hostile file systems: symbolic-link loops, unreadable directories, a 50 MB .tbl, a kernel
// path that is a file, a .tbl deleted while the table beside it is open. Each gets a clear
// message or finding, and the CLI finishes / the server carries on answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { CLI, KERNEL, QEMU, scratch } from '../helpers/paths';
import { ReliabilityClient, startReliabilityServer } from './lspClient';

const TABLE_REL = 'linux-user/mips/syscall-args-o32.c.inc';

const cli = (args: string[], cwd?: string) => {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd,
    timeout: 30_000,
    maxBuffer: 64 << 20,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - started, signal: r.signal };
};

/** The server still answers: a hover on a row of `uri` is a card for that row. */
async function answers(c: ReliabilityClient, uri: string, line = 12): Promise<void> {
  const h = await c.request<Hover | null>(
    'textDocument/hover',
    { textDocument: { uri }, position: { line, character: 8 } },
    5000,
  );
  assert.ok(
    h && /\*\*\w+\*\*/.test((h.contents as { value: string }).value),
    `a hover card: ${JSON.stringify(h)?.slice(0, 200)}`,
  );
  assert.ok(c.alive());
  assert.deepEqual(c.crashes(), []);
}

async function open(
  c: ReliabilityClient,
  file: string,
  languageId = 'c',
  text = fs.readFileSync(file, 'utf8'),
): Promise<string> {
  const uri = URI.file(file).toString();
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  return uri;
}

const hasMismatch = (p: PublishDiagnosticsParams) => p.diagnostics.some(d => d.code === 'arg-count-mismatch');

test('symbolic-link loops in the QEMU tree and the kernel tree', async () => {
  const ws = scratch(QEMU);
  const kernel = scratch(KERNEL);
  try {
    fs.symlinkSync('.', path.join(ws, 'linux-user', 'loop')); // a directory that contains itself
    fs.symlinkSync('../mips', path.join(ws, 'linux-user', 'mips', 'mips')); // a second route to the same directory
    fs.symlinkSync('syscall_loop.tbl', path.join(ws, 'linux-user', 'mips', 'syscall_loop.tbl')); // ELOOP
    fs.symlinkSync('..', path.join(kernel, 'arch', 'mips', 'up'));
    fs.symlinkSync('self', path.join(kernel, 'arch', 'self'));

    const r = cli(['check', '--kernel', kernel, ws]);
    assert.equal(r.signal, null, 'the CLI finishes');
    assert.match(r.out, /sync_file_range \(4012\) needs 7/, 'the tables that can be read are checked');
    assert.match(r.err, /syscall_loop\.tbl cannot be read/, 'the looping link is named');
    assert.equal(r.code, 2, 'unreadable input: exit 2');

    const c = await startReliabilityServer({ kernelPath: kernel });
    try {
      await c.waitStatus(s => s.state === 'ready');
      // The table reached through the second route: its .tbl is found beside it all the same.
      const uri = await open(c, path.join(ws, 'linux-user', 'mips', 'mips', 'syscall-args-o32.c.inc'));
      const d = await c.waitDiagnostics(uri, hasMismatch);
      assert.ok(d.diagnostics.some(x => x.code === 'missing-entry'));
      await answers(c, uri);
    } finally {
      await c.stop();
    }
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(kernel, { recursive: true, force: true });
  }
});

test('an unreadable directory and an unreadable table', async t => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: chmod 000 does not keep root out, so there is nothing to test');
    return;
  }
  const ws = scratch(QEMU);
  const mips = path.join(ws, 'linux-user', 'mips');
  try {
    fs.chmodSync(path.join(mips, 'syscall-args-o32.c.inc'), 0o000);
    let r = cli(['check', '--kernel', KERNEL, path.join(mips, 'syscall-args-o32.c.inc')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot be read \(permission denied\)/);
    fs.chmodSync(path.join(mips, 'syscall-args-o32.c.inc'), 0o644);
    fs.chmodSync(mips, 0o000);
    r = cli(['check', '--kernel', KERNEL, ws]);
    assert.equal(r.signal, null);
    assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}`);
    assert.match(r.err, /mips|permission denied|no syscall tables found/);
  } finally {
    fs.chmodSync(mips, 0o755);
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a 50 MB .tbl: reported, not read, and the rest is checked', async () => {
  const ws = scratch(QEMU);
  const big = path.join(ws, 'linux-user', 'mips', 'syscall_big.tbl');
  try {
    const line = '4\to32\twrite\t\t\t\tsys_write\n';
    const text = line.repeat(Math.ceil((50 << 20) / line.length));
    fs.writeFileSync(big, text);
    const r = cli(['check', '--kernel', KERNEL, '--format', 'json', ws]);
    assert.equal(r.signal, null);
    const findings = JSON.parse(r.out) as { file: string; code: string; message: string; severity: string }[];
    const tooBig = findings.find(f => f.file.endsWith('syscall_big.tbl'));
    assert.ok(tooBig, 'a finding on the big file');
    assert.match(tooBig.message, /50\.0 MB, more than systab reads \(8 MB\); it was not checked/);
    assert.ok(
      findings.some(f => f.file.endsWith('syscall-args-o32.c.inc') && f.code === 'arg-count-mismatch'),
      'the other tables are checked',
    );
    assert.ok(r.ms < 20_000, `the CLI took ${r.ms} ms`);

    // The same file opened in the editor.
    const c = await startReliabilityServer({ kernelPath: KERNEL });
    try {
      await c.waitStatus(s => s.state === 'ready');
      const bigUri = await open(c, big, 'systab-tbl', text);
      const d = await c.waitDiagnostics(bigUri, () => true, 20_000);
      assert.match(String(d.diagnostics[0]?.message), /more than systab reads/);
      const h = await c.request<Hover | null>(
        'textDocument/hover',
        { textDocument: { uri: bigUri }, position: { line: 3, character: 1 } },
        5000,
      );
      assert.equal(h, null, 'no hover in a file that was not read');
      const uri = await open(c, path.join(ws, TABLE_REL));
      await c.waitDiagnostics(uri, hasMismatch);
      await answers(c, uri);
      await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: bigUri } });
    } finally {
      await c.stop();
    }
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a kernel path that is a file', async () => {
  const file = path.join(KERNEL, 'Makefile');
  const table = path.join(QEMU, TABLE_REL);
  const r = cli(['check', '--kernel', file, table]);
  assert.equal(r.code, 2);
  assert.match(r.err, /kernel path .*Makefile is a file, not a Linux source tree/);
  assert.equal(r.out, '');

  const c = await startReliabilityServer({ kernelPath: file });
  try {
    await c.waitStatus(s => s.state === 'error');
    const status = c.status.find(s => s.state === 'error')!;
    assert.match(String(status.message), /is a file, not a Linux source tree.*bundled catalogue/);
    assert.ok(
      c.shown.some(m => /is a file, not a Linux source tree/.test(m.message)),
      'the user is told',
    );
    // The bundled catalogue stands in: the table is still checked.
    const uri = await open(c, table);
    const d = await c.waitDiagnostics(uri, hasMismatch);
    assert.ok(d.diagnostics.some(x => String(x.message).startsWith('sync_file_range (4012) needs 7')));
    await answers(c, uri);
  } finally {
    await c.stop();
  }
});

test('the .tbl beside an open table is deleted, then the table is edited', async () => {
  const ws = scratch(QEMU);
  const c = await startReliabilityServer({ kernelPath: KERNEL });
  try {
    await c.waitStatus(s => s.state === 'ready');
    const file = path.join(ws, TABLE_REL);
    const uri = await open(c, file);
    const before = await c.waitDiagnostics(uri, hasMismatch);
    assert.ok(
      !before.diagnostics.some(d => String(d.message).includes('futex_waitv')),
      "QEMU's copy has no futex_waitv",
    );
    assert.ok(
      before.diagnostics.some(d => d.relatedInformation?.some(r => r.location.uri.includes(ws.split(path.sep).pop()!))),
      'evidence in the copy beside it',
    );

    fs.unlinkSync(path.join(path.dirname(file), 'syscall_o32.tbl'));
    // The server re-reads files from disk at most once a second.
    await new Promise(r => setTimeout(r, 1100));
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 12, character: 13 }, end: { line: 12, character: 14 } }, text: '7' }],
    });
    const after = await c.waitDiagnostics(uri, p => p.version === 2);
    // Now the kernel's own table is what the rows are compared with.
    const futex = after.diagnostics.find(
      d => d.code === 'missing-entry' && String(d.message).startsWith('futex_waitv (4020)'),
    );
    assert.ok(futex, `the kernel's table stands in: ${after.diagnostics.map(d => d.message).join(' | ')}`);
    assert.ok(
      futex.relatedInformation?.some(r => URI.parse(r.location.uri).fsPath.startsWith(KERNEL)),
      'with evidence in the kernel tree',
    );
    assert.ok(!after.diagnostics.some(d => String(d.message).includes('sync_file_range')), 'the edit is seen');
    await answers(c, uri);
  } finally {
    await c.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
