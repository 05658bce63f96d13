import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSyscallTbl, parseTbl, selectAbis } from '../../server/src/reference/linux/tbl';

test('fields, ranges, comments and holes', () => {
  const m = parseTbl(
    'x/syscall_o32.tbl',
    '# header\n0\to32\tsyscall\t\tsys_syscall\t\tsys32_syscall\n# 443 reserved for quotactl_path\n444 o32 landlock_create_ruleset sys_landlock_create_ruleset\n\n',
  );
  assert.equal(m.entries.length, 2);
  assert.deepEqual(
    m.entries.map(e => [e.number, e.abi, e.name, e.entry, e.compat]),
    [
      [0, 'o32', 'syscall', 'sys_syscall', 'sys32_syscall'],
      [444, 'o32', 'landlock_create_ruleset', 'sys_landlock_create_ruleset', undefined],
    ],
  );
  assert.deepEqual(m.entries[0].ranges.name, { start: { line: 1, character: 6 }, end: { line: 1, character: 13 } });
  assert.equal(m.comments.find(c => c.number === 443)?.line, 2);
  assert.equal(m.problems.length, 0);
});

test('hex numbers, a "-" compat field and the x86 noreturn flag', () => {
  const m = parseTbl('syscall_64.tbl', '0x10 common exit sys_exit - noreturn\n');
  assert.equal(m.entries[0].number, 16);
  assert.equal(m.entries[0].compat, undefined);
});

test('malformed lines: one field, a bad number, a stray field', () => {
  const m = parseTbl(
    'syscall.tbl',
    'read\n12x common read sys_read\n3 common read sys_read compat_sys_read noreturn extra\n4 common write sys_write\n',
  );
  assert.deepEqual(
    m.problems.map(p => p.line),
    [0, 1, 2],
  );
  assert.match(m.problems[0].message, /found 1 field/);
  assert.match(m.problems[1].message, /not a syscall number/);
  assert.match(m.problems[2].message, /unexpected field `extra`/);
  assert.equal(m.entries.length, 1);
});

test('a binary file is one problem, not a crash', () => {
  const m = parseTbl('syscall.tbl', 'ELF\u0000\u0001\u0002\u0003garbage');
  assert.equal(m.binary, true);
  assert.equal(m.problems.length, 1);
});

test('a .tbl that is not a syscall table is recognised', () => {
  const atomics = parseTbl('scripts/atomic/atomics.tbl', 'read\t\t\tI\tv\nset\t\t\tI\tv\tp\nadd\t\tvRF\ti\tv\n');
  assert.equal(isSyscallTbl(atomics), false);
  assert.equal(isSyscallTbl(parseTbl('arch/x/syscall.tbl', '')), true);
});

test('ABI selection', () => {
  const m = parseTbl(
    'syscall_64.tbl',
    '0 common read sys_read\n1 64 write sys_write\n512 x32 rt_sigaction compat_sys_rt_sigaction\n',
  );
  assert.deepEqual(
    selectAbis(m, ['common', '64']).map(e => e.name),
    ['read', 'write'],
  );
});
