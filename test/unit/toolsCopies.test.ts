// The kernel tree's private copies of its own constants (test/fixtures/linux-tools): perf's
// .tbl copies and the tools/ unistd headers against their originals in the same tree, and
// User-mode Linux's ptrace requests against the uapi headers; fixes, fix-point, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { tableFiles } from '../../server/src/analysis/locate';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { Finding } from '../../server/src/core/types';
import { diskReader } from '../../server/src/io/files';
import { readHeader } from '../../server/src/families/linux/toolsUnistd/model';
import { toolsUnistdFamily } from '../../server/src/families/linux/toolsUnistd/family';
import { umlPtraceFamily } from '../../server/src/families/linux/umlPtrace/family';
import { readConfig } from '../../server/src/core/config';
import { parseTbl } from '../../server/src/reference/linux/tbl';
import { analyzeText } from '../helpers/engine';
import { FIXTURES, scratch } from '../helpers/paths';

const TREE = path.join(FIXTURES, 'linux-tools');
const at = (rel: string) => path.join(TREE, rel);
const read = (rel: string) => fs.readFileSync(at(rel), 'utf8');
const mine = (fs: Finding[], codes: string[]) => fs.filter(f => codes.includes(f.code));
const check = async (file: string, text: string, overrides: Record<string, string> = {}) =>
  (await analyzeText(file, text, undefined, overrides)).findings;
const fixAll = (text: string, fs: Finding[]) => applyEdits(text, fixAllEdits(fs));
const tblLines = (file: string, text: string) =>
  parseTbl(file, text).entries.map(e => [e.number, e.abi, e.name, e.entry ?? '', e.compat ?? ''].join(' '));
const headerLines = (file: string, text: string) => readHeader(file, text).lines.map(l => l.text);

const PERF = 'tools/perf/arch/x86/entry/syscalls/syscall_64.tbl';
const GENERIC = 'tools/include/uapi/asm-generic/unistd.h';
const ARC = 'tools/arch/arc/include/uapi/asm/unistd.h';
const X86_64 = 'tools/arch/x86/include/uapi/asm/unistd_64.h';
const UML = 'arch/um/include/shared/ptrace_user.h';
const SYSDEP = 'arch/x86/um/shared/sysdep/ptrace_user.h';

test('check DIR finds the copies and UML files by their known paths, and only those', () => {
  const found = tableFiles(TREE, diskReader).map(f => path.relative(TREE, f));
  const want = [
    PERF,
    'tools/perf/arch/s390/entry/syscalls/syscall.tbl',
    GENERIC,
    ARC,
    'tools/arch/arm64/include/uapi/asm/unistd.h',
    X86_64,
    UML,
    SYSDEP,
    'arch/x86/um/shared/sysdep/ptrace_32.h',
    'arch/x86/um/shared/sysdep/ptrace_64.h',
  ].sort();
  assert.deepEqual(found, want);
});

test("perf's .tbl copy: the dropped line and the changed entry, against the original in the same tree", async () => {
  const text = read(PERF);
  const fs1 = mine(await check(at(PERF), text), ['tbl-drift', 'not-checked']).sort(
    (a, b) => a.range.start.line - b.range.start.line,
  );
  assert.deepEqual(
    fs1.map(f => `${f.range.start.line + 1} ${f.syscall}`),
    ['10 getpid', '14 futex'],
    fs1.map(f => f.message).join('\n'),
  );
  assert.match(fs1[0].message, /39 getpid \(common\) is in its original arch\/x86\/entry\/syscalls\/syscall_64\.tbl/);
  assert.match(fs1[1].message, /entry point sys_futex_time32 -> sys_futex/);
  assert.equal(fs1[1].related[0].location.file, at('arch/x86/entry/syscalls/syscall_64.tbl'));
  // Fix-all: the copy's lines are the original's, in the copy's columns; nothing left.
  const fixed = fixAll(text, fs1);
  assert.deepEqual(tblLines(PERF, fixed), tblLines('o', read('arch/x86/entry/syscalls/syscall_64.tbl')));
  assert.match(fixed, /^39\tcommon\tgetpid\t\t\tsys_getpid$/m);
  assert.deepEqual(mine(await check(at(PERF), fixed), ['tbl-drift']), []);
  // The original read through the Workspace: an edited buffer of it is what counts.
  const edited = read('arch/x86/entry/syscalls/syscall_64.tbl').replace('sys_fork', 'sys_vfork_x');
  const again = mine(await check(at(PERF), fixed, { [at('arch/x86/entry/syscalls/syscall_64.tbl')]: edited }), [
    'tbl-drift',
  ]);
  assert.deepEqual(
    again.map(f => f.syscall),
    ['fork'],
  );
});

test('a perf copy whose original the tree lacks says which paths were looked for', async () => {
  const rel = 'tools/perf/arch/s390/entry/syscalls/syscall.tbl';
  const fs1 = await check(at(rel), read(rel));
  const n = fs1.filter(f => f.code === 'not-checked');
  assert.equal(n.length, 1);
  assert.match(n[0].message, /arch\/s390\/kernel\/syscalls\/syscall\.tbl, arch\/s390\/entry\/syscalls\/syscall\.tbl/);
  assert.deepEqual(mine(fs1, ['tbl-drift']), []);
});

test('the tools asm-generic unistd.h two syscalls behind: which defines and __SYSCALL lines, fixed to the original', async () => {
  const text = read(GENERIC);
  const fs1 = mine(await check(at(GENERIC), text), ['copy-drift']);
  assert.equal(fs1.length, 2, fs1.map(f => f.message).join('\n'));
  assert.match(
    fs1[0].message,
    /`#define __NR_cachestat 451`, `__SYSCALL\(__NR_cachestat, sys_cachestat\)`, `#define __NR_fchmodat2 452`/,
  );
  assert.equal(fs1[0].syscall, 'cachestat');
  assert.match(fs1[1].message, /`#define __NR_syscalls 451` here, `#define __NR_syscalls 453` there/);
  assert.equal(fs1[1].range.start.line, 33);
  const fixed = fixAll(text, fs1);
  assert.deepEqual(headerLines(GENERIC, fixed), headerLines('o', read('include/uapi/asm-generic/unistd.h')));
  // The copy's own spacing stays where nothing changed.
  assert.match(fixed, /^#define __NR_futex_waitv\t449$/m);
  assert.deepEqual(mine(await check(at(GENERIC), fixed), ['copy-drift']), []);
  // Spacing and comments alone are no drift.
  const respaced = fixed.replace(/\t/g, '   ').replace('two syscalls behind', 'in step');
  assert.deepEqual(mine(await check(at(GENERIC), respaced), ['copy-drift']), []);
});

test('an arch header copy: a missing __ARCH_WANT switch and a changed number, told with the evaluated value', async () => {
  const text = read(ARC);
  const fs1 = mine(await check(at(ARC), text), ['copy-drift']);
  assert.deepEqual(
    fs1.map(f => f.range.start.line + 1),
    [7, 11],
  );
  assert.match(fs1[0].message, /`#define __ARCH_WANT_SYS_CLONE3` is missing/);
  assert.match(fs1[1].message, /\+ 1\)` here, `#define __NR_cacheflush \(__NR_arch_specific_syscall \+ 0\)` there/);
  const fixed = fixAll(text, fs1);
  assert.deepEqual(headerLines(ARC, fixed), headerLines('o', read('arch/arc/include/uapi/asm/unistd.h')));
  assert.deepEqual(mine(await check(at(ARC), fixed), ['copy-drift']), []);
});

test("x86's copy of a generated header against the .tbl it is generated from", async () => {
  const text = read(X86_64);
  const fs1 = mine(await check(at(X86_64), text), ['copy-drift', 'not-checked']);
  assert.deepEqual(
    fs1.map(f => `${f.range.start.line + 1} ${f.syscall} ${f.fixes.length}`),
    ['9 futex 1', '12 setns 0'],
  );
  assert.match(
    fs1[0].message,
    /__NR_futex is 203 here, but arch\/x86\/entry\/syscalls\/syscall_64\.tbl numbers futex 202/,
  );
  const fixed = fixAll(text, fs1);
  assert.match(fixed, /^#define __NR_futex 202$/m);
  assert.deepEqual(
    mine(await check(at(X86_64), fixed), ['copy-drift']).map(f => f.syscall),
    ['setns'],
  );
});

test('a header copy whose original the tree lacks says which path was looked for', async () => {
  const rel = 'tools/arch/arm64/include/uapi/asm/unistd.h';
  const fs1 = await check(at(rel), read(rel));
  assert.deepEqual(
    fs1.map(f => f.code),
    ['not-checked'],
  );
  assert.match(fs1[0].message, /has none of arch\/arm64\/include\/uapi\/asm\/unistd\.h/);
  // x86's generated headers name the .tbl too.
  const x32 = 'tools/arch/x86/include/uapi/asm/unistd_32.h';
  const n = await check(at(x32), '#define __NR_getpid 20\n');
  assert.match(
    n[0].message,
    /arch\/x86\/include\/uapi\/asm\/unistd_32\.h, arch\/x86\/entry\/syscalls\/syscall_32\.tbl/,
  );
});

test("UML's ptrace constants: a differing value fixed to the uapi one, a name defined twice with two values", async () => {
  const text = read(UML);
  const fs1 = mine(await check(at(UML), text), ['ptrace-mismatch', 'ptrace-redefined']);
  assert.deepEqual(fs1.map(f => `${f.range.start.line + 1} ${f.code} ${f.syscall}`).sort(), [
    '10 ptrace-mismatch PTRACE_SYSEMU',
    '17 ptrace-mismatch PTRACE_OLDSETOPTIONS',
    '17 ptrace-redefined PTRACE_OLDSETOPTIONS',
  ]);
  const sysemu = fs1.find(f => f.syscall === 'PTRACE_SYSEMU')!;
  assert.match(
    sysemu.message,
    /PTRACE_SYSEMU is 30 here .* arch\/x86\/include\/uapi\/asm\/ptrace-abi\.h:14 defines it as 31/,
  );
  const old = fs1.find(f => f.code === 'ptrace-mismatch' && f.syscall === 'PTRACE_OLDSETOPTIONS')!;
  assert.match(
    old.message,
    /PTRACE_SETOPTIONS \(0x4200\) here .* 21.*but PTRACE_SETOPTIONS \(include\/uapi\/linux\/ptrace\.h:12\)/,
  );
  const twice = fs1.find(f => f.code === 'ptrace-redefined')!;
  assert.match(twice.message, /21 at arch\/x86\/um\/shared\/sysdep\/ptrace_user\.h:4/);
  assert.equal(twice.related[0].location.file, at(SYSDEP));
  // The other side reports it too; i386's and x86_64's own values do not.
  const other = mine(await check(at(SYSDEP), read(SYSDEP)), ['ptrace-redefined']);
  assert.equal(other.length, 1);
  const p32 = 'arch/x86/um/shared/sysdep/ptrace_32.h';
  assert.deepEqual(mine(await check(at(p32), read(p32)), ['ptrace-redefined', 'ptrace-mismatch']), []);
  // Fix-all: the values are the uapi ones, and no mismatch or redefinition is left.
  const fixed = fixAll(text, fs1);
  assert.match(fixed, /^#define PTRACE_SYSEMU 31$/m);
  assert.match(fixed, /^#define PTRACE_OLDSETOPTIONS 21$/m);
  assert.deepEqual(mine(await check(at(UML), fixed), ['ptrace-mismatch', 'ptrace-redefined']), []);
  // One file defining a name twice in two branches of one #if is not a redefinition; in sequence it is.
  const branches = '#ifdef __i386__\n#define PTRACE_GETREGS 12\n#else\n#define PTRACE_GETREGS 99\n#endif\n';
  const b = await check(at(SYSDEP), branches);
  assert.deepEqual(
    b.filter(f => f.code === 'ptrace-redefined').map(f => f.syscall),
    [],
  );
  const seq = await check(at(SYSDEP), '#define PTRACE_GETREGS 12\n#undef PTRACE_GETREGS\n#define PTRACE_GETREGS 99\n');
  assert.deepEqual(
    seq.filter(f => f.code === 'ptrace-redefined').map(f => f.range.start.line),
    [0, 2],
  );
});

test('UML ptrace constants in a tree without the uapi headers: not-checked, naming them', async () => {
  const tree = scratch(TREE);
  fs.rmSync(path.join(tree, 'include', 'uapi', 'linux', 'ptrace.h'));
  fs.rmSync(path.join(tree, 'arch', 'x86', 'include', 'uapi', 'asm', 'ptrace-abi.h'));
  const fs1 = await check(path.join(tree, UML), read(UML));
  const n = fs1.filter(f => f.code === 'not-checked');
  assert.equal(n.length, 1);
  assert.match(n[0].message, /include\/uapi\/linux\/ptrace\.h, arch\/x86\/include\/uapi\/asm\/ptrace-abi\.h/);
  assert.deepEqual(mine(fs1, ['ptrace-mismatch']), []);
});

test('bad input: binary junk, malformed lines, an empty file, a missing original and a huge copy', async () => {
  const junk = '\u0000\u0001\u0002ELF\u0000'.repeat(50);
  for (const rel of [GENERIC, UML]) {
    const f = await check(at(rel), junk);
    assert.deepEqual(
      f.map(x => x.code),
      ['not-checked'],
      rel,
    );
    assert.match(f[0].message, /binary/);
  }
  // Malformed lines are lines like any other: drift, never a throw.
  const bad = read(GENERIC).replace('#define __NR_getcwd\t17', '#define\n__SYSCALL(__NR_getcwd,\n#if');
  const f = mine(await check(at(GENERIC), bad), ['copy-drift']);
  assert.ok(
    f.some(x => x.range.start.line === 19 && /`__SYSCALL\(__NR_getcwd,`/.test(x.message)),
    f.map(x => `${x.range.start.line} ${x.message}`).join('\n'),
  );
  const fixed = fixAll(bad, f);
  assert.deepEqual(headerLines(GENERIC, fixed), headerLines('o', read('include/uapi/asm-generic/unistd.h')));
  // An empty copy: one finding whose fix writes the original's lines.
  const empty = mine(await check(at(GENERIC), ''), ['copy-drift']);
  assert.equal(empty.length, 1);
  assert.deepEqual(
    headerLines(GENERIC, fixAll('', empty)),
    headerLines('o', read('include/uapi/asm-generic/unistd.h')),
  );
  assert.deepEqual(mine(await check(at(UML), ''), ['ptrace-mismatch', 'ptrace-redefined', 'not-checked']), []);
  // A copy that is nothing like its original: one finding, not thousands.
  const huge = Array.from({ length: 9000 }, (_, i) => `#define __NR_x${i} ${i}`).join('\n');
  const h = mine(await check(at(GENERIC), huge), ['copy-drift']);
  assert.equal(h.length, 1);
  assert.match(h[0].message, /differ in more than/);
});

test('hover: a UML constant with the kernel value and its other definitions; a copy line with the original', () => {
  const ws = {
    config: readConfig(undefined),
    read: (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
    list: () => [],
  };
  const u = umlPtraceFamily.analyze({ file: at(UML), text: read(UML) }, ws as never);
  const h = umlPtraceFamily.hover!(u.model!, { line: 16, character: 10 }, ws as never)!;
  assert.match(h.markdown, /\*\*PTRACE_OLDSETOPTIONS\*\* = PTRACE_SETOPTIONS \(0x4200\) here/);
  assert.match(h.markdown, /the kernel: 21 \(`arch\/x86\/include\/uapi\/asm\/ptrace-abi\.h:9`\)/);
  assert.match(h.markdown, /also 21 at `arch\/x86\/um\/shared\/sysdep\/ptrace_user\.h:4`/);
  assert.equal(umlPtraceFamily.hover!(u.model!, { line: 0, character: 0 }, ws as never), undefined);
  const g = toolsUnistdFamily.analyze({ file: at(GENERIC), text: read(GENERIC) }, ws as never);
  const same = toolsUnistdFamily.hover!(g.model!, { line: 19, character: 3 }, ws as never)!;
  assert.match(
    same.markdown,
    /`#define __NR_getcwd 17` here\n\nthe same in `include\/uapi\/asm-generic\/unistd\.h:20`/,
  );
  const changed = toolsUnistdFamily.hover!(g.model!, { line: 33, character: 3 }, ws as never)!;
  assert.match(changed.markdown, /`#define __NR_syscalls 453` in `include\/uapi\/asm-generic\/unistd\.h:38`/);
});
