// The real server over stdio: initialize, didOpen, publishDiagnostics, hover, codeAction,
// executeCommand, definition, incremental edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import {
  CodeAction,
  Hover,
  Location,
  PublishDiagnosticsParams,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { KERNEL, QEMU, scratch } from '../helpers/paths';
import { startServer } from './client';

const TABLE = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');
async function waitFor(ok: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await new Promise(r => setTimeout(r, 10))) {
    if (Date.now() > end) throw new Error('condition not met in time');
  }
}
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map(d => d.code).sort();
const hasMismatch = (p: PublishDiagnosticsParams) => p.diagnostics.some(d => d.code === 'arg-count-mismatch');

async function openTable(kernelPath = KERNEL) {
  const c = await startServer({ kernelPath });
  const uri = URI.file(TABLE).toString();
  await c.conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(TABLE, 'utf8') },
  });
  return { c, uri };
}

test('diagnostics, hover, definition, code actions and commands over stdio', async () => {
  const { c, uri } = await openTable();
  try {
    const diags = await c.waitDiagnostics(uri, hasMismatch);
    assert.deepEqual(codes(diags), [
      'arg-count-mismatch',
      'arg-count-mismatch',
      'missing-entry',
      'missing-entry',
      'missing-entry',
      'name-mismatch',
      'unknown-signature',
      'unused-slot-zero',
    ]);
    const sfr = diags.diagnostics.find(d => (d.message as string).includes('sync_file_range'))!;
    assert.deepEqual(sfr.range, { start: { line: 12, character: 13 }, end: { line: 12, character: 14 } });
    assert.equal(sfr.severity, 1);
    assert.equal(sfr.source, 'systab');
    assert.ok(sfr.relatedInformation!.some(r => r.location.uri.endsWith('include/linux/syscalls.h')));
    // The status bar's count follows the checks: 3 missing rows and sync_file_range.
    await waitFor(() =>
      c.status.some(
        s => (s as { state: string; errors?: number }).state === 'ready' && (s as { errors?: number }).errors === 4,
      ),
    );

    const hover = (await c.conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 12, character: 20 },
    })) as Hover;
    const md = (hover.contents as { value: string }).value;
    assert.match(md, /\*\*sync_file_range\*\* — o32 syscall 12 \(`4012` in v0\)/);
    assert.match(md, /sys_sync_file_range\(int fd, loff_t offset, loff_t nbytes, unsigned int flags\)/);
    assert.match(md, /\| 2 \| a1 \| \*padding \(64-bit alignment\)\* \|/);
    assert.match(md, /\| 5 \| sp\+16 \|/);
    assert.match(md, /QEMU must fetch 7 words\*\* \(3 from the stack/);

    const defs = (await c.conn.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position: { line: 10, character: 8 },
    })) as Location[];
    const targets = defs.map(
      d => `${URI.parse(d.uri).fsPath.replace(path.dirname(path.dirname(QEMU)) + '/', '')}:${d.range.start.line + 1}`,
    );
    assert.ok(targets.includes('fixtures/qemu/linux-user/mips/syscall_o32.tbl:16'), targets.join());
    assert.ok(targets.includes('fixtures/linux/include/linux/syscalls.h:18'), targets.join());
    assert.ok(targets.includes('fixtures/linux/arch/mips/kernel/linux32.c:29'), targets.join());

    const actions = (await c.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: sfr.range,
      context: { diagnostics: [sfr] },
    })) as CodeAction[];
    const quick = actions.find(a => a.title === "Set sync_file_range's count to 7")!;
    assert.equal(quick.kind, 'quickfix');
    assert.deepEqual(quick.edit!.changes![uri], [{ range: sfr.range, newText: '7' }]);
    assert.ok(actions.some(a => a.kind === 'source.fixAll.systab'));
    assert.ok(actions.some(a => a.kind === 'source.regenerate.systab'));

    const fixAll = (await c.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.equal(fixAll.length, 1);
    const edits = fixAll[0].edit!.changes![uri] as TextEdit[];
    assert.ok(edits.some(e => e.newText.includes('[  17] = 3, /* landlock_create_ruleset */')));

    const lenses = (await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as {
      command: { title: string; command: string };
    }[];
    assert.deepEqual(
      lenses.map(l => l.command.title),
      ['16 rows · 3 missing · 2 mismatched', 'Regenerate'],
    );
    assert.equal(lenses[1].command.command, 'systab.regenerateTable');

    const r = (await c.conn.sendRequest('workspace/executeCommand', {
      command: 'systab.server.regenerateTable',
      arguments: [uri],
    })) as { applied: boolean };
    assert.equal(r.applied, true);
    const applied = c.applied[0] as { edit: WorkspaceEdit };
    const regen = applied.edit.changes![uri][0].newText;
    assert.equal(regen.split('\n').length, 20);
    assert.match(regen, /\[ {3}5\] = MIPS_SYSCALL_NUMBER_UNUSED, \/\* break \*\//);
  } finally {
    await c.stop();
  }
});

test('incremental edits: diagnostics follow the last version only', async () => {
  const { c, uri } = await openTable();
  try {
    await c.waitDiagnostics(uri, hasMismatch);
    // Fix sync_file_range's count by an edit, then 100 edits in a burst on another row.
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 12, character: 13 }, end: { line: 12, character: 14 } }, text: '7' }],
    });
    for (let v = 3; v < 103; v++) {
      await c.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [
          { range: { start: { line: 3, character: 13 }, end: { line: 3, character: 14 } }, text: v % 2 ? '9' : '3' },
        ],
      });
    }
    const last = await c.waitDiagnostics(uri, p => p.version === 102);
    assert.equal(last.diagnostics.filter(d => (d.message as string).includes('sync_file_range')).length, 0);
    assert.equal(
      last.diagnostics.filter(d => (d.message as string).includes('read (4003)')).length,
      0,
      'version 102 has read = 3',
    );
    const versions = c.diagnostics.get(uri)!.map(p => p.version!);
    assert.ok(versions.length < 20, `bursts are coalesced (${versions.length} publications)`);
    assert.deepEqual(
      [...versions].sort((a, b) => a - b),
      versions,
      'never an older version after a newer one',
    );
    // An edit that adds a row: the tree follows incremental edits.
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 103 },
      contentChanges: [
        {
          range: { start: { line: 16, character: 0 }, end: { line: 16, character: 0 } },
          text: '    [  16] = MIPS_SYSCALL_NUMBER_UNUSED,\n    [  17] = 3, /* landlock_create_ruleset */\n',
        },
      ],
    });
    const added = await c.waitDiagnostics(uri, p => p.version === 103);
    assert.equal(added.diagnostics.filter(d => d.code === 'missing-entry').length, 2);
  } finally {
    await c.stop();
  }
});

test('a kernel path that does not exist: a clear message, and the server carries on', async () => {
  const dir = scratch(QEMU);
  const table = path.join(dir, 'linux-user/mips/syscall-args-o32.c.inc');
  const c = await startServer({ kernelPath: '/nonexistent/linux' });
  try {
    const uri = URI.file(table).toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(table, 'utf8') },
    });
    await c.waitDiagnostics(uri, p => p.diagnostics.some(x => x.code === 'missing-entry'));
    await new Promise(r => setTimeout(r, 300));
    // The bundled catalogue stands in for the missing tree.
    const later = await c.waitDiagnostics(uri, p => p.diagnostics.some(x => x.code === 'arg-count-mismatch'));
    assert.ok(later.diagnostics.some(x => (x.message as string).startsWith('sync_file_range (4012) needs 7')));
    assert.ok(c.status.some(s => /does not exist/.test((s as { message?: string }).message ?? '')));
    const hover = (await c.conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 6 },
    })) as Hover;
    assert.match((hover.contents as { value: string }).value, /\*\*exit\*\*/);
  } finally {
    await c.stop();
  }
});

test('the server answers on a binary document and an unknown file', async () => {
  const c = await startServer({});
  try {
    const uri = URI.file(path.join(QEMU, 'linux-user/mips/syscall_o32.tbl')).toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'systab-tbl', version: 1, text: '\u0000\u0001ELF' },
    });
    const d = await c.waitDiagnostics(uri, () => true);
    assert.match(d.diagnostics[0].message as string, /binary/);
    const other = URI.file('/tmp/notes.txt').toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: other, languageId: 'plaintext', version: 1, text: 'hello' },
    });
    assert.equal(
      await c.conn.sendRequest('textDocument/hover', {
        textDocument: { uri: other },
        position: { line: 0, character: 1 },
      }),
      null,
    );
  } finally {
    await c.stop();
  }
});

test('hover on a syscall name in any C file: one card for every ABI of the catalogue', async () => {
  const c = await startServer({ kernelPath: KERNEL });
  try {
    const file = path.join(path.dirname(QEMU), 'qemu-dispatch/linux-user/syscall.c');
    const uri = URI.file(file).toString();
    const text = fs.readFileSync(file, 'utf8');
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    await c.waitDiagnostics(uri, () => true);
    const line = text.split('\n').findIndex(l => l.includes('case TARGET_NR_pread64:'));
    let md = '';
    for (let i = 0; i < 50 && !md.includes('| o32 |'); i++) {
      const h = (await c.conn.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line, character: 16 },
      })) as Hover | null;
      md = (h?.contents as { value: string } | undefined)?.value ?? '';
      if (!md.includes('| o32 |')) await new Promise(r => setTimeout(r, 100)); // the catalogue is still loading
    }
    assert.match(md, /^\*\*pread64\*\*/);
    assert.match(
      md,
      /`sys_pread64\(unsigned int fd, char __user \*buf, size_t count, loff_t pos\)` \(fs\/read_write\.c:15\)/,
    );
    assert.match(md, /\| o32 \| 4006 \| 6 \| `sys_pread64` \/ `sys_32_pread` \|/);
  } finally {
    await c.stop();
  }
});
