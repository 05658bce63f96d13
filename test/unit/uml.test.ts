// User-mode Linux's x86 tables on a small tree of the real formats (test/fixtures/linux-uml):
// what UML makes of each host `.tbl` line, the overrides, stale overrides and declarations,
// the 4.17-5.6 `__x64_sys_*` spelling with and without the generator that strips it, and
// the same on the `.tbl` lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { hover } from '../../server/src/analysis/hover';
import { definitions } from '../../server/src/analysis/definition';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { readConfig } from '../../server/src/core/config';
import { umlContext } from '../../server/src/families/linux/uml/context';
import { parseUmlTable, UML_TABLES, umlFileOf } from '../../server/src/families/linux/uml/model';
import { condSyscalls, generatorStripsX64, umlBuild, umlBuilds } from '../../server/src/families/linux/uml/tree';
import { indexKernel } from '../../server/src/io/kernelIndex';
import { listDir } from '../../server/src/io/files';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { Catalogue } from '../../server/src/reference/linux/catalogue';
import { analyzeText } from '../helpers/engine';
import { CLI, FIXTURES, scratch } from '../helpers/paths';

const TREE = path.join(FIXTURES, 'linux-uml');
const T64 = 'arch/x86/um/sys_call_table_64.c';
const T32 = 'arch/x86/um/sys_call_table_32.c';
const TBL64 = 'arch/x86/entry/syscalls/syscall_64.tbl';
const read = (root: string, rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const ws = (cat: Catalogue) => ({
  kernel: linuxReference(cat),
  config: readConfig(undefined),
  read: (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
  list: listDir,
});
const statuses = async (root: string, bits: 32 | 64) => {
  const ctx = umlContext(
    root,
    UML_TABLES.find(t => t.bits === bits)!,
    ws(await indexKernel(root)),
  );
  assert.ok(typeof ctx === 'object', String(ctx));
  return Object.fromEntries(ctx.lines.map(l => [`${l.entry.number} ${l.entry.name}`, l.status]));
};
const codes = (fs_: { code: string; range: { start: { line: number } }; syscall?: string }[]) =>
  fs_.map(f => `${f.range.start.line + 1}:${f.code}:${f.syscall ?? ''}`).sort();

test('the files and their parts', () => {
  assert.equal(umlFileOf('/k/arch/x86/um/sys_call_table_64.c')?.root, '/k');
  assert.equal(umlFileOf('arch/x86/um/sys_call_table_64.c')?.root, '.');
  assert.equal(umlFileOf('/k/arch/x86/um/shared/sysdep/syscalls_32.h')?.role, 'header');
  assert.equal(umlFileOf('/k/arch/x86/um/syscalls_64.c'), undefined);
  const f = parseUmlTable(T64, read(TREE, T64), UML_TABLES[0]);
  assert.deepEqual(
    f.overrides.map(o => [o.line + 1, o.from, o.to, o.why]),
    [
      [17, 'sys_iopl', 'sys_ni_syscall', 'Not going to be implemented by UML, since we have no hardware.'],
      [18, 'sys_ioperm', 'sys_ni_syscall', 'Not going to be implemented by UML, since we have no hardware.'],
      [21, 'stub_clone', 'sys_clone', 'Left from the days of stub_* entries.'],
    ],
  );
  assert.deepEqual(
    f.includes.map(i => i.line + 1),
    [26, 31],
  );
  assert.equal(f.qualifiers, undefined, 'the table ignores qualifiers');
  const b64 = umlBuild(read(TREE, 'arch/x86/um/Makefile'), 64);
  const b32 = umlBuild(read(TREE, 'arch/x86/um/Makefile'), 32);
  assert.ok(umlBuilds(b64, 'arch/x86/um/syscalls_64.c') && !umlBuilds(b64, 'arch/x86/um/syscalls_32.c'));
  assert.ok(umlBuilds(b32, 'arch/x86/kernel/sys_ia32.c') && !umlBuilds(b64, 'arch/x86/kernel/sys_ia32.c'));
  assert.ok(umlBuilds(b64, 'arch/x86/um/os-Linux/mem.c') && umlBuilds(b64, 'fs/read_write.c'));
  assert.ok(!umlBuilds(b64, 'arch/x86/kernel/ldt.c'));
  assert.deepEqual(
    [...condSyscalls(read(TREE, 'kernel/sys_ni.c'))],
    [
      ['sys_lookup_dcookie', 19],
      ['sys_vm86old', 22],
      ['sys_modify_ldt', 23],
      ['sys_uretprobe', 25],
    ],
  );
  assert.deepEqual(
    [...condSyscalls('cond_syscall(sys_quotactl);\nCOND_SYSCALL_COMPAT(ppoll);\n').keys()],
    ['sys_quotactl', 'compat_sys_ppoll'],
  );
});

test('what UML makes of each line of the 64-bit and the 32-bit table', async () => {
  assert.deepEqual(await statuses(TREE, 64), {
    '0 read': 'generic',
    '9 mmap': 'uml',
    '15 rt_sigreturn': 'uml', // a plain `long sys_rt_sigreturn(void)`, as in 6.1
    '154 modify_ldt': 'enosys',
    '158 arch_prctl': 'uml',
    '172 iopl': 'overridden',
    '173 ioperm': 'overridden',
    '205 set_thread_area': 'not-implemented',
    '212 lookup_dcookie': 'enosys',
    '335 uretprobe': 'enosys',
    '336 frobnicate': 'unlinkable',
    '337 fancy_wrapper': 'unlinkable',
  });
  assert.deepEqual(await statuses(TREE, 32), {
    '3 read': 'generic',
    '110 iopl': 'overridden',
    '113 vm86old': 'overridden',
    '123 modify_ldt': 'enosys',
    '180 pread64': 'uml', // arch/x86/kernel/sys_ia32.c, which UML's Makefile borrows for 32-bit
    '243 set_thread_area': 'uml',
  });
});

test('findings on the table files and the header, with their reasons and evidence', async () => {
  const cat = await indexKernel(TREE);
  const a = await analyzeText(path.join(TREE, T64), read(TREE, T64), cat);
  assert.deepEqual(codes(a.findings), [
    '17:uml-override:iopl',
    '18:uml-override:ioperm',
    '21:uml-stale:clone',
    '31:uml-enosys:lookup_dcookie',
    '31:uml-enosys:modify_ldt',
    '31:uml-enosys:uretprobe',
    '31:uml-unlinkable:fancy_wrapper',
    '31:uml-unlinkable:frobnicate',
  ]);
  const by = (s: string) => a.findings.find(f => f.syscall === s)!;
  assert.match(
    by('uretprobe').message,
    /`sys_uretprobe` is defined only in arch\/x86\/kernel\/uprobes\.c:4 \(built under CONFIG_UPROBES, arch\/x86\/kernel\/Makefile:6\), which UML does not build; kernel\/sys_ni\.c:26 makes it a weak alias of sys_ni_syscall/,
  );
  assert.ok(
    by('uretprobe').related.some(
      r => r.location.file.endsWith('kernel/sys_ni.c') && r.location.range.start.line === 25,
    ),
  );
  assert.ok(by('uretprobe').related.some(r => r.location.file.endsWith(TBL64) && r.location.range.start.line === 20));
  assert.match(
    by('fancy_wrapper').message,
    /no pt_regs wrapper.*4\.17-5\.6's arch\/x86\/entry\/syscalls\/syscalltbl\.sh stripped/,
  );
  assert.equal(by('fancy_wrapper').severity, 'error');
  assert.match(by('frobnicate').message, /nothing in the tree defines `sys_frobnicate`.*no COND_SYSCALL/);
  assert.match(
    by('clone').message,
    /no line of arch\/x86\/entry\/syscalls\/syscall_64\.tbl \(common, 64\) names stub_clone/,
  );
  assert.match(
    by('iopl').message,
    /172 iopl: UML gives the guest ENOSYS instead of sys_iopl \(“Not going to be implemented/,
  );
  const h = await analyzeText(
    path.join(TREE, 'arch/x86/um/shared/sysdep/syscalls_64.h'),
    read(TREE, 'arch/x86/um/shared/sysdep/syscalls_64.h'),
    cat,
  );
  assert.deepEqual(codes(h.findings), ['12:uml-stale:modify_ldt']);
  assert.match(h.findings[0].message, /only arch\/x86\/kernel\/ldt\.c:4/);
  assert.deepEqual(h.findings[0].fixes, [], "UML's table still names sys_modify_ldt: removing it would not build");
  const b = await analyzeText(path.join(TREE, T32), read(TREE, T32), cat);
  assert.deepEqual(codes(b.findings), ['13:uml-override:iopl', '15:uml-override:vm86old', '25:uml-enosys:modify_ldt']);
});

test('hover and definition on the table file: the lines an override changes, the table in sum', async () => {
  const cat = await indexKernel(TREE);
  const file = path.join(TREE, T64);
  const text = read(TREE, T64);
  const a = await analyzeText(file, text, cat);
  const w = ws(cat);
  const o = hover(a, text, { line: 16, character: 9 }, w)!.markdown;
  assert.match(o, /\*\*#define sys_iopl sys_ni_syscall\*\* — Not going to be implemented by UML/);
  assert.match(o, /- 172 iopl \(arch\/x86\/entry\/syscalls\/syscall_64\.tbl:17\)/);
  const sum = hover(a, text, { line: 30, character: 3 }, w)!.markdown;
  assert.match(sum, /UML's 64-bit table\*\*: 12 lines of arch\/x86\/entry\/syscalls\/syscall_64\.tbl \(common, 64\)/);
  assert.match(sum, /\| generic code \| 1 \|/);
  assert.match(sum, /\| UML's own code \| 3 \|/);
  assert.match(sum, /- 335 uretprobe: `sys_uretprobe` is defined only in arch\/x86\/kernel\/uprobes\.c:4/);
  const def = definitions(a, { line: 16, character: 9 }, w);
  assert.deepEqual(
    def.map(l => [path.relative(TREE, l.file), l.range.start.line]),
    [[TBL64, 16]],
  );
});

test('fix-all removes the stale override and leaves a file with no stale finding', async () => {
  const cat = await indexKernel(TREE);
  const file = path.join(TREE, T64);
  const text = read(TREE, T64);
  const a = await analyzeText(file, text, cat);
  const fixed = applyEdits(text, fixAllEdits(a.findings));
  assert.ok(!fixed.includes('#define stub_clone') && fixed.includes('#define sys_iopl sys_ni_syscall'));
  const again = await analyzeText(file, fixed, cat);
  assert.deepEqual(
    again.findings.filter(f => f.code === 'uml-stale'),
    [],
  );
  assert.equal(applyEdits(fixed, fixAllEdits(again.findings)), fixed);
});

test('the .tbl lines say what UML makes of them, on the line and in the hover', async () => {
  const cat = await indexKernel(TREE);
  const file = path.join(TREE, TBL64);
  const text = read(TREE, TBL64);
  const a = await analyzeText(file, text, cat);
  assert.deepEqual(codes(a.findings.filter(f => f.code.startsWith('uml-'))), [
    '15:uml-enosys:modify_ldt',
    '17:uml-override:iopl',
    '18:uml-override:ioperm',
    '20:uml-enosys:lookup_dcookie',
    '21:uml-enosys:uretprobe',
    '22:uml-unlinkable:frobnicate',
    '23:uml-unlinkable:fancy_wrapper',
  ]);
  const ldt = a.findings.find(f => f.syscall === 'modify_ldt')!;
  assert.deepEqual(ldt.range, { start: { line: 14, character: 23 }, end: { line: 14, character: 37 } });
  const iopl = a.findings.find(f => f.syscall === 'iopl')!;
  assert.ok(iopl.related.some(r => r.location.file.endsWith(T64) && r.location.range.start.line === 16));
  const w = ws(cat);
  const card = hover(a, text, { line: 12, character: 1 }, w)!.markdown;
  assert.match(
    card,
    /\*\*User-mode Linux\*\* \(arch\/x86\/um\/sys_call_table_64\.c\): implemented by UML: `sys_mmap` at arch\/x86\/um\/syscalls_64\.c:9/,
  );
  assert.match(card, /the kernel calls `__x64_sys_mmap`/);
  // Not UML's: x32 lines get no UML line.
  assert.doesNotMatch(hover(a, text, { line: 23, character: 1 }, w)!.markdown, /User-mode Linux/);
  // A copy of the table elsewhere (QEMU's) says nothing of UML.
  const q = await analyzeText('/q/linux-user/x86_64/syscall_64.tbl', text, cat);
  assert.deepEqual(
    q.findings.filter(f => f.code.startsWith('uml-')),
    [],
  );
});

test("4.17-5.6's __x64_sys_* spelling: UML links it only where the generator strips the prefix", async () => {
  const root = scratch(TREE);
  const tbl = path.join(root, TBL64);
  const plain = read(root, TBL64);
  fs.writeFileSync(tbl, plain.replace(/\tsys_(\w+)$/gm, '\t__x64_sys_$1'));
  const without = await statuses(root, 64);
  assert.equal(without['0 read'], 'unlinkable');
  assert.equal(without['9 mmap'], 'unlinkable');
  assert.equal(without['172 iopl'], 'unlinkable', 'the override names sys_iopl, which the table no longer does');
  // The generator of those kernels gives UML `sys_x` for `__x64_sys_x`.
  fs.writeFileSync(
    path.join(root, 'arch/x86/entry/syscalls/syscalltbl.sh'),
    '#!/bin/sh\nemit() {\n    entry="$3"\n    # UML has no __x64_ wrappers: give it the plain name\n    if [ "${entry}" != "${entry#__x64_sys}" ]; then\n\tumlentry="sys${entry#__x64_sys}"\n    fi\n}\n',
  );
  const stripped = await statuses(root, 64);
  const expected = await statuses(TREE, 64);
  assert.deepEqual(stripped, { ...expected, '337 fancy_wrapper': 'unlinkable' });
  assert.ok(generatorStripsX64(read(root, 'arch/x86/entry/syscalls/syscalltbl.sh')));
  // 4.10-4.16's `/ptregs`: UML's `__SYSCALL_64(nr, sym, qual)` ignores it, a table that pastes it needs the macro.
  fs.writeFileSync(tbl, plain.replace('\tsys_rt_sigreturn', '\tsys_rt_sigreturn/ptregs'));
  assert.equal((await statuses(root, 64))['15 rt_sigreturn'], 'uml');
  const t64 = path.join(root, T64);
  fs.writeFileSync(
    t64,
    read(root, T64).replace(
      '#define __SYSCALL(nr, sym) sym,',
      '#define __SYSCALL_64(nr, sym, qual) __SYSCALL_64_QUAL_##qual(sym),\n#define __SYSCALL_64_QUAL_(sym) sym',
    ),
  );
  assert.equal((await statuses(root, 64))['15 rt_sigreturn'], 'unlinkable');
});

test("without the tree's own catalogue: not-checked, saying what to supply", async () => {
  const a = await analyzeText(path.join(TREE, T64), read(TREE, T64), undefined);
  assert.deepEqual(codes(a.findings), ['1:not-checked:']);
  assert.match(a.findings[0].message, /no catalogue of .*linux-uml/);
  const other = await indexKernel(path.join(FIXTURES, 'linux'));
  const b = await analyzeText(path.join(TREE, T64), read(TREE, T64), other);
  assert.match(b.findings[0].message, /is another tree; point systab\.kernelPath or --kernel at/);
});

test('bad input: binary junk, a huge file, missing tree files, malformed lines', async () => {
  const cat = await indexKernel(TREE);
  const file = path.join(TREE, T64);
  const junk = await analyzeText(file, 'ELF\u0000\u0001\u0002\u0003\u0004garbage', cat);
  assert.deepEqual(codes(junk.findings), ['1:malformed-line:']);
  assert.match(junk.findings[0].message, /binary, not UML's syscall table/);
  // Lines that are no #define, a #define with no value, one function-like, an unterminated comment.
  const odd = read(TREE, T64).replace(
    '#define sys_ioperm sys_ni_syscall',
    '#define sys_ioperm\n#define sys_vm86(x) sys_ni_syscall\nint x = ;\n/* never closed',
  );
  const a = await analyzeText(file, odd, cat);
  assert.ok(!a.findings.some(f => f.syscall === 'ioperm' && f.code === 'uml-override'), 'no override for ioperm');
  assert.ok(a.findings.some(f => f.syscall === 'iopl' && f.code === 'uml-override'));
  // A tree without kernel/sys_ni.c, the Makefiles and the header: the lines still resolve; ENOSYS turns unlinkable.
  const root = scratch(TREE);
  for (const rel of ['kernel/sys_ni.c', 'arch/x86/um/Makefile', 'arch/x86/kernel/Makefile'])
    fs.rmSync(path.join(root, rel));
  const s = await statuses(root, 64);
  assert.equal(s['154 modify_ldt'], 'unlinkable');
  assert.equal(s['0 read'], 'generic');
  assert.equal(s['158 arch_prctl'], 'unlinkable', 'without the Makefile nothing in arch/x86/um counts as built');
  // The host table gone: not-checked says so.
  fs.rmSync(path.join(root, TBL64));
  const gone = await analyzeText(path.join(root, T64), read(root, T64), await indexKernel(root));
  assert.deepEqual(codes(gone.findings), ['1:not-checked:']);
  assert.match(
    gone.findings[0].message,
    /built from arch\/x86\/entry\/syscalls\/syscall_64\.tbl, which the tree does not have/,
  );
  // A huge table file is reported, not read.
  const big = path.join(root, T64);
  fs.writeFileSync(big, '#define sys_iopl sys_ni_syscall\n'.repeat(300_000));
  const r = spawnSync(process.execPath, [CLI, 'check', '--kernel', root, big], { encoding: 'utf8' });
  assert.notEqual(r.status, 2, r.stderr);
  assert.match(r.stdout, /more than systab reads/);
});
