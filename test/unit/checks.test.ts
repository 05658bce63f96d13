// The o32 and .tbl checks on the fixtures, and the fix-point of their quick-fixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Analysis, modelOf } from '../../server/src/analysis/analyze';
import { familyById } from '../../server/src/families/registry';
import { o32Family } from '../../server/src/families/qemu/o32/family';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { regenerateO32 } from '../../server/src/families/qemu/o32/regen';
import { analyzeFile, analyzeText, catalogueOf } from '../helpers/engine';
import { KERNEL, QEMU, QEMU_OLD } from '../helpers/paths';

const TABLE = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');
const OLD = path.join(QEMU_OLD, 'linux-user/mips/cpu_loop.c');
const TBL = path.join(QEMU, 'linux-user/mips/syscall_o32.tbl');
const codes = (a: Analysis) => a.findings.map(f => `${f.range.start.line + 1}:${f.code}:${f.syscall ?? ''}`).sort();

test('designated table: every finding, on its line', async () => {
  const a = await analyzeFile(TABLE, await catalogueOf(KERNEL));
  assert.ok(modelOf(a, o32Family)?.ctx);
  assert.deepEqual(codes(a), [
    '13:arg-count-mismatch:sync_file_range',
    '16:missing-entry:landlock_add_rule',
    '16:missing-entry:landlock_create_ruleset',
    '16:missing-entry:landlock_restrict_self',
    '16:name-mismatch:mmap2',
    '1:unknown-signature:syscall',
    '6:unused-slot-zero:break',
    '9:arg-count-mismatch:truncate64',
  ]);
  const sfr = a.findings.find(f => f.syscall === 'sync_file_range')!;
  assert.equal(sfr.severity, 'error', 'arguments 5-7 would be lost');
  assert.deepEqual(sfr.range, { start: { line: 12, character: 13 }, end: { line: 12, character: 14 } });
  assert.match(sfr.message, /needs 7 o32 argument words, the row says 4/);
  assert.match(sfr.message, /padding in a1/);
  assert.ok(
    sfr.related.some(r => r.location.file.endsWith('include/linux/syscalls.h')),
    'the prototype is evidence',
  );
  assert.ok(
    sfr.related.some(r => r.location.file.endsWith('syscall_o32.tbl')),
    'the .tbl line is evidence',
  );
  assert.equal(a.findings.find(f => f.syscall === 'truncate64')!.severity, 'warning', 'registers are always passed');
});

test('rows whose counts differ from their C parameter counts are not reported', async () => {
  const a = await analyzeFile(TABLE, await catalogueOf(KERNEL));
  for (const name of ['pread64', 'pwrite64', 'ftruncate64', 'readahead', 'fadvise64', 'fallocate', 'fanotify_mark']) {
    assert.equal(a.findings.filter(f => f.syscall === name).length, 0, name);
  }
});

test('MIPS_SYS table: numbered by position, compared with the kernel table', async () => {
  const a = await analyzeFile(OLD, await catalogueOf(KERNEL));
  assert.ok(modelOf(a, o32Family)?.ctx);
  assert.deepEqual(
    codes(a)
      .map(c => c.replace(/^\d+:/, ''))
      .sort(),
    [
      'arg-count-mismatch:sync_file_range',
      'arg-count-mismatch:truncate64',
      'missing-entry:futex_waitv',
      'missing-entry:landlock_add_rule',
      'missing-entry:landlock_create_ruleset',
      'missing-entry:landlock_restrict_self',
      'unknown-signature:syscall',
    ],
  );
});

async function fixPoint(file: string, text: string, overrides: Record<string, string> = {}) {
  const cat = await catalogueOf(KERNEL);
  const before = await analyzeText(file, text, cat, overrides);
  const fixed = applyEdits(text, fixAllEdits(before.findings));
  const after = await analyzeText(file, fixed, cat, overrides);
  const again = applyEdits(fixed, fixAllEdits(after.findings));
  return { before, fixed, after, again };
}

test('fix all: the fixed findings are gone and a second pass changes nothing', async () => {
  for (const file of [TABLE, OLD]) {
    const { before, fixed, after, again } = await fixPoint(file, fs.readFileSync(file, 'utf8'));
    const fixable = new Set(before.findings.filter(f => f.fixes.some(x => x.preferred)).map(f => f.code));
    assert.ok(fixable.has('missing-entry') && fixable.has('arg-count-mismatch'));
    assert.deepEqual(
      after.findings.filter(f => f.fixes.some(x => x.preferred)),
      [],
      `${file}: nothing left to fix`,
    );
    // A comment's historical name is offered a rename, never renamed by fix-all.
    assert.deepEqual(
      after.findings.filter(f => f.code !== 'name-mismatch').map(f => f.code),
      ['unknown-signature'],
    );
    for (const f of after.findings.filter(f => f.code === 'name-mismatch')) {
      assert.equal(f.severity, 'information');
      assert.ok(f.fixes.length && !f.fixes.some(x => x.preferred));
    }
    assert.equal(again, fixed, 'idempotent');
  }
});

test('inserted rows read like their neighbours', async () => {
  const { fixed } = await fixPoint(TABLE, fs.readFileSync(TABLE, 'utf8'));
  assert.equal(
    fixed.split('\n').slice(14).join('\n'),
    [
      '    [  14] = 6, /* fanotify_mark */',
      '    [  15] = 6, /* mmap */', // the file's own name: the rename to the .tbl's mmap2 is offered, not fix-all'd
      '    [  16] = MIPS_SYSCALL_NUMBER_UNUSED, /* 16 */'.replace(' /* 16 */', ''),
      '    [  17] = 3, /* landlock_create_ruleset */',
      '    [  18] = 4, /* landlock_add_rule */',
      '    [  19] = 2, /* landlock_restrict_self */',
      '',
    ].join('\n'),
  );
  const old = (await fixPoint(OLD, fs.readFileSync(OLD, 'utf8'))).fixed;
  assert.match(
    old,
    /MIPS_SYS\(sys_mips_mmap2 , 6\)    \/\* 4015 \*\/\n {8}MIPS_SYSCALL_NUMBER_UNUSED,\n {8}MIPS_SYS\(sys_landlock_create_ruleset, 3\)\n/,
  );
  assert.match(old, /MIPS_SYS\(sys_futex_waitv, 5\)    \/\* 4020 \*\/\n};/);
});

test('a hole inside a designated table is an implicit 0', async () => {
  const text = fs.readFileSync(TABLE, 'utf8').replace('    [   5] = 0, /* break */\n', '');
  const { before, after, again, fixed } = await fixPoint(TABLE, text);
  const hole = before.findings.find(f => f.code === 'unused-slot-zero')!;
  assert.match(hole.message, /slot 5 \(4005\) has no row, so it is an implicit 0/);
  assert.match(fixed, /\[ {3}4\] = 3, \/\* write \*\/\n {4}\[ {3}5\] = MIPS_SYSCALL_NUMBER_UNUSED, \/\* break \*\/\n/);
  assert.equal(after.findings.filter(f => f.code === 'unused-slot-zero').length, 0);
  assert.equal(again, fixed);
});

test('duplicates and rows out of order', async () => {
  const text = fs.readFileSync(TABLE, 'utf8') + '    [   3] = 3, /* read */\n';
  const a = await analyzeText(TABLE, text, await catalogueOf(KERNEL));
  assert.ok(a.findings.some(f => f.code === 'duplicate-entry' && f.range.start.line === 16));
  assert.ok(a.findings.some(f => f.code === 'out-of-order' && f.range.start.line === 16));
});

test('the reverse of unused-slot-zero: a real syscall marked unused', async () => {
  const text = fs.readFileSync(TABLE, 'utf8').replace('[   3] = 3,', '[   3] = MIPS_SYSCALL_NUMBER_UNUSED,');
  const { before, fixed } = await fixPoint(TABLE, text);
  const f = before.findings.find(x => x.syscall === 'read')!;
  assert.equal(f.code, 'unused-slot-zero');
  assert.equal(f.severity, 'error');
  assert.match(fixed, /\[ {3}3\] = 3, \/\* read \*\//);
});

test('without a kernel: one note, no guessed counts', async () => {
  const a = await analyzeFile(TABLE, undefined);
  assert.equal(a.findings.filter(f => f.code === 'arg-count-mismatch').length, 0);
  assert.ok(a.findings.some(f => f.code === 'unknown-signature' && /no kernel prototypes are loaded/.test(f.message)));
  assert.ok(
    a.findings.some(f => f.code === 'missing-entry'),
    'the .tbl still shows the missing rows',
  );
  assert.equal(
    a.findings.filter(f => f.code === 'missing-entry' && f.fixes.length).length,
    0,
    'no row is written without a count',
  );
});

test('regenerate: the whole table from the .tbl and prototypes, in the file style', async () => {
  const a = await analyzeFile(TABLE, await catalogueOf(KERNEL));
  const ctx = modelOf(a, o32Family)?.ctx;
  assert.ok(ctx);
  if (!ctx) return;
  const g = regenerateO32(ctx)!;
  const lines = g.text.split('\n');
  assert.equal(lines.length, 20);
  assert.equal(lines[5], '    [   5] = MIPS_SYSCALL_NUMBER_UNUSED, /* break */');
  assert.equal(lines[12], '    [  12] = 7, /* sync_file_range */');
  assert.deepEqual(g.unknown, ['syscall']);
  assert.equal(lines[0], '    [   0] = 7, /* syscall */', 'an unknown count is kept, not guessed');
});

test('.tbl file: drift from the kernel, duplicates, malformed lines', async () => {
  const cat = await catalogueOf(KERNEL);
  const text = fs.readFileSync(TBL, 'utf8') + '3\to32\tread2\tsys_read\nwrite\n';
  const a = await analyzeText(TBL, text, cat);
  assert.ok(modelOf(a, familyById('linux/tbl')!));
  const got = a.findings.map(f => `${f.range.start.line + 1}:${f.code}`);
  assert.ok(got.includes('26:duplicate-entry'), got.join());
  assert.ok(got.includes('27:malformed-line'), got.join());
  assert.ok(
    a.findings.some(
      f =>
        f.code === 'tbl-drift' &&
        /20 futex_waitv \(o32\) is in the kernel's arch\/mips\/kernel\/syscalls\/syscall_o32.tbl/.test(f.message),
    ),
  );
  const fixed = applyEdits(
    fs.readFileSync(TBL, 'utf8'),
    fixAllEdits((await analyzeText(TBL, fs.readFileSync(TBL, 'utf8'), cat)).findings),
  );
  assert.ok(
    fixed.endsWith(
      '19\to32\tlandlock_restrict_self\t\tsys_landlock_restrict_self\n20\to32\tfutex_waitv\t\t\tsys_futex_waitv\n',
    ),
  );
  const after = await analyzeText(TBL, fixed, cat);
  assert.equal(after.findings.length, 0);
});

test('bad input: empty file, binary table, a one-field .tbl line', async () => {
  assert.deepEqual((await analyzeText(TABLE, '', undefined)).findings, []);
  const bin = await analyzeText(TBL, '\u0000\u0001ELF\u0002', undefined);
  assert.match(bin.findings[0].message, /binary/);
  const one = await analyzeText(TBL, 'read\n', undefined);
  assert.equal(one.findings[0].code, 'malformed-line');
});
