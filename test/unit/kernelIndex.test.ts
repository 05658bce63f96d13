import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { findPrototype } from '../../server/src/reference/linux/catalogue';
import * as fs from 'fs';
import { indexKernel, KernelPathError, readJob } from '../../server/src/io/kernelIndex';
import { KERNEL, tmpDir } from '../helpers/paths';

test('the fixture kernel: definitions, declarations, wrappers, tables', async () => {
  const cat = await indexKernel(KERNEL);
  assert.equal(cat.kernel.release, '6.1.0');
  const p = (n: string) => findPrototype(cat, n, 'mips');
  assert.equal(p('sys_pread64')?.kind, 'SYSCALL_DEFINE', 'a definition wins over the syscalls.h declaration');
  assert.equal(p('sys_pread64')?.file, 'fs/read_write.c');
  assert.equal(p('sys_pread64')?.line, 14);
  assert.equal(p('sys32_readahead')?.params.length, 5);
  assert.equal(p('sys_32_pread')?.arch, 'mips');
  assert.equal(p('__sys_fork')?.entry, 'sys_fork', '__sys_ wrappers resolve to sys_');
  assert.equal(p('sys_fanotify_mark')?.params.length, 5, 'the CONFIG_ARCH_SPLIT_ARG64 variant is skipped');
  assert.equal(p('compat_sys_truncate64')?.params.length, 3, 'compat_arg_u64 is two words');
  assert.equal(p('sys_syscall'), undefined, 'an assembly entry has no prototype');
  assert.ok(cat.tables['arch/mips/kernel/syscalls/syscall_o32.tbl'].some(e => e.name === 'futex_waitv'));
});

test('a missing kernel path and a file are clear errors', async () => {
  await assert.rejects(
    indexKernel('/nonexistent/linux'),
    (e: Error) => e instanceof KernelPathError && /does not exist/.test(e.message),
  );
  await assert.rejects(
    indexKernel(path.join(KERNEL, 'Makefile')),
    (e: Error) => e instanceof KernelPathError && /is a file/.test(e.message),
  );
  await assert.rejects(indexKernel(path.join(KERNEL, 'fs')), (e: Error) => /not a Linux source tree/.test(e.message));
});

test('indexing is deterministic', async () => {
  const a = JSON.stringify(await indexKernel(KERNEL)),
    b = JSON.stringify(await indexKernel(KERNEL));
  assert.equal(a, b);
});

test('a C file is read when it mentions SYSCALL anywhere (or asmlinkage, under arch/), whole words only', () => {
  const tree = tmpDir('words');
  const buf = Buffer.alloc(4096);
  const wanted = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    fs.writeFileSync(path.join(tree, rel), text);
    return readJob(tree, { rel, kind: 'c' }, buf, false).text !== undefined;
  };
  assert.equal(wanted('a.c', 'SYSCALL_DEFINE0(x)'), true, 'at the first byte');
  assert.equal(wanted('b.c', 'int x; /* SYSCALL */'), true, 'at the end');
  assert.equal(wanted('c.c', 'YSCALL SYSCAL YSCALLS xSYSCAL'), false, 'pieces are not the word');
  assert.equal(wanted('d.c', 'YSCALL then SYSCALL'), true, 'a second hit after a false one');
  assert.equal(wanted('arch/x/e.c', 'asmlinkage long f(void);'), true);
  assert.equal(wanted('arch/x/f.c', 'package linkage smlinkage'), false);
  assert.equal(wanted('g.c', 'asmlinkage long f(void);'), false, 'asmlinkage counts under arch/ only');
  // Stale bytes of a longer file read before must not count.
  wanted('h.c', 'x'.repeat(100) + 'SYSCALL');
  assert.equal(wanted('i.c', 'x'.repeat(20)), false, 'only the bytes read this time');
});
