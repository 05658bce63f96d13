// syscall.c against the targets' tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { modelOf } from '../../server/src/analysis/analyze';
import { dispatchFamily } from '../../server/src/families/qemu/dispatch/family';
import { analyzeFile, catalogueOf } from '../helpers/engine';
import { FIXTURES, KERNEL } from '../helpers/paths';

const TREE = path.join(FIXTURES, 'qemu-dispatch');

test('a case label no target defines is dead code', async () => {
  const a = await analyzeFile(path.join(TREE, 'linux-user/syscall.c'), await catalogueOf(KERNEL));
  assert.ok(modelOf(a, dispatchFamily));
  assert.deepEqual(
    a.findings.map(f => [f.code, f.syscall, f.range.start.line]),
    [['dead-case', 'readahaed', 30]],
  );
  assert.deepEqual(a.findings[0].range, { start: { line: 30, character: 9 }, end: { line: 30, character: 28 } });
  assert.match(a.findings[0].message, /no target defines TARGET_NR_readahaed/);
});

test('not-dispatched: what the targets select from the .tbl and syscall.c never handles', async () => {
  const a = await analyzeFile(path.join(TREE, 'linux-user/mips/syscall_o32.tbl'), await catalogueOf(KERNEL));
  const nd = a.findings.filter(f => f.code === 'not-dispatched');
  assert.deepEqual(
    nd.map(f => f.syscall),
    ['syscall', 'readahead', 'fanotify_mark', 'landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self'],
  );
  assert.equal(nd[0].severity, 'information');
  assert.match(nd[0].message, /mips, mipsel guests calling it get ENOSYS/);
  assert.ok(!nd.some(f => f.syscall === 'break'), 'sys_ni_syscall slots are not expected');
});
