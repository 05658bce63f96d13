// Indexing a whole Linux tree never blocks the server: requests are answered meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { Hover } from 'vscode-languageserver-protocol';
import { realData } from '../helpers/paths';
import { startServer } from '../lsp/client';

const real = realData();
const skip = real?.linux612 ? false : 'Linux 6.12 from Debian not available: run scripts/fetch-real-data.sh';

test('hover and code actions answer while a kernel tree is being indexed', { skip }, async () => {
  const c = await startServer({ kernelPath: real!.linux612 });
  try {
    const table = path.join(real!.qemu, 'linux-user/mips/syscall-args-o32.c.inc');
    const uri = URI.file(table).toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(table, 'utf8') },
    });
    const events: string[] = [];
    const ready = new Promise<void>(resolve => {
      const timer = setInterval(() => {
        if (c.status.some(s => (s as { state: string }).state === 'ready')) {
          events.push('ready');
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    // Ask at once: the index of ~35,000 files takes far longer than an answer should.
    const hover = c.conn
      .sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 6 } })
      .then(h => {
        events.push('hover');
        return h as Hover | null;
      });
    const actions = c.conn
      .sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      })
      .then(() => events.push('codeAction'));
    const h = await hover;
    await actions;
    await ready;
    assert.deepEqual(
      events.slice(0, 2).sort(),
      ['codeAction', 'hover'],
      `answers came before indexing ended: ${events.join(', ')}`,
    );
    assert.ok(
      c.status.some(s => (s as { state: string }).state === 'indexing'),
      'progress was reported',
    );
    assert.match((h?.contents as { value: string }).value, /\*\*read\*\*/, 'hover answers from what is known');
  } finally {
    await c.stop();
  }
});
