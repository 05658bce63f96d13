// A syscall_nr.h opened in the editor from outside any checkout (no workspace, no tree around
// it) is checked from its path against the bundled catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../helpers/paths';
import { startServer } from './client';

const LONE = path.join(FIXTURES, 'syscallnr-lone', 'some', 'dir', 'linux-user', 'x86_64', 'syscall_nr.h');

test('a lone x86_64 syscall_nr.h opened with no workspace: its wrong numbers are diagnostics', async () => {
  const c = await startServer({});
  try {
    const uri = URI.file(LONE).toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(LONE, 'utf8') },
    });
    const has = (p: PublishDiagnosticsParams) => p.diagnostics.some(d => d.code === 'nr-mismatch');
    const diags = await c.waitDiagnostics(uri, has);
    const nr = diags.diagnostics.filter(d => d.code === 'nr-mismatch');
    assert.deepEqual(
      nr.map(d => d.range.start.line + 1),
      [9, 10],
    );
    assert.match(nr[0].message as string, /TARGET_NR_fstat is 4, but fstat is 5 in .*syscall_64\.tbl/);
  } finally {
    await c.stop();
  }
});
