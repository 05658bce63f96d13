// systab runs no program, from the workspace or elsewhere: the server spawns no child
// process during a whole session (indexing, checks, fixes, regeneration, coverage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { FIXTURES, KERNEL, QEMU, tmpDir } from '../helpers/paths';
import { startServer } from './client';

test('no child process is spawned by the server', async () => {
  const dir = tmpDir('spawn');
  const log = path.join(dir, 'spawned.log');
  const loaded = path.join(dir, 'loaded');
  const preload = path.join(dir, 'watch.js');
  // Every way Node starts a process, wrapped to write down the attempt first.
  fs.writeFileSync(
    preload,
    `
const fs = require('fs'); const cp = require('child_process');
fs.writeFileSync(${JSON.stringify(loaded)}, 'yes');
for (const k of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const orig = cp[k];
  cp[k] = function (...args) { fs.appendFileSync(${JSON.stringify(log)}, k + ' ' + JSON.stringify(args[0]) + '\\n'); return orig.apply(this, args); };
}`,
  );
  const c = await startServer({ kernelPath: KERNEL }, ['--stdio'], { NODE_OPTIONS: `--require ${preload}` });
  try {
    const table = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');
    const uri = URI.file(table).toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(table, 'utf8') },
    });
    await c.waitDiagnostics(uri, p => p.diagnostics.some(d => d.code === 'arg-count-mismatch'));
    const sc = path.join(FIXTURES, 'qemu-dispatch/linux-user/syscall.c');
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: URI.file(sc).toString(), languageId: 'c', version: 1, text: fs.readFileSync(sc, 'utf8') },
    });
    await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 12, character: 20 } });
    await c.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
      context: { diagnostics: [] },
    });
    await c.conn.sendRequest('workspace/executeCommand', {
      command: 'systab.server.regenerateTable',
      arguments: [uri],
    });
    await c.conn.sendRequest('workspace/executeCommand', { command: 'systab.server.fixAll', arguments: [uri] });
    await c.conn.sendRequest('systab/coverage', { path: path.join(FIXTURES, 'qemu-dispatch') });
    assert.equal(fs.readFileSync(loaded, 'utf8'), 'yes', 'the watch was loaded into the server');
    assert.equal(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '', '', 'no process was started');
  } finally {
    await c.stop();
  }
});
