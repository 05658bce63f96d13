// The server is an object: built in-process over a pair of streams, two at once, each with
// its own state (documents, settings, catalogue), answering like the one over stdio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { inProcessServer } from './inProcess';
import { answerServerRequests } from './client';
import { FREEBSD_FIXTURE, KERNEL, QEMU, QEMU_BSD } from '../helpers/paths';
import { coverageHtml } from '../../client/src/coverageHtml';
import type { Coverage } from '../../protocol/protocol';

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

test('systab/coverage from a bsd-user file: bsd-user rows with where each missing syscall goes, as the view renders them', async () => {
  const s = inProcess({ kernelPath: KERNEL, freebsdPath: FREEBSD_FIXTURE });
  try {
    await s.client.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: {},
      initializationOptions: { kernelPath: KERNEL, freebsdPath: FREEBSD_FIXTURE },
    });
    s.client.sendNotification('initialized', {});
    const dir = path.join(QEMU_BSD, 'bsd-user', 'freebsd');
    // The FreeBSD reference loads off the request that asked for it: ask until it is there.
    let c: Coverage | { error: string } | undefined;
    for (const deadline = Date.now() + 20000; Date.now() < deadline; await new Promise(r => setTimeout(r, 50))) {
      c = await s.client.sendRequest<Coverage | { error: string }>('systab/coverage', {
        path: path.join(dir, 'strace.list'),
      });
      if ('error' in c || c.bsd?.[0]?.freebsd !== undefined) break;
    }
    assert.ok(c && !('error' in c), JSON.stringify(c));
    assert.equal(c.root, QEMU_BSD);
    assert.deepEqual(
      c.bsd!.map(t => [t.target, t.freebsd, t.qemu, t.dispatched, t.traced]),
      [
        ['arm', 10, 8, 5, 7],
        ['i386', 10, 8, 5, 7],
        ['x86_64', 10, 8, 5, 7],
      ],
    );
    const html = coverageHtml(c, 'n0nce');
    assert.match(html, /<table id="bsd-user">/);
    assert.doesNotMatch(html, /<table id="linux-user">/, 'the fixture has no linux-user target');
    for (const t of ['arm', 'i386', 'x86_64']) assert.match(html, new RegExp(`<td><b>${t}</b>`));
    // Every missing syscall links to the line where it would go.
    const linked = [...html.matchAll(/data-file="([^"]+)" data-line="(\d+)">(\w+)</g)].map(m => [
      path.basename(m[1]),
      Number(m[2]),
      m[3],
    ]);
    const first = (f: string) => linked.filter(l => l[0] === f).slice(0, 3);
    assert.deepEqual(first('syscall_nr.h'), [
      ['syscall_nr.h', 18, 'swapoff'],
      ['syscall_nr.h', 18, 'fchroot'],
      ['syscall_nr.h', 18, 'swapoff'],
    ]);
    assert.ok(first('os-syscall.c').length && first('strace.list').length, 'dispatch and strace lists link too');
    assert.match(html, /title="8 of 10 \(80%\)"/, "QEMU's header bar is drawn against FreeBSD's live syscalls");
  } finally {
    s.dispose();
  }
});
