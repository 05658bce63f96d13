// dist/server.js runs the server bundle from a V8 code cache: the first start writes it once
// its first diagnostics are out, a second start reads it and publishes the same diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { QEMU, tmpDir } from '../helpers/paths';
import { startServer } from './client';

const TABLE = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');

async function firstDiagnostics(args: string[], env: Record<string, string>) {
  const c = await startServer({}, ['--stdio', ...args], env);
  try {
    const uri = URI.file(TABLE).toString();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(TABLE, 'utf8') },
    });
    return (await c.waitDiagnostics(uri, () => true)).diagnostics;
  } finally {
    await c.stop();
  }
}

async function waitFor<T>(get: () => T | undefined, what: string, ms = 20000): Promise<T> {
  for (const end = Date.now() + ms; ; await new Promise(r => setTimeout(r, 20))) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not in ${ms} ms`);
  }
}

for (const where of ['XDG_CACHE_HOME', '--storage-path'] as const)
  test(`the code cache (${where}) is written after the first diagnostics and read on the next start, to the same diagnostics`, async () => {
    const dir = tmpDir('code-cache');
    const storage = where === 'XDG_CACHE_HOME' ? path.join(dir, 'xdg', 'systab') : path.join(dir, 'storage');
    const args = where === '--storage-path' ? [`--storage-path=${storage}`] : [];
    const env = { HOME: path.join(dir, 'home'), XDG_CACHE_HOME: path.join(dir, 'xdg') };
    const cacheDir = path.join(storage, 'code-cache');
    const fresh = await firstDiagnostics(args, env);
    assert.ok(fresh.length > 0, 'the fixture table has findings');
    const [file] = await waitFor(
      () =>
        fs.existsSync(cacheDir) && fs.readdirSync(cacheDir).some(f => f.endsWith('.bin'))
          ? fs.readdirSync(cacheDir)
          : undefined,
      'the code cache written',
    );
    assert.match(file, /^serverMain-[0-9a-z]+-\d+-\d+-v\d+\.\d+\.\d+-/);
    const written = fs.statSync(path.join(cacheDir, file)).mtimeMs;
    const cached = await firstDiagnostics(args, env);
    assert.deepEqual(cached, fresh);
    // Accepted by V8, so not written again.
    assert.deepEqual(fs.readdirSync(cacheDir), [file]);
    assert.equal(fs.statSync(path.join(cacheDir, file)).mtimeMs, written);
    assert.ok(!fs.existsSync(path.join(dir, 'home')), 'nothing written under HOME');
    if (where === '--storage-path') assert.ok(!fs.existsSync(path.join(dir, 'xdg')), 'nothing in the default cache');
  });
