// The server's loader (io/codeCache.ts): a bundle run from its V8 code cache behaves as
// the bundle compiled afresh, and a cache is only ever read for the build it was made from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { codeCacheFile, runWithCodeCache } from '../../server/src/io/codeCache';
import { tmpDir } from '../helpers/paths';

// A bundle that reports through its module what the loader handed it.
const BUNDLE = `#!/usr/bin/env node
const fib = n => (n < 2 ? n : fib(n - 1) + fib(n - 2));
module.exports = { fib: fib(20), file: __filename, dir: __dirname, req: typeof require('path').join, self: this === exports };
globalThis.__codeCacheTest = module.exports;
`;

function run(file: string, cache: string | undefined) {
  const r = runWithCodeCache(file, cache);
  return { ...r, out: (globalThis as { __codeCacheTest?: object }).__codeCacheTest };
}

test('a bundle run from its code cache gives what the fresh compile gave', () => {
  const dir = tmpDir('code-cache');
  const file = path.join(dir, 'bundle.js');
  const cache = path.join(dir, 'cache');
  fs.writeFileSync(file, BUNDLE);
  const fresh = run(file, cache);
  assert.equal(fresh.fromCache, false);
  assert.deepEqual(fresh.out, { fib: 6765, file, dir, req: 'function', self: true });
  fresh.save();
  const written = codeCacheFile(cache, file, fs.statSync(file));
  assert.deepEqual(fs.readdirSync(cache), [path.basename(written)]);
  const cached = run(file, cache);
  assert.equal(cached.fromCache, true, 'the second start compiles from the cache');
  assert.deepEqual(cached.out, fresh.out);
  const before = fs.statSync(written).mtimeMs;
  cached.save(); // accepted: nothing to write
  assert.equal(fs.statSync(written).mtimeMs, before);
});

test('a rebuilt bundle is not read from the old build cache, which is removed when the new one is saved', () => {
  const dir = tmpDir('code-cache');
  const file = path.join(dir, 'bundle.js');
  const cache = path.join(dir, 'cache');
  fs.writeFileSync(file, BUNDLE);
  run(file, cache).save();
  const old = codeCacheFile(cache, file, fs.statSync(file));
  // Same length, other text (V8 alone would take the old cache for it): another modification time.
  fs.writeFileSync(file, BUNDLE.replace('fib(20)', 'fib(19)'));
  fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
  const rebuilt = run(file, cache);
  assert.equal(rebuilt.fromCache, false);
  assert.equal((rebuilt.out as { fib: number }).fib, 4181);
  rebuilt.save();
  assert.deepEqual(fs.readdirSync(cache), [path.basename(codeCacheFile(cache, file, fs.statSync(file)))]);
  assert.ok(!fs.existsSync(old));
});

test('no cache directory, or one that cannot be written: the bundle still runs', () => {
  const dir = tmpDir('code-cache');
  const file = path.join(dir, 'bundle.js');
  fs.writeFileSync(file, BUNDLE);
  const none = run(file, undefined);
  assert.equal((none.out as { fib: number }).fib, 6765);
  none.save();
  const blocked = path.join(dir, 'not-a-dir');
  fs.writeFileSync(blocked, '');
  const r = run(file, path.join(blocked, 'cache'));
  assert.equal(r.fromCache, false);
  assert.doesNotThrow(() => r.save());
});

test('two installs of the same bundle keep their own caches', () => {
  const dir = tmpDir('code-cache');
  const cache = path.join(dir, 'cache');
  const [a, b] = ['a', 'b'].map(d => path.join(dir, d, 'bundle.js'));
  for (const f of [a, b]) {
    fs.mkdirSync(path.dirname(f));
    fs.writeFileSync(f, BUNDLE);
    run(f, cache).save();
  }
  assert.equal(fs.readdirSync(cache).length, 2);
  assert.equal(run(a, cache).fromCache, true);
  assert.equal(run(b, cache).fromCache, true);
});
