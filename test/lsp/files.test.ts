// Files that misbehave: a symlink loop and a FIFO in the kernel tree, a .tbl deleted while
// its table is open, a 50 MB document, a kernel path that is a file. Each gets a clear
// message or finding, and the server carries on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { Hover } from 'vscode-languageserver-protocol';
import { indexKernel } from '../../server/src/io/kernelIndex';
import { KERNEL, QEMU, scratch } from '../helpers/paths';
import { startServer } from './client';

test('a symlink loop and a FIFO in the kernel tree: the index completes', async () => {
  const tree = scratch(KERNEL);
  fs.symlinkSync('..', path.join(tree, 'fs', 'loop'));
  fs.symlinkSync(tree, path.join(tree, 'arch', 'mips', 'kernel', 'up'));
  execFileSync('mkfifo', [path.join(tree, 'fs', 'pipe.c')]);
  const cat = await indexKernel(tree);
  assert.ok(cat.prototypes.sys_pread64, 'the real files were read');
});

test('a .tbl deleted while its table is open, a 50 MB document, a kernel path that is a file', async () => {
  const dir = scratch(QEMU);
  const mips = path.join(dir, 'linux-user/mips');
  const c = await startServer({ kernelPath: path.join(KERNEL, 'Makefile') });
  try {
    const table = path.join(mips, 'syscall-args-o32.c.inc');
    const uri = URI.file(table).toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(table, 'utf8') },
    });
    await c.waitDiagnostics(uri, p => p.diagnostics.some(d => d.code === 'missing-entry'));
    // The kernel path is a file: said in the status, the bundled catalogue stands in.
    const deadline = Date.now() + 5000;
    while (
      !c.status.some(s => /is a file, not a Linux source tree/.test((s as { message?: string }).message ?? '')) &&
      Date.now() < deadline
    )
      await new Promise(r => setTimeout(r, 20));
    assert.ok(c.status.some(s => /is a file, not a Linux source tree/.test((s as { message?: string }).message ?? '')));
    // The .tbl goes away; the next check compares with the catalogue's o32 table instead.
    fs.rmSync(path.join(mips, 'syscall_o32.tbl'));
    await new Promise(r => setTimeout(r, 1100)); // past the reader's one-second look-again
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 3, character: 13 }, end: { line: 3, character: 14 } }, text: '3' }],
    });
    const after = await c.waitDiagnostics(uri, p => p.version === 2);
    assert.ok(after.diagnostics.length > 0);
    const hover = (await c.conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 3, character: 6 },
    })) as Hover | null;
    assert.ok(hover, 'the server still answers');
    // A 50 MB .tbl opened in the editor: one finding, not a parse of 50 MB.
    const big = URI.file(path.join(dir, 'syscall_big.tbl')).toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: big,
        languageId: 'systab-tbl',
        version: 1,
        text: '0\tcommon\tread\tsys_read\n'.repeat(2_300_000),
      },
    });
    const d = await c.waitDiagnostics(big, () => true);
    assert.match(d.diagnostics[0].message as string, /this file is \d+\.\d MB, more than systab reads/);
  } finally {
    await c.stop();
  }
});
