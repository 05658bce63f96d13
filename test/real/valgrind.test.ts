// Acceptance on valgrind 3.19 from Debian against Linux 6.1 and the bundled 6.12 (fetched by
// scripts/fetch-real-data.sh; skipped when absent), and planted errors in copies of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { scnumsFamily } from '../../server/src/families/valgrind/scnums/family';
import { syswrapFamily } from '../../server/src/families/valgrind/syswrap/family';
import { readConfig } from '../../server/src/core/config';
import type { Finding } from '../../server/src/core/types';
import { loadCatalogueFile } from '../../server/src/io/catalogueFile';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { referenceOf } from '../helpers/engine';
import { realData, ROOT, tracerData } from '../helpers/paths';

const real = realData();
const valgrind = tracerData().valgrind;
const haveChain = valgrind && fs.existsSync(path.join(valgrind, 'include', 'pub_tool_vkiscnums_asm.h'));
const skip = real && haveChain ? false : 'valgrind 3.19 or Linux 6.1 not available: run scripts/fetch-real-data.sh';
const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);

async function checkAll(overrides: Record<string, string> = {}, kernel?: ReturnType<typeof linuxReference>) {
  const ws = {
    kernel: kernel ?? (await referenceOf(real!.linux)),
    config: readConfig(undefined),
    read: (f: string) => overrides[f] ?? read(f),
    list: () => [],
  } as never;
  const out: Finding[] = [];
  for (const fam of [scnumsFamily, syswrapFamily] as (typeof scnumsFamily)[])
    for (const file of fam.locate!(valgrind!, ws))
      out.push(...fam.analyze({ file, text: (ws as { read: typeof read }).read(file)! }, ws).findings);
  return out;
}
const where = (f: Finding) => `${path.relative(valgrind!, f.file)}:${f.range.start.line + 1}`;
/** The target a finding names first: `mips32 (o32)`, `arm64`. */
const targetOf = (f: Finding) =>
  /^([\w/]+(?: \([\w-]+\))?):/.exec(f.message)?.[1] ??
  /\(([\w/]+(?: \([\w-]+\))?) [\dx +]+\)/.exec(f.message)?.[1] ??
  '?';
function perKind(fs: Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of fs) {
    const k = `${targetOf(f)} ${f.code}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

// Every finding on valgrind 3.19, per target and kind. Confirmed by hand (see the report):
// - the mips numbers: vki-scnums-shared-linux.h:31-45 and vki-scnums-32bit-linux.h:28-47 give
//   the asm-generic numbers (424, 403, ...) that pub_tool_vkiscnums_asm.h includes for mips32
//   and mips64 without __NR_Linux; syscall_o32.tbl/_n64.tbl/_n32.tbl have them at 4424/5424/6424;
//   the syswrap-mips32/64-linux.c rows that name them (mips32: 25, mips64: 6 per ABI);
// - mips32 setns: vki-scnums-mips32-linux.h:380 (__NR_Linux + 343); syscall_o32.tbl: 343 is
//   sendmmsg, 344 setns (and the row at syswrap-mips32-linux.c);
// - arm64 io_pgetevents: vki-scnums-arm64-linux.h:326 says 291 (statx's);
//   include/uapi/asm-generic/unistd.h:774 gives 292;
// - register-mismatch: generic pread64/pwrite64/truncate64/ftruncate64 (syswrap-generic.c),
//   readahead, fadvise64, fadvise64_64 (syswrap-linux.c) split the 64-bit value at an odd
//   register on arm EABI, o32 and ppc32, where the kernel pads it to an even one;
// - arg-count-mismatch: fchownat (4 of 5), unlinkat (2 of 3), newfstatat/fstatat64 (3 of 4),
//   membarrier (1 of 3), 64-bit preadv2 (5 of 6: flags read from ARG5, the kernel's is the 6th),
//   n32 preadv/pwritev (4 of 5), mips pipe (1, sysm_pipe takes none).
const EXPECTED: Record<string, number> = {
  'amd64 (x86_64) arg-count-mismatch': 5,
  'amd64 (x86_64) duplicate-entry': 1,
  'arm (arm-eabi) arg-count-mismatch': 4,
  'arm (arm-eabi) name-mismatch': 1,
  'arm (arm-eabi) register-mismatch': 6,
  'arm64 arg-count-mismatch': 5,
  'arm64 nr-mismatch': 1,
  'mips32 (o32) arg-count-mismatch': 4,
  'mips32 (o32) nr-mismatch': 59,
  'mips32 (o32) register-mismatch': 4,
  'mips64 (n32) arg-count-mismatch': 8,
  'mips64 (n32) nr-mismatch': 19,
  'mips64 (n64) arg-count-mismatch': 6,
  'mips64 (n64) nr-mismatch': 19,
  'nanomips not-checked': 2,
  'ppc32 arg-count-mismatch': 3,
  'ppc32 register-mismatch': 7,
  'ppc64be/le (ppc64) arg-count-mismatch': 5,
  'ppc64be/le (ppc64) not-in-kernel': 1,
  's390x arg-count-mismatch': 5,
  'x86 (i386) arg-count-mismatch': 3,
  'x86 (i386) name-mismatch': 2,
  'x86 (i386) not-in-kernel': 1,
};

test('valgrind 3.19 against Linux 6.1: every finding per target and kind', { skip }, async () => {
  const found = await checkAll();
  assert.deepEqual(perKind(found), EXPECTED);
  const lines = found.map(f => `${where(f)} ${f.code} ${f.syscall ?? ''}`);
  for (const l of [
    'include/vki/vki-scnums-arm64-linux.h:326 nr-mismatch io_pgetevents',
    'include/vki/vki-scnums-mips32-linux.h:380 nr-mismatch setns',
    'include/vki/vki-scnums-shared-linux.h:31 nr-mismatch pidfd_send_signal',
    'include/vki/vki-scnums-32bit-linux.h:28 nr-mismatch clock_gettime64',
    'include/vki/vki-scnums-amd64-linux.h:318 duplicate-entry vserver',
    'coregrind/m_syswrap/syswrap-generic.c:2847 register-mismatch pread64',
    'coregrind/m_syswrap/syswrap-linux.c:2434 register-mismatch arm_fadvise64_64',
    'coregrind/m_syswrap/syswrap-linux.c:6190 arg-count-mismatch preadv2',
    'coregrind/m_syswrap/syswrap-mips32-linux.c:627 arg-count-mismatch pipe',
  ])
    assert.ok(lines.includes(l), l);
  // The certain fixes: arm64's io_pgetevents and mips32's setns in the platform's own header;
  // none in the shared headers, which are right for the other platforms.
  const fixes = found.filter(f => f.fixes.length).map(f => `${where(f)} ${f.fixes[0].edits[0].newText}`);
  assert.deepEqual(fixes.sort(), [
    'include/vki/vki-scnums-amd64-linux.h:318 ',
    'include/vki/vki-scnums-arm64-linux.h:326 292',
    'include/vki/vki-scnums-mips32-linux.h:380 344',
  ]);
  // Conventions: no preadv/pwritev count on the 64-bit native ABIs, nothing for ARM's private
  // calls, the OABI-only names on arm, aliases, or sys_ni_syscall rows.
  assert.ok(!found.some(f => /^(preadv|pwritev)$/.test(f.syscall ?? '') && !/n32/.test(f.message)));
  assert.ok(!found.some(f => /ARM_|sync_file_range2/.test(f.message)));
  assert.ok(!found.some(f => f.file.endsWith('vki-scnums-arm-linux.h') && f.code === 'not-in-kernel'));
});

test('valgrind 3.19 against the bundled Linux 6.12: the same findings', { skip }, async () => {
  const bundled = linuxReference(loadCatalogueFile(path.join(ROOT, 'data', 'catalogue.json.gz')));
  assert.deepEqual(perKind(await checkAll({}, bundled)), EXPECTED);
});

test(
  'valgrind 3.19: planted errors (a wrong number, a swapped number, a dropped define, too few registers) are each found',
  { skip },
  async () => {
    const amd64 = path.join(valgrind!, 'include/vki/vki-scnums-amd64-linux.h');
    const x86 = path.join(valgrind!, 'include/vki/vki-scnums-x86-linux.h');
    const generic = path.join(valgrind!, 'coregrind/m_syswrap/syswrap-generic.c');
    let a = read(amd64)!;
    a = a.replace(/^(#define __NR_getpid\s+)39$/m, '$140'); // getppid's number is 110; 40 is sendfile
    a = a.replace(/^#define __NR_close\s+3\n/m, ''); // dropped: the table's close row no longer builds
    let x = read(x86)!;
    x = x
      .replace(/^(#define __NR_link\s+)9$/m, '$1X')
      .replace(/^(#define __NR_unlink\s+)10$/m, '$19')
      .replace(/^(#define __NR_link\s+)X$/m, '$110');
    const g = read(generic)!.replace(
      'PRE_REG_READ3(ssize_t, "read",\n                 int, fd, char *, buf, vki_size_t, count);',
      'PRE_REG_READ2(ssize_t, "read",\n                 int, fd, char *, buf);',
    );
    assert.notEqual(g, read(generic), 'the read wrapper as in 3.19');
    const base = await checkAll();
    const key = (f: Finding) => `${where(f)} ${f.code} ${f.syscall ?? ''} ${targetOf(f)}`;
    const before = new Set(base.map(key));
    const after = await checkAll({ [amd64]: a, [x86]: x, [generic]: g });
    const planted = after.filter(f => !before.has(key(f))).map(key);
    const has = (re: RegExp) =>
      assert.ok(
        planted.some(p => re.test(p)),
        `${re}: ${planted.join('\n')}`,
      );
    has(/vki-scnums-amd64-linux.h:\d+ nr-mismatch getpid amd64/);
    has(/syswrap-amd64-linux.c:\d+ nr-mismatch close amd64/);
    has(/vki-scnums-x86-linux.h:\d+ nr-mismatch link x86/);
    has(/vki-scnums-x86-linux.h:\d+ nr-mismatch unlink x86/);
    has(/syswrap-generic.c:\d+ arg-count-mismatch read amd64/);
    has(/syswrap-generic.c:\d+ arg-count-mismatch read arm \(arm-eabi\)/);
  },
);
