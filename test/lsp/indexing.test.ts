// While the kernel index runs (on its reading threads), the server keeps answering: a
// request sent during indexing is answered before the index is done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { KERNEL, realData, scratch, tmpDir } from '../helpers/paths';
import { startServer } from './client';

/** Linux 6.12 when fetched (about half a second to index), else a fixture tree grown to 20,000 files. */
function bigKernel(): string {
  const real = realData()?.linux612;
  if (real) return real;
  const tree = scratch(KERNEL);
  for (let d = 0; d < 100; d++) {
    const dir = path.join(tree, 'drivers', `d${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(dir, `f${i}.c`), `int x${i};\n`);
  }
  return tree;
}

test('requests are answered while the kernel tree is indexed', async () => {
  const kernel = bigKernel();
  const c = await startServer({ kernelPath: kernel, storagePath: tmpDir('storage') });
  const logs: string[] = [];
  c.conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  try {
    const file = path.join(tmpDir('doc'), 'notes.c');
    const uri = URI.file(file).toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: 'int main(void) { return 0; }\n' },
    });
    for (const end = Date.now() + 20000; !c.status.some(s => (s as { state: string }).state === 'indexing');) {
      assert.ok(Date.now() < end, 'the server reported no indexing');
      await new Promise(r => setTimeout(r, 5));
    }
    const answered: number[] = [];
    for (let i = 0; i < 5; i++) {
      await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 5 } });
      answered.push(logs.filter(l => /checking against /.test(l)).length);
    }
    assert.equal(answered[0], 0, 'the first hover was answered before the index was done');
    for (const end = Date.now() + 60000; !logs.some(l => /checking against /.test(l));) {
      assert.ok(Date.now() < end, 'indexing did not finish');
      await new Promise(r => setTimeout(r, 20));
    }
  } finally {
    await c.stop();
  }
});
