// Acceptance on strace 6.1 from Debian against Linux 6.1 and the bundled 6.12 (fetched by
// scripts/fetch-real-data.sh; skipped when absent), and planted errors in copies of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { syscallentFamily } from '../../server/src/families/strace/syscallent/family';
import { readConfig } from '../../server/src/core/config';
import type { Finding } from '../../server/src/core/types';
import { referenceOf } from '../helpers/engine';
import { realData, tracerData } from '../helpers/paths';

const real = realData();
const strace = tracerData().strace;
const skip = real && strace ? false : 'strace 6.1 or Linux 6.1 not available: run scripts/fetch-real-data.sh';
const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);

async function checkAll(overrides: Record<string, string> = {}): Promise<Finding[]> {
  const ws = {
    kernel: await referenceOf(real!.linux),
    config: readConfig(undefined),
    read: (f: string) => overrides[f] ?? read(f),
    list: () => [],
  };
  const files = syscallentFamily.locate!(strace!, ws as never);
  return files.flatMap(file => syscallentFamily.analyze({ file, text: ws.read(file)! }, ws as never).findings);
}
const line = (f: Finding) =>
  `${path.relative(path.join(strace!, 'src/linux'), f.file)}:${f.range.start.line + 1} ${f.code} ${f.syscall ?? ''}`;

test('strace 6.1 against Linux 6.1: the findings, each confirmed in the kernel source', { skip }, async () => {
  const found = await checkAll();
  assert.deepEqual(
    found
      .filter(f => f.code !== 'not-checked')
      .map(line)
      .sort(),
    [
      // SYSCALL_DEFINE2(vm86, unsigned long, cmd, unsigned long, arg): arch/x86/kernel/vm86_32.c
      'i386/syscallent.h:176 arg-count-mismatch vm86',
      // SYSCALL_DEFINE3(sysmips, long, cmd, long, arg1, long, arg2): arch/mips/kernel/syscall.c
      'mips/syscallent-n32.h:210 arg-count-mismatch sysmips',
      // n32's compat_sys_preadv/pwritev take pos_low, pos_high: 5 words (not the 64-bit convention)
      'mips/syscallent-n32.h:304 arg-count-mismatch preadv',
      'mips/syscallent-n32.h:305 arg-count-mismatch pwritev',
      'mips/syscallent-n64.h:210 arg-count-mismatch sysmips',
      'mips/syscallent-o32.h:161 arg-count-mismatch sysmips',
      // SYSCALL_DEFINE3(swapcontext, ..., long, ctx_size): arch/powerpc/kernel/signal_32.c and signal_64.c
      'powerpc/syscallent.h:259 arg-count-mismatch swapcontext',
      // SYSCALL_DEFINE3(debug_setcontext, ...): arch/powerpc/kernel/signal_32.c
      'powerpc/syscallent.h:266 arg-count-mismatch sys_debug_setcontext',
      'powerpc64/syscallent.h:259 arg-count-mismatch swapcontext',
    ],
  );
  // Linux 6.1 has no scripts/syscall.tbl: arm64, riscv64 and loongarch64 are checked against
  // include/uapi/asm-generic/unistd.h as their uapi unistd.h includes it, and agree with it.
  assert.deepEqual(found.filter(f => f.code === 'not-checked').map(line), []);
  // Conventions: no preadv/pwritev count on x86_64 (nor arm64/riscv64, via 64/syscallent.h),
  // nothing below 4000 on MIPS.
  assert.ok(!found.some(f => /preadv|pwritev/.test(f.message) && !f.file.includes('n32')));
  assert.ok(!found.some(f => f.file.endsWith('syscallent-compat.h')));
});

test(
  'strace 6.1: the generic ABIs are compared with Linux 6.1 (a row dropped from 64/syscallent.h)',
  { skip },
  async () => {
    const file = path.join(strace!, 'src/linux/64/syscallent.h');
    const text = read(file)!.replace(/^\[\s*57\] = .*\n/m, ''); // close
    const found = (await checkAll({ [file]: text })).filter(f => f.code === 'missing-entry');
    assert.deepEqual(
      found.map(f => /\((\w+) 57\)/.exec(f.message)?.[1]),
      ['arm64', 'riscv64', 'loongarch64'],
    );
  },
);

test(
  'strace 6.1: planted errors (a wrong count, a swapped number, a dropped row) are each found',
  { skip },
  async () => {
    const file = path.join(strace!, 'src/linux/x86_64/syscallent.h');
    let text = read(file)!;
    text = text.replace(/^(\[\s*17\] = \{ )4,/m, '$13,'); // pread64
    text = text.replace(/"getpid"/, '"getppid"'); // getpid's number now named getppid
    text = text.replace(/^\[\s*3\] = .*\n/m, ''); // close
    const found = (await checkAll({ [file]: text }))
      .filter(f => f.file === file)
      .map(line)
      .sort();
    assert.deepEqual(found, [
      'x86_64/syscallent.h:10 missing-entry close',
      'x86_64/syscallent.h:24 arg-count-mismatch pread64',
      'x86_64/syscallent.h:46 nr-mismatch getppid',
    ]);
  },
);
