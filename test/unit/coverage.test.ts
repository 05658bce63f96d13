// Coverage of a QEMU tree: the figures per target, by hand on the fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { coverage } from '../../server/src/families/qemu/coverage';
import { newParser } from '../../server/src/syntax/c/parser';
import { listDir } from '../../server/src/io/files';
import { referenceOf } from '../helpers/engine';
import { CLI, FIXTURES, KERNEL } from '../helpers/paths';

const TREE = path.join(FIXTURES, 'qemu-dispatch');
const reader = { read: (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined), list: listDir };

test('the fixture tree: kernel, table, dispatched, traced per target', async () => {
  const parser = await newParser();
  const c = coverage(TREE, reader, parser, await referenceOf(KERNEL));
  parser.delete();
  assert.deepEqual(
    c.targets.map(t => t.target),
    ['mips', 'mipsel'],
  );
  const mips = c.targets[0];
  // The fixture kernel's o32 table implements 0-4, 6-15, 17-20 (5 is sys_ni_syscall): 19.
  // QEMU's copy lacks 20 futex_waitv: 18. syscall.c has cases for 13 of them.
  assert.deepEqual([mips.abi, mips.kernel, mips.qemu, mips.dispatched, mips.traced], ['o32', 19, 18, 12, 0]);
  assert.deepEqual(
    mips.notInTable.map(m => m.name),
    ['futex_waitv'],
  );
  assert.deepEqual(
    mips.notDispatched.map(m => m.name),
    ['syscall', 'readahead', 'fanotify_mark', 'landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self'],
  );
  assert.equal(mips.notDispatched[0].where.file, path.join(TREE, 'linux-user/syscall.c'));
});

test('systab coverage prints text, json and markdown', () => {
  const run = (f: string) =>
    spawnSync(process.execPath, [CLI, 'coverage', TREE, '--kernel', KERNEL, '--format', f], { encoding: 'utf8' });
  assert.match(
    run('text').stdout,
    /^mips {2,}o32 {2,}19 {2,}18 \(95%\) {2,}12 \(67%\) {2,}0 \(0%\) {2,}linux-user\/mips\/syscall_o32.tbl$/m,
  );
  assert.equal(JSON.parse(run('json').stdout).targets[1].target, 'mipsel');
  assert.match(run('markdown').stdout, /^## mips \(o32\)$/m);
  const bad = spawnSync(process.execPath, [CLI, 'coverage', FIXTURES], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /is not a QEMU tree/);
});
