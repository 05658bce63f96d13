// Where the kernel index is cached when the client names no storage directory (editors
// other than VS Code): $XDG_CACHE_HOME/systab, else ~/.cache/systab; a second start loads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { cacheFile } from '../../server/src/io/kernelCacheFile';
import { defaultStoragePath } from '../../server/src/io/cacheDir';
import { KERNEL, QEMU } from '../helpers/paths';
import { startServer } from './client';

const TABLE = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');

async function waitFor(ok: () => boolean, what: string, ms = 20000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await new Promise(r => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error(`${what}: not in ${ms} ms`);
  }
}

/** Start a server with `env`, open the o32 table, wait for the configured kernel's findings; the log lines. */
async function checkOnce(env: Record<string, string>, init: object = {}, args: string[] = []): Promise<string[]> {
  const c = await startServer({ kernelPath: KERNEL, ...init }, ['--stdio', ...args], env);
  const logs: string[] = [];
  c.conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  try {
    const uri = URI.file(TABLE).toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(TABLE, 'utf8') },
    });
    // The fixture kernel calls itself Linux 6.1.0; the bundled catalogue is 6.12.
    await c.waitDiagnostics(uri, p => p.diagnostics.some(d => /Linux 6\.1\.0/.test(d.message as string)));
    await waitFor(() => logs.some(l => /checking against /.test(l)), 'checking against (the reference is loaded)');
    return logs;
  } finally {
    await c.stop();
  }
}

test('defaultStoragePath: $XDG_CACHE_HOME/systab, else ~/.cache/systab', () => {
  assert.equal(defaultStoragePath({ XDG_CACHE_HOME: '/x/cache' }, '/home/me'), '/x/cache/systab');
  assert.equal(defaultStoragePath({}, '/home/me'), '/home/me/.cache/systab');
  // Empty or relative: ignored, as the XDG base directory specification says.
  assert.equal(defaultStoragePath({ XDG_CACHE_HOME: '' }, '/home/me'), '/home/me/.cache/systab');
  assert.equal(defaultStoragePath({ XDG_CACHE_HOME: 'cache' }, '/home/me'), '/home/me/.cache/systab');
  assert.equal(defaultStoragePath({}, ''), undefined);
});

test('without storagePath the index is cached in $XDG_CACHE_HOME/systab and loaded on the next start', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'systab-xdg-'));
  try {
    const env = { HOME: path.join(tmp, 'home'), XDG_CACHE_HOME: path.join(tmp, 'cache') };
    const file = cacheFile(path.join(tmp, 'cache', 'systab'), KERNEL);
    const first = await checkOnce(env);
    assert.ok(!first.some(l => /loaded the cached index/.test(l)), first.join('\n'));
    await waitFor(() => fs.existsSync(file), `cache written at ${file}`);
    const second = await checkOnce(env);
    assert.ok(
      second.some(l => l.includes(`loaded the cached index of ${KERNEL}`)),
      `second start loads the cache:\n${second.join('\n')}`,
    );
    assert.ok(!fs.existsSync(path.join(tmp, 'home')), 'nothing written under HOME');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('without storagePath nor XDG_CACHE_HOME the index is cached in ~/.cache/systab', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'systab-home-'));
  try {
    const env = { HOME: tmp, XDG_CACHE_HOME: '' };
    const file = cacheFile(path.join(tmp, '.cache', 'systab'), KERNEL);
    await checkOnce(env);
    await waitFor(() => fs.existsSync(file), `cache written at ${file}`);
    const second = await checkOnce(env);
    assert.ok(
      second.some(l => /loaded the cached index/.test(l)),
      second.join('\n'),
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a storagePath from the client wins over the default', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'systab-storage-'));
  try {
    const storage = path.join(tmp, 'storage');
    // Named as the VS Code client names it: for the index, and for the code cache read before initialize.
    await checkOnce(
      { HOME: path.join(tmp, 'home'), XDG_CACHE_HOME: path.join(tmp, 'cache') },
      { storagePath: storage },
      [`--storage-path=${storage}`],
    );
    await waitFor(() => fs.existsSync(cacheFile(storage, KERNEL)), 'cache written in storagePath');
    await waitFor(() => fs.existsSync(path.join(storage, 'code-cache')), 'code cache written in storagePath');
    assert.deepEqual(fs.readdirSync(tmp), ['storage']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
