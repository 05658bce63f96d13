// The kernel index on worker threads: the same catalogue, byte for byte, as on one thread
// (fixtures and real trees), cancelled mid-index, and a reading thread that fails says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { serializeCatalogue } from '../../server/src/io/catalogueWrite';
import { IndexProgress, indexKernel, Manifest, readJob, readOne } from '../../server/src/io/kernelIndex';
import { isFresh, manifestList } from '../../server/src/io/kernelCacheFile';
import { loadFreshList, storeFreshList } from '../../server/src/io/freshness';
import { FIXTURES, KERNEL, realData, scratch, tmpDir } from '../helpers/paths';

/** Both ways, with their manifests; the parallel one must have run on threads. */
async function bothWays(tree: string) {
  const m1: Manifest = { dirs: {}, files: {} },
    m2: Manifest = { dirs: {}, files: {} };
  const stats: { threads?: number } = {};
  const serial = await indexKernel(tree, { workers: 0, manifest: m1 });
  const parallel = await indexKernel(tree, { workers: 2, manifest: m2, stats });
  assert.equal(stats.threads, 2, 'the index ran on reading threads (dist/kernelIndexWorker.js was found)');
  return { serial, parallel, m1, m2 };
}

for (const name of ['linux', 'linux-generic', 'linux-arm']) {
  test(`fixture ${name}: the parallel index equals the serial one, byte for byte`, async () => {
    const { serial, parallel, m1, m2 } = await bothWays(path.join(FIXTURES, name));
    assert.ok(Object.keys(serial.prototypes).length + Object.keys(serial.tables).length > 3);
    // JSON.stringify keeps insertion order: the prototypes' order and the keys' order agree too.
    assert.equal(JSON.stringify(parallel), JSON.stringify(serial));
    assert.equal(serializeCatalogue(parallel), serializeCatalogue(serial));
    assert.deepEqual(m2, m1, 'the same directories and files recorded for the cache');
  });
}

const real = realData();
for (const [label, tree] of [
  ['Linux 6.12', real?.linux612],
  ['Linux 6.1', real?.linux],
] as const) {
  test(
    `real ${label}: the parallel index equals the serial one, byte for byte`,
    { skip: tree ? false : `${label} not available: run scripts/fetch-real-data.sh` },
    async () => {
      const { serial, parallel, m1, m2 } = await bothWays(tree!);
      assert.ok(Object.keys(serial.prototypes).length > 1000);
      assert.equal(JSON.stringify(parallel), JSON.stringify(serial));
      assert.deepEqual(Object.keys(m2.files).sort(), Object.keys(m1.files).sort());
      assert.deepEqual(Object.keys(m2.dirs).sort(), Object.keys(m1.dirs).sort());
    },
  );
}

/** A tree of `n` C files in 40 directories, one of them defining a syscall, beside the fixture kernel. */
function bigTree(n: number): string {
  const tree = scratch(KERNEL);
  for (let i = 0; i < n; i++) {
    const dir = path.join(tree, 'drivers', `d${i % 40}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `f${i}.c`), i === 7 ? 'SYSCALL_DEFINE1(bigtree, int, x)\n{\n}\n' : 'int x;\n');
  }
  return tree;
}

test('a tree of 6,000 files: the same catalogue both ways, with progress up to 100%', async () => {
  const tree = bigTree(6000);
  const seen: IndexProgress[] = [];
  const parallel = await indexKernel(tree, { workers: 2, onProgress: p => seen.push(p) });
  const serial = await indexKernel(tree, { workers: 0 });
  assert.equal(JSON.stringify(parallel), JSON.stringify(serial));
  assert.equal(parallel.prototypes.sys_bigtree?.[0].file, 'drivers/d7/f7.c');
  assert.ok(seen.length >= 2, 'progress is reported while reading, not only at the end');
  assert.equal(seen.at(-1)!.percent, 100);
  assert.ok(seen.slice(0, -1).every(p => p.percent < 100));
});

test('cancelled mid-index: the promise rejects with the abort reason and no thread is left running', async () => {
  const tree = bigTree(6000);
  const ctrl = new AbortController();
  const reason = new Error('cancelled by the test');
  let reports = 0;
  await assert.rejects(
    indexKernel(tree, {
      workers: 2,
      signal: ctrl.signal,
      onProgress: () => {
        if (++reports === 1) ctrl.abort(reason);
      },
    }),
    (e: Error) => e === reason,
  );
  assert.equal(reports, 1, 'no progress after the abort');
  // Already aborted: rejects at once, serial or not.
  const done = new AbortController();
  done.abort(reason);
  await assert.rejects(indexKernel(tree, { signal: done.signal }), (e: Error) => e === reason);
  await assert.rejects(indexKernel(tree, { workers: 0, signal: done.signal }), (e: Error) => e === reason);
});

test('a reading thread that throws or exits: a clear message, no hang', async () => {
  const dir = tmpDir('worker');
  const throws = path.join(dir, 'throws.js');
  fs.writeFileSync(
    throws,
    "require('worker_threads').parentPort.on('message', () => { throw new Error('disk on fire'); });",
  );
  await assert.rejects(indexKernel(KERNEL, { workers: 2, workerScript: throws }), (e: Error) =>
    /a reading thread failed: disk on fire/.test(e.message),
  );
  const exits = path.join(dir, 'exits.js');
  fs.writeFileSync(exits, "require('worker_threads').parentPort.on('message', () => process.exit(3));");
  await assert.rejects(indexKernel(KERNEL, { workers: 2, workerScript: exits }), (e: Error) =>
    /a reading thread stopped \(exit code 3\) before the index was complete/.test(e.message),
  );
  const missing = path.join(dir, 'missing.js');
  await assert.rejects(indexKernel(KERNEL, { workers: 1, workerScript: missing }), (e: Error) =>
    /a reading thread failed: .*missing\.js/.test(e.message),
  );
});

test('a file that vanished, or a FIFO in its place, is skipped: no text, no throw, no hang', () => {
  const tree = tmpDir('vanish');
  const buf = Buffer.alloc(1024);
  assert.deepEqual(readJob(tree, { rel: 'gone.c', kind: 'c' }, buf, true), {});
  assert.equal(readOne(tree, { rel: 'gone.c', kind: 'c' }, buf, true), undefined);
  const fifo = path.join(tree, 'pipe.c');
  if (spawnSync('mkfifo', [fifo]).status === 0)
    assert.equal(readJob(tree, { rel: 'pipe.c', kind: 'c' }, buf, false).text, undefined);
  fs.writeFileSync(path.join(tree, 'big.c'), 'SYSCALL_DEFINE0(x)\n'.repeat(100));
  assert.equal(
    readJob(tree, { rel: 'big.c', kind: 'c' }, buf, false).text,
    undefined,
    'a file over the cap is not read',
  );
});

test('a cached index of 6,000 files is checked against the tree on several threads: fresh, then stale after one change', async () => {
  const tree = bigTree(6000);
  const manifest: Manifest = { dirs: {}, files: {} };
  await indexKernel(tree, { manifest });
  assert.ok(Object.keys(manifest.files).length > 6000);
  const read = manifestList(manifest);
  const stats: { threads?: number } = {};
  assert.equal(await isFresh(tree, read, { workers: 2, stats }), true);
  assert.equal(stats.threads, 2, 'checked on two threads besides this one');
  assert.equal(await isFresh(tree, read, { workers: 0 }), true);
  // The stored form gives the same answers.
  assert.equal(await isFresh(tree, loadFreshList(storeFreshList(read))!, { workers: 1 }), true);
  // A file late in the list (most likely a checking thread's chunk), then the first one.
  for (const at of [read.rels.length - 1, read.rels.findIndex((_, i) => read.sizes[i] >= 0)]) {
    const rel = read.rels[at];
    const later = new Date(Date.now() + 5000 + at);
    fs.utimesSync(path.join(tree, rel), later, later);
    assert.equal(await isFresh(tree, read, { workers: 2 }), false, `${rel} changed`);
    assert.equal(await isFresh(tree, read, { workers: 0 }), false, `${rel} changed (one thread)`);
  }
  const m2: Manifest = { dirs: {}, files: {} };
  await indexKernel(tree, { manifest: m2 });
  const gone = Object.keys(m2.files)[0];
  fs.rmSync(path.join(tree, gone));
  assert.equal(await isFresh(tree, manifestList(m2), { workers: 2 }), false, `${gone} vanished`);
  // A file added to a directory the index walked: the directory's mtime moved.
  const m3: Manifest = { dirs: {}, files: {} };
  await indexKernel(tree, { manifest: m3 });
  fs.writeFileSync(path.join(tree, path.dirname(gone), 'added.c'), 'int x;\n');
  assert.equal(await isFresh(tree, manifestList(m3), { workers: 0 }), false, 'a file was added');
});
