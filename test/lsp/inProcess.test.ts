// The server is an object: built in-process over a pair of streams, two at once, each with
// its own state (documents, settings, catalogue), answering like the one over stdio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { inProcessServer } from './inProcess';
import { answerServerRequests } from './client';
import { KERNEL, QEMU } from '../helpers/paths';

function inProcess(settings: object) {
  const s = inProcessServer();
  s.client.onNotification('window/logMessage', () => undefined);
  answerServerRequests(s.client, settings);
  s.client.listen();
  return s;
}

test('two servers built in-process keep their own settings and documents', async () => {
  const file = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');
  const uri = URI.file(file).toString();
  const text = fs.readFileSync(file, 'utf8');
  const withKernel = inProcess({ kernelPath: KERNEL });
  const bundled = inProcess({});
  for (const [s, opts] of [
    [withKernel, { kernelPath: KERNEL }],
    [bundled, {}],
  ] as const) {
    await s.client.sendRequest('initialize', {
      // No processId: the server would watch its "parent" (this process) on a timer and keep it alive.
      processId: null,
      rootUri: null,
      capabilities: {},
      initializationOptions: opts,
    });
    s.client.sendNotification('initialized', {});
    s.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
  }
  // The fixture kernel knows sync_file_range's prototype: a count is checked there.
  const deadline = Date.now() + 20000;
  const has = (s: typeof withKernel, code: string) =>
    s.diagnostics.some(d => d.uri === uri && d.diagnostics.some(x => x.code === code));
  while (
    Date.now() < deadline &&
    !(has(withKernel, 'arg-count-mismatch') && bundled.diagnostics.some(d => d.uri === uri))
  )
    await new Promise(r => setTimeout(r, 50));
  assert.ok(has(withKernel, 'arg-count-mismatch'), 'the server with the fixture kernel reports counts');
  const hover = await withKernel.client.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 12, character: 6 },
  });
  assert.match(JSON.stringify(hover), /sync_file_range/);
  for (const s of [withKernel, bundled]) s.dispose();
});
