// The kernel index cache: a second start loads it; a changed tree is re-indexed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Catalogue, findPrototype } from '../../server/src/reference/linux/catalogue';
import { cachedIndex } from '../../server/src/io/kernelCache';
import { cacheFile } from '../../server/src/io/kernelCacheFile';
import { KERNEL, scratch, tmpDir } from '../helpers/paths';

test('first start indexes and caches; the second loads the cache', async () => {
  const tree = scratch(KERNEL);
  const storage = tmpDir('storage');
  const first = await cachedIndex(tree, storage);
  assert.equal(first.fromCache, false);
  assert.ok(fs.existsSync(cacheFile(storage, tree)));
  const second = await cachedIndex(tree, storage);
  assert.equal(second.fromCache, true);
  assert.equal(JSON.stringify(second.catalogue.prototypes), JSON.stringify(first.catalogue.prototypes));
  assert.equal(second.catalogue.kernel.root, path.resolve(tree));
});

test('a changed tree is re-indexed in the background', async () => {
  const tree = scratch(KERNEL);
  const storage = tmpDir('storage');
  await cachedIndex(tree, storage);
  fs.writeFileSync(path.join(tree, 'fs', 'open.c'), 'SYSCALL_DEFINE1(close, unsigned int, fd)\n{\n}\n');
  const fresh = await new Promise<Catalogue>((resolve, reject) => {
    cachedIndex(tree, storage, { onStale: resolve }).then(r => assert.equal(r.fromCache, true), reject);
    setTimeout(() => reject(new Error('no re-index')), 10000);
  });
  assert.equal(findPrototype(fresh, 'sys_close', 'mips')?.file, 'fs/open.c');
  assert.equal((await cachedIndex(tree, storage)).fromCache, true, 'the re-index was cached');
});

test('without a storage directory nothing is written', async () => {
  const tree = scratch(KERNEL);
  const before = fs.readdirSync(tree).sort();
  const r = await cachedIndex(tree, undefined);
  assert.equal(r.fromCache, false);
  assert.deepEqual(fs.readdirSync(tree).sort(), before);
});
