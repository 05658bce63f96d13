// Settings from any editor: initializationOptions, then configuration answers that are not
// null, then pushed changes; the server says which kernel it checks against, and publishes
// nothing until that kernel is loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { mergeSettings } from '../../server/src/lsp/settings';
import { KERNEL, QEMU, tmpDir } from '../helpers/paths';
import { inProcessServer } from './inProcess';

test('merge order: initializationOptions, then non-null answers, key by key; nested systab accepted', () => {
  assert.equal(mergeSettings({ kernelPath: '/k' }, null).kernelPath, '/k');
  assert.equal(mergeSettings({ kernelPath: '/k' }, { kernelPath: '/c' }).kernelPath, '/c');
  assert.equal(mergeSettings({ kernelPath: '/k', logLevel: 'debug' }, { severity: {} }).kernelPath, '/k');
  assert.equal(mergeSettings({ kernelPath: '/k' }, { severity: {} }, { logLevel: 'debug' }).logLevel, 'debug');
  assert.equal(mergeSettings({ systab: { kernelPath: '/n' } }).kernelPath, '/n', 'Helix-style nesting');
  assert.equal(mergeSettings({ kernelPath: '/k', storagePath: '/s' }, { kernelPath: '' }).storagePath, '/s');
});

test('a client that answers workspace/configuration with null keeps kernelPath from initializationOptions', async () => {
  const { client, diagnostics, logs, status, until, dispose } = inProcessServer();
  // Neovim 0.8+ and Helix without `settings`: a null answer.
  client.onRequest('workspace/configuration', () => [null]);
  client.onRequest('client/registerCapability', () => null);
  client.onRequest('window/workDoneProgress/create', () => null);
  client.onNotification('$/progress', () => undefined);
  client.listen();
  const storagePath = tmpDir('settings');
  await client.sendRequest('initialize', {
    processId: null,
    rootUri: null,
    initializationOptions: { kernelPath: KERNEL, storagePath },
    capabilities: { workspace: { configuration: true } },
  });
  client.sendNotification('initialized', {});
  const file = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');
  const uri = URI.file(file).toString();
  client.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(file, 'utf8') },
  });
  await until(() => diagnostics.some(d => d.uri === uri));
  const first = diagnostics.find(d => d.uri === uri)!;
  assert.ok(
    first.diagnostics.some(d => d.code === 'arg-count-mismatch'),
    'the first diagnostics already come from the configured kernel',
  );
  assert.ok(
    logs.some(l => l.includes(`checking against`) && l.includes(`at ${KERNEL}`)),
    logs.join('\n'),
  );
  await until(() => status.some(s => s.reference?.includes(KERNEL)));
  assert.ok(
    status.some(s => s.reference?.includes(KERNEL)),
    JSON.stringify(status),
  );
  // A pushed change with the client still answering null: the push counts.
  client.sendNotification('workspace/didChangeConfiguration', { settings: { systab: { kernelPath: '' } } });
  await until(() => logs.some(l => /no kernel tree and no bundled catalogue|checking against bundled/.test(l)));
  assert.ok(
    logs.some(l => /no kernel tree and no bundled catalogue|checking against bundled/.test(l)),
    logs.join('\n'),
  );
  dispose();
});
