// include/uapi/asm-generic/unistd.h as a table source: small fixtures in the real format
// (test/fixtures/linux-generic: a Linux 6.1-style tree with no scripts/syscall.tbl).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { indexKernel } from '../../server/src/io/kernelIndex';
import { abiById } from '../../server/src/reference/linux/abis';
import { makefileTags, readGenericTable } from '../../server/src/reference/linux/genericUnistd';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { evalCondition, evalExpr } from '../../server/src/syntax/c/defines';
import { FIXTURES } from '../helpers/paths';

const TREE = path.join(FIXTURES, 'linux-generic');
const rows = (id: string, entries: { number: number; name: string; entry?: string; compat?: string }[]) => [
  id,
  ...entries.map(e => `${e.number} ${e.name} ${e.entry ?? '-'} ${e.compat ?? '-'}`),
];

test('#if tests: defined, !, &&, ||, comparisons; unknown names are 0', () => {
  const defs = new Set(['__ARCH_WANT_TIME32_SYSCALLS']);
  const v = (n: string) => (n === '__BITS_PER_LONG' ? 32 : undefined);
  const c = (t: string) => evalCondition(t, n => defs.has(n), v);
  assert.equal(c('defined(__ARCH_WANT_TIME32_SYSCALLS) || __BITS_PER_LONG != 32'), 1);
  assert.equal(c('__BITS_PER_LONG == 64 && !defined(__SYSCALL_COMPAT)'), 0);
  assert.equal(c('defined __ARCH_WANT_RENAMEAT'), 0);
  assert.equal(c('__BITS_PER_LONG >= 32 && UNKNOWN < 1'), 1);
  assert.equal(
    evalExpr('1 + 2 == 3 && 4 >> 1 == 2', () => undefined),
    1,
    'arithmetic binds tighter',
  );
  assert.equal(
    evalExpr('(0x900000 + 2) << 1', () => undefined),
    0x1200004,
    'as before',
  );
});

test("Makefile.syscalls: Makefile.asm-headers' common,<bits> and the arch's tags", () => {
  const mk = 'syscall_abis_32 += csky time32\nsyscall_abis_64 += renameat rlimit # no stat\n';
  assert.deepEqual(makefileTags(mk, 32), ['common', '32', 'csky', 'time32']);
  assert.deepEqual(makefileTags(mk, 64), ['common', '64', 'renameat', 'rlimit']);
  assert.deepEqual(makefileTags('syscall_abis_64 := common,64,newstat\n', 64), ['common', '64', 'newstat']);
});

test('a tree without scripts/syscall.tbl: each arch header evaluated per ABI', async () => {
  const ref = linuxReference(await indexKernel(TREE));
  const of = (id: string) => rows(id, ref.entries(abiById(id)!)!);
  // Linux 6.1 form: the __ARCH_WANT_* before the include, sys_mmap2 renamed by a macro,
  // __ARCH_WANT_SYNC_FILE_RANGE2's branch, 32-bit names of the __NR3264_ numbers, no clone3.
  assert.deepEqual(of('hexagon'), [
    'hexagon',
    '0 io_setup sys_io_setup compat_sys_io_setup',
    '1 io_destroy sys_io_destroy -',
    '4 io_getevents sys_io_getevents_time32 -',
    '25 fcntl64 sys_fcntl64 compat_sys_fcntl64',
    '38 renameat sys_renameat -',
    '43 statfs64 sys_statfs64 compat_sys_statfs64',
    '79 fstatat64 sys_fstatat64 -',
    '84 sync_file_range2 sys_sync_file_range2 compat_sys_sync_file_range2',
    '163 getrlimit sys_getrlimit compat_sys_getrlimit',
    '169 gettimeofday sys_gettimeofday compat_sys_gettimeofday',
    '222 mmap2 sys_mmap_pgoff -',
  ]);
  // One header, two ABIs: __LP64__ and __BITS_PER_LONG decide; a 64-bit line has a compat
  // entry point only where the 32-bit ABI shares it; the arch's own call after the include.
  assert.deepEqual(of('riscv64'), [
    'riscv64',
    '0 io_setup sys_io_setup compat_sys_io_setup',
    '1 io_destroy sys_io_destroy -',
    '4 io_getevents sys_io_getevents -',
    '25 fcntl sys_fcntl -',
    '43 statfs sys_statfs -',
    '79 newfstatat sys_newfstatat -',
    '84 sync_file_range sys_sync_file_range compat_sys_sync_file_range',
    '163 getrlimit sys_getrlimit compat_sys_getrlimit',
    '169 gettimeofday sys_gettimeofday -',
    '222 mmap sys_mmap -',
    '259 riscv_flush_icache sys_riscv_flush_icache -',
    '435 clone3 sys_clone3 -',
    '447 memfd_secret sys_memfd_secret -',
  ]);
  assert.deepEqual(of('riscv32'), [
    'riscv32',
    '0 io_setup sys_io_setup compat_sys_io_setup',
    '1 io_destroy sys_io_destroy -',
    '25 fcntl64 sys_fcntl64 compat_sys_fcntl64',
    '43 statfs64 sys_statfs64 compat_sys_statfs64',
    '84 sync_file_range sys_sync_file_range compat_sys_sync_file_range',
    '222 mmap2 sys_mmap2 -',
    '259 riscv_flush_icache sys_riscv_flush_icache -',
    '435 clone3 sys_clone3 -',
    '447 memfd_secret sys_memfd_secret -',
  ]);
  // Linux 6.11 form: <asm/unistd_32.h> with Makefile.syscalls' tags, and the rename after it.
  assert.deepEqual(of('csky'), [
    'csky',
    '0 io_setup sys_io_setup compat_sys_io_setup',
    '1 io_destroy sys_io_destroy -',
    '4 io_getevents sys_io_getevents_time32 -',
    '25 fcntl64 sys_fcntl64 compat_sys_fcntl64',
    '43 statfs64 sys_statfs64 compat_sys_statfs64',
    '79 fstatat64 sys_fstatat64 -',
    '84 sync_file_range2 sys_sync_file_range compat_sys_sync_file_range',
    '163 getrlimit sys_getrlimit compat_sys_getrlimit',
    '169 gettimeofday sys_gettimeofday compat_sys_gettimeofday',
    '222 mmap2 sys_mmap2 -',
    '435 clone3 sys_clone3 -',
  ]);
  assert.equal(ref.entries(abiById('arm64')!), undefined, 'no arch/arm64 header: no table');
  assert.deepEqual(ref.tableOf(abiById('riscv32')!), {
    table: 'arch/riscv/include/uapi/asm/unistd.h',
    tags: ['riscv32'],
  });
  const flush = ref.entries(abiById('riscv64')!)!.find(e => e.name === 'riscv_flush_icache')!;
  assert.deepEqual([flush.file, flush.line], [undefined, 18], "the arch's own line, in its own header");
  const fcntl = ref.entries(abiById('riscv64')!)!.find(e => e.name === 'fcntl')!;
  assert.deepEqual([fcntl.file, fcntl.line], ['include/uapi/asm-generic/unistd.h', 37]);
  assert.equal(ref.prototype('sys_getrlimit', 'riscv')?.file, 'kernel/sys.c', 'prototypes as with a .tbl');
});

test('what cannot be read is said, never thrown', () => {
  const generic = fs.readFileSync(path.join(TREE, 'include/uapi/asm-generic/unistd.h'), 'latin1');
  const t = readGenericTable({
    abi: 'x',
    bits: 32,
    arch: { path: 'a.h', text: '#include <asm-generic/unistd.h>\n__SYSCALL(__NR_nowhere, sys_x)\nfoo bar\n#if 1\n' },
    generic: { path: 'g.h', text: generic },
  });
  assert.deepEqual(t.problems, [
    'a.h:2: __NR_nowhere has no number here',
    'a.h:3: not read: foo bar',
    'a.h:4: this #if has no #endif',
  ]);
  assert.ok(t.entries.length > 5);
  const none = readGenericTable({
    abi: 'x',
    bits: 64,
    arch: { path: 'a.h', text: '' },
    generic: { path: 'g.h', text: generic },
  });
  assert.deepEqual(
    [none.entries, none.problems],
    [[], ['a.h includes neither <asm-generic/unistd.h> nor <asm/unistd_64.h> with a Makefile.syscalls']],
  );
});
