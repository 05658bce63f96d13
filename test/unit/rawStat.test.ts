// rawStat, the freshness checks' stat: the same mtime, size and kind as fs.statSync for a
// file, a directory, a missing path and the paths fs.statSync refuses; and a checking
// thread started ahead of a check is the one the check uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { callsBindingAsWeDo, rawStat, rawStatKind, statOut } from '../../server/src/io/rawStat';
import { isFresh, startSpare, statEntry } from '../../server/src/io/freshness';
import { indexWorkerScript } from '../../server/src/io/bundled';
import { tmpDir } from '../helpers/paths';

test("under Node 20 rawStat reads through node's binding, not fs.Stats", () => {
  assert.equal(rawStatKind(), 'binding');
});

test('the binding is used only where fs.statSync calls it the same way (Node 20), not as Node 18 did', () => {
  assert.equal(callsBindingAsWeDo(String(fs.statSync)), true, 'this runtime');
  // Node 18.x's fs.statSync: an error context object as the fourth argument.
  const node18 = `function statSync(path, options = { bigint: false, throwIfNoEntry: true }) {
  path = getValidatedPath(path);
  const ctx = { path };
  const stats = binding.stat(pathModule.toNamespacedPath(path),
                             options.bigint, undefined, ctx);
  if (options.throwIfNoEntry === false && hasNoEntryError(ctx)) {
    return undefined;
  }
  handleErrorFromBinding(ctx);
  return getStatsFromBinding(stats);
}`;
  assert.equal(callsBindingAsWeDo(node18), false);
});

test('rawStat agrees with fs.statSync: a file, a directory, a missing path', () => {
  const dir = tmpDir('rawstat');
  const file = path.join(dir, 'a.c');
  fs.writeFileSync(file, 'SYSCALL_DEFINE0(x)\n');
  fs.utimesSync(file, new Date(1234567890123), new Date(1234567890123.456));
  for (const p of [file, dir]) {
    const st = fs.statSync(p);
    assert.equal(rawStat(p), true);
    assert.deepEqual([...statOut], [st.mtimeMs, st.size, st.isDirectory() ? 1 : 0], p);
  }
  assert.equal(rawStat(path.join(dir, 'gone.c')), false);
  // Under a file: fs.statSync throws ENOTDIR, and so does rawStat; statEntry calls it absent.
  const under = path.join(file, 'under-a-file.c');
  assert.throws(() => fs.statSync(under, { throwIfNoEntry: false }), /ENOTDIR/);
  assert.throws(() => rawStat(under), /ENOTDIR/);
  assert.deepEqual(statEntry(under), [0, -2]);
});

test('what fs.statSync refuses, rawStat refuses: a link loop, a NUL in the path; statEntry calls them absent', () => {
  const dir = tmpDir('rawstat-bad');
  const loop = path.join(dir, 'loop');
  fs.symlinkSync(loop, loop);
  assert.throws(() => fs.statSync(loop));
  assert.throws(() => rawStat(loop), /ELOOP/);
  assert.throws(() => rawStat(`${dir}/a\0b`));
  assert.deepEqual(statEntry(loop), [0, -2]);
  assert.deepEqual(statEntry(`${dir}/a\0b`), [0, -2]);
});

test('a checking thread started ahead is the one a check uses, and the answer is the same', async () => {
  const dir = tmpDir('spare');
  const rels: string[] = [];
  for (let i = 0; i < 5000; i++) {
    fs.writeFileSync(path.join(dir, `f${i}.c`), `${i}`);
    rels.push(`f${i}.c`);
  }
  const list = {
    rels,
    mtimes: rels.map(r => statEntry(path.join(dir, r))[0]),
    sizes: rels.map(r => statEntry(path.join(dir, r))[1]),
  };
  const script = indexWorkerScript();
  assert.ok(script, 'the bundled checking thread is there');
  startSpare(script);
  const stats: { threads?: number } = {};
  assert.equal(await isFresh(dir, list, () => script, { workers: 1, stats }), true);
  assert.equal(stats.threads, 1);
  fs.writeFileSync(path.join(dir, 'f4999.c'), 'changed');
  startSpare(script);
  assert.equal(await isFresh(dir, list, () => script, { workers: 1 }), false);
});
