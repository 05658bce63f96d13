// On Debian's Linux 6.1 and 6.12: the tools/ copies and UML's ptrace constants, as
// `check <linux-tree>` finds them. Every copy is fixed to its original (the fix-point on
// real files), a copy equal to its original gets no finding, and the findings confirmed by
// hand in the sources are each asserted (listed with file:line in the comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { tableFiles } from '../../server/src/analysis/locate';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { Finding } from '../../server/src/core/types';
import { diskReader } from '../../server/src/io/files';
import { headerCopy, tblOriginals } from '../../server/src/families/linux/toolsCopies';
import { readHeader } from '../../server/src/families/linux/toolsUnistd/model';
import { parseTbl } from '../../server/src/reference/linux/tbl';
import { umlFileOf } from '../../server/src/families/linux/uml/model';
import { analyzeText } from '../helpers/engine';
import { realData } from '../helpers/paths';

const real = realData();
const CODES = ['tbl-drift', 'copy-drift', 'ptrace-mismatch', 'ptrace-redefined', 'not-checked'];
const tblLines = (text: string) =>
  parseTbl('t', text).entries.map(e => [e.number, e.abi, e.name, e.entry ?? '', e.compat ?? ''].join(' '));
const headerLines = (text: string) => readHeader('h', text).lines.map(l => l.text);

/** Every file of the tree's tools/ copies and UML ptrace headers with its findings. */
async function checkTree(root: string) {
  const out = new Map<string, { text: string; findings: Finding[] }>();
  for (const file of tableFiles(root, diskReader)) {
    const rel = path.relative(root, file);
    if (!/^tools\/|^arch\/(um|x86\/um)\//.test(rel)) continue;
    if (umlFileOf(file)) continue; // UML's syscall tables: test/real/uml.test.ts checks them against the tree
    const text = fs.readFileSync(file, 'utf8');
    const findings = (await analyzeText(file, text)).findings.filter(f => CODES.includes(f.code));
    out.set(rel, { text, findings });
  }
  return out;
}
const summary = (fs: Finding[]) => fs.map(f => `${f.range.start.line + 1} ${f.code} ${f.syscall ?? ''}`).sort();

/** Fix-all makes every copy equal its original, line by line; a copy equal to it gets nothing. */
async function fixPoints(root: string, files: Map<string, { text: string; findings: Finding[] }>) {
  for (const [rel, { text, findings }] of files) {
    const file = path.join(root, rel);
    const tbl = tblOriginals(file);
    const hdr = headerCopy(file);
    const origPath = tbl
      ? tbl.rels.map(r => path.join(root, r)).find(p => fs.existsSync(p))
      : hdr && fs.existsSync(path.join(root, hdr.original))
        ? path.join(root, hdr.original)
        : undefined;
    if (!origPath) continue;
    const orig = fs.readFileSync(origPath, 'utf8');
    const lines = tbl ? tblLines : headerLines;
    if (orig === text) assert.deepEqual(findings, [], `${rel} equals its original`);
    const fixed = applyEdits(text, fixAllEdits(findings));
    assert.deepEqual(lines(fixed), lines(orig), `${rel}: fix-all gives the original's lines`);
    const again = (await analyzeText(file, fixed)).findings.filter(
      f => f.code === 'tbl-drift' || f.code === 'copy-drift',
    );
    assert.deepEqual(again, [], `${rel}: nothing left after fix-all`);
  }
}

test(
  'Linux 6.1: the tools/ copies drift as diff shows, and UML defines PTRACE_OLDSETOPTIONS two ways',
  { skip: real ? false : 'Linux 6.1 not fetched: run scripts/fetch-real-data.sh' },
  async () => {
    const root = real!.linux;
    const files = await checkTree(root);
    const got = (rel: string) => summary(files.get(rel)?.findings ?? []);
    // tools/perf/arch/powerpc/entry/syscalls/syscall.tbl against arch/powerpc/kernel/syscalls/syscall.tbl:
    // the spu lines of 179, 180, 191, 233 (after copy lines 232, 234, 248, 295: `diff` says 232a233,
    // 234a236, 248a251, 295a299), the 308/309 lines split
    // per ABI (copy 397-398, kernel 401-405), 416's compat entry (copy 502, kernel 509).
    assert.deepEqual(got('tools/perf/arch/powerpc/entry/syscalls/syscall.tbl'), [
      '232 tbl-drift pread64',
      '234 tbl-drift pwrite64',
      '248 tbl-drift readahead',
      '295 tbl-drift fadvise64',
      '396 tbl-drift sync_file_range2',
      '397 tbl-drift sync_file_range2',
      '398 tbl-drift fallocate',
      '502 tbl-drift io_pgetevents_time64',
    ]);
    // s390: 416 io_pgetevents_time64's compat entry (copy and kernel line 421).
    assert.deepEqual(got('tools/perf/arch/s390/entry/syscalls/syscall.tbl'), ['421 tbl-drift io_pgetevents_time64']);
    for (const rel of [
      'tools/perf/arch/x86/entry/syscalls/syscall_64.tbl',
      'tools/perf/arch/mips/entry/syscalls/syscall_n64.tbl',
    ])
      assert.deepEqual(got(rel), [], rel);
    // tools/include/uapi/asm-generic/unistd.h:808 __SYSCALL where the kernel's :808 has __SC_COMP.
    const generic = files.get('tools/include/uapi/asm-generic/unistd.h')!.findings;
    assert.deepEqual(summary(generic), ['808 copy-drift io_pgetevents_time64']);
    assert.match(generic[0].message, /compat_sys_io_pgetevents_time64/);
    // arc: the kernel's unistd.h:24 __ARCH_WANT_SYS_CLONE3; hexagon :39 __ARCH_WANT_SYNC_FILE_RANGE2;
    // riscv: :18's test and :23-24's CLONE3 and MEMFD_SECRET.
    assert.match(
      files.get('tools/arch/arc/include/uapi/asm/unistd.h')!.findings[0].message,
      /__ARCH_WANT_SYS_CLONE3` is missing/,
    );
    assert.match(
      files.get('tools/arch/hexagon/include/uapi/asm/unistd.h')!.findings[0].message,
      /__ARCH_WANT_SYNC_FILE_RANGE2` is missing/,
    );
    assert.deepEqual(got('tools/arch/riscv/include/uapi/asm/unistd.h'), ['18 copy-drift ', '21 copy-drift ']);
    for (const rel of [
      'tools/arch/arm64/include/uapi/asm/unistd.h',
      'tools/arch/x86/include/uapi/asm/unistd.h',
      'tools/arch/x86/include/uapi/asm/unistd_32.h',
      'tools/arch/x86/include/uapi/asm/unistd_64.h',
    ])
      assert.deepEqual(got(rel), [], rel);
    // arch/um/include/shared/ptrace_user.h:41 PTRACE_OLDSETOPTIONS PTRACE_SETOPTIONS (0x4200,
    // include/uapi/linux/ptrace.h:28) where arch/x86/include/uapi/asm/ptrace-abi.h:75 has 21,
    // as do arch/x86/um/shared/sysdep/ptrace_user.h:25 (x86_64 only) and arch/um/include/asm/ptrace-generic.h:30.
    assert.deepEqual(got('arch/um/include/shared/ptrace_user.h'), [
      '41 ptrace-mismatch PTRACE_OLDSETOPTIONS',
      '41 ptrace-redefined PTRACE_OLDSETOPTIONS',
    ]);
    assert.deepEqual(got('arch/x86/um/shared/sysdep/ptrace_user.h'), ['25 ptrace-redefined PTRACE_OLDSETOPTIONS']);
    assert.deepEqual(got('arch/um/include/asm/ptrace-generic.h'), ['30 ptrace-redefined PTRACE_OLDSETOPTIONS']);
    await fixPoints(root, files);
  },
);

test(
  "Linux 6.12: perf's copies are in step, the arch header copies are of the pre-6.11 form, UML's ptrace constants agree",
  { skip: real?.linux612 ? false : 'Linux 6.12 not fetched: run scripts/fetch-real-data.sh' },
  async () => {
    const root = real!.linux612!;
    const files = await checkTree(root);
    const got = (rel: string) => summary(files.get(rel)?.findings ?? []);
    for (const [rel, { findings }] of files) {
      if (
        rel.startsWith('tools/perf/') ||
        rel.startsWith('arch/') ||
        rel === 'tools/include/uapi/asm-generic/unistd.h' ||
        rel.startsWith('tools/arch/x86/')
      )
        assert.deepEqual(summary(findings), [], rel);
    }
    assert.ok(files.has('tools/perf/arch/x86/entry/syscalls/syscall_32.tbl'));
    assert.ok(files.has('arch/x86/um/shared/sysdep/ptrace_user.h'));
    // arch/<arch>/include/uapi/asm/unistd.h includes the generated asm/unistd_NN.h since 6.11;
    // the tools/ copies still define the __ARCH_WANT_* switches and include asm-generic/unistd.h.
    for (const arch of ['arc', 'arm64', 'hexagon', 'loongarch', 'riscv']) {
      const fs1 = files.get(`tools/arch/${arch}/include/uapi/asm/unistd.h`)!.findings;
      assert.ok(fs1.length >= 1, arch);
      assert.ok(
        fs1.some(f => /Linux 6\.11 on/.test(f.message)),
        arch,
      );
    }
    assert.deepEqual(got('tools/arch/arm64/include/uapi/asm/unistd.h'), ['18 copy-drift ']);
    await fixPoints(root, files);
  },
);
