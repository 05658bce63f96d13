// User-mode Linux on Linux 6.1 and 6.12 from Debian: every finding on UML's table files, its
// header and the x86 .tbl files it is built from, each confirmed in the tree by hand (the
// file:line in each expectation is where the kernel says so).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseUmlTable, UML_TABLES } from '../../server/src/families/linux/uml/model';
import { umlLines } from '../../server/src/families/linux/uml/lines';
import { readUmlTree } from '../../server/src/families/linux/uml/tree';
import { loadCatalogueFile } from '../../server/src/io/catalogueFile';
import { listDir } from '../../server/src/io/files';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { parseTbl } from '../../server/src/reference/linux/tbl';
import { CLI, realData, ROOT } from '../helpers/paths';

const real = realData();
const skip = real?.linux612 ? false : 'Linux 6.1 and 6.12 from Debian not available: run scripts/fetch-real-data.sh';
const FILES = [
  'arch/x86/um/sys_call_table_64.c',
  'arch/x86/um/sys_call_table_32.c',
  'arch/x86/um/shared/sysdep/syscalls_64.h',
  'arch/x86/um/shared/sysdep/syscalls_32.h',
  'arch/x86/entry/syscalls/syscall_64.tbl',
  'arch/x86/entry/syscalls/syscall_32.tbl',
];

function findings(root: string): string[] {
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'check',
      '--format',
      'json',
      '--min-severity',
      'information',
      '--kernel',
      root,
      ...FILES.map(f => path.join(root, f)),
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  assert.notEqual(r.status, 2, r.stderr);
  // The syscall a message is about: `154 modify_ldt: ...` on UML's files, `sys_modify_ldt` on the .tbl.
  const about = (m: string) => /^\d+ (\w+)/.exec(m)?.[1] ?? /\bsys_(\w+)/.exec(m)?.[1];
  const all = JSON.parse(r.stdout) as {
    file: string;
    range: { start: { line: number } };
    code: string;
    message: string;
  }[];
  return all
    .filter(f => f.code.startsWith('uml-'))
    .map(f => `${path.relative(root, f.file)}:${f.range.start.line + 1} ${f.code} ${about(f.message)}`)
    .sort();
}

test(
  'Linux 6.12: iopl, ioperm, vm86old, vm86 overridden; modify_ldt, uretprobe, map_shadow_stack ENOSYS; sys_modify_ldt declared for nothing',
  { skip },
  () => {
    assert.deepEqual(findings(real!.linux612!), [
      // x86_64: syscall_64.tbl:166 modify_ldt (only arch/x86/kernel/ldt.c:667; kernel/sys_ni.c:291),
      // :184/:185 iopl/ioperm (sys_call_table_64.c:22-23), :347 uretprobe (arch/x86/kernel/uprobes.c:365,
      // CONFIG_UPROBES; sys_ni.c:394), :379 map_shadow_stack (arch/x86/kernel/shstk.c:518,
      // CONFIG_X86_USER_SHADOW_STACK; sys_ni.c:294).
      'arch/x86/entry/syscalls/syscall_32.tbl:116 uml-override ioperm',
      'arch/x86/entry/syscalls/syscall_32.tbl:125 uml-override iopl',
      'arch/x86/entry/syscalls/syscall_32.tbl:128 uml-override vm86old',
      'arch/x86/entry/syscalls/syscall_32.tbl:138 uml-enosys modify_ldt',
      'arch/x86/entry/syscalls/syscall_32.tbl:181 uml-override vm86',
      'arch/x86/entry/syscalls/syscall_32.tbl:461 uml-enosys map_shadow_stack',
      'arch/x86/entry/syscalls/syscall_64.tbl:166 uml-enosys modify_ldt',
      'arch/x86/entry/syscalls/syscall_64.tbl:184 uml-override iopl',
      'arch/x86/entry/syscalls/syscall_64.tbl:185 uml-override ioperm',
      'arch/x86/entry/syscalls/syscall_64.tbl:347 uml-enosys uretprobe',
      'arch/x86/entry/syscalls/syscall_64.tbl:379 uml-enosys map_shadow_stack',
      // syscalls_64.h:25 `extern syscall_handler_t sys_modify_ldt;`: UML's ldt.c is gone (6.1 had it).
      'arch/x86/um/shared/sysdep/syscalls_64.h:25 uml-stale modify_ldt',
      'arch/x86/um/sys_call_table_32.c:22 uml-override iopl',
      'arch/x86/um/sys_call_table_32.c:23 uml-override ioperm',
      'arch/x86/um/sys_call_table_32.c:25 uml-override vm86old',
      'arch/x86/um/sys_call_table_32.c:26 uml-override vm86',
      'arch/x86/um/sys_call_table_32.c:37 uml-enosys map_shadow_stack',
      'arch/x86/um/sys_call_table_32.c:37 uml-enosys modify_ldt',
      'arch/x86/um/sys_call_table_64.c:22 uml-override iopl',
      'arch/x86/um/sys_call_table_64.c:23 uml-override ioperm',
      'arch/x86/um/sys_call_table_64.c:33 uml-enosys map_shadow_stack',
      'arch/x86/um/sys_call_table_64.c:33 uml-enosys modify_ldt',
      'arch/x86/um/sys_call_table_64.c:33 uml-enosys uretprobe',
    ]);
  },
);

test("Linux 6.1: the same overrides; modify_ldt is UML's own; only lookup_dcookie is ENOSYS", { skip }, () => {
  assert.deepEqual(findings(real!.linux), [
    // lookup_dcookie: no definition anywhere in 6.1 (fs/dcookies.c went in 5.x), kernel/sys_ni.c:60.
    'arch/x86/entry/syscalls/syscall_32.tbl:115 uml-override ioperm',
    'arch/x86/entry/syscalls/syscall_32.tbl:124 uml-override iopl',
    'arch/x86/entry/syscalls/syscall_32.tbl:127 uml-override vm86old',
    'arch/x86/entry/syscalls/syscall_32.tbl:180 uml-override vm86',
    'arch/x86/entry/syscalls/syscall_32.tbl:267 uml-enosys lookup_dcookie',
    'arch/x86/entry/syscalls/syscall_64.tbl:183 uml-override iopl',
    'arch/x86/entry/syscalls/syscall_64.tbl:184 uml-override ioperm',
    'arch/x86/entry/syscalls/syscall_64.tbl:223 uml-enosys lookup_dcookie',
    'arch/x86/um/sys_call_table_32.c:18 uml-override iopl',
    'arch/x86/um/sys_call_table_32.c:19 uml-override ioperm',
    'arch/x86/um/sys_call_table_32.c:21 uml-override vm86old',
    'arch/x86/um/sys_call_table_32.c:22 uml-override vm86',
    'arch/x86/um/sys_call_table_32.c:35 uml-enosys lookup_dcookie',
    'arch/x86/um/sys_call_table_64.c:18 uml-override iopl',
    'arch/x86/um/sys_call_table_64.c:19 uml-override ioperm',
    'arch/x86/um/sys_call_table_64.c:30 uml-enosys lookup_dcookie',
  ]);
});

// 4.17-5.6 spelt the 64-bit table's entries `__x64_sys_x`; UML has no such symbols, and its build
// broke until syscalltbl.sh learnt to give UML `sys_x` (seed 001's thread). The legacy tables of
// that era against 6.12's UML table file, tree facts and catalogue:
const LEGACY = path.join(ROOT, '..', 'shared', 'data', 'linux-legacy', 'x86');
const legacySkip =
  fs.existsSync(LEGACY) && real?.linux612 ? false : 'the legacy x86 tables or Linux 6.12 are not available';

test('the 4.17-5.6 __x64_sys_* tables: UML links them only with the stripping generator', { skip: legacySkip }, t => {
  const root = real!.linux612!;
  const ref = linuxReference(loadCatalogueFile(path.join(ROOT, 'data', 'catalogue.json.gz')));
  const table = UML_TABLES.find(t => t.bits === 64)!;
  const file = parseUmlTable(table.table, fs.readFileSync(path.join(root, table.table), 'utf8'), table);
  const io = { read: (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined), list: listDir };
  const tree = readUmlTree(root, 64, io);
  assert.equal(tree.stripsX64, false, '6.12 has no syscalltbl.sh: its .tbl names sys_x');
  const figures: string[] = [];
  for (const version of ['linux-4.19.1', 'linux-5.0.1', 'linux-5.4.0']) {
    const rel = 'arch/x86/entry/syscalls/syscall_64.tbl';
    const tbl = parseTbl(rel, fs.readFileSync(path.join(LEGACY, version, rel), 'utf8'));
    const spelt = tbl.entries.filter(e => table.tags.includes(e.abi) && e.entry?.startsWith('__x64_sys_'));
    assert.ok(spelt.length > 300, `${version}: ${spelt.length} lines spelt __x64_sys_*`);
    const broken = umlLines(table, tbl.entries, file, { ...tree, stripsX64: false }, ref as never);
    const wrappers = broken.filter(l => l.status === 'unlinkable' && /no pt_regs wrapper/.test(l.why));
    assert.equal(wrappers.length, spelt.length, `${version}: every __x64_sys_* line is one UML cannot link`);
    const fixed = umlLines(table, tbl.entries, file, { ...tree, stripsX64: true }, ref as never);
    assert.deepEqual(
      fixed.filter(l => /no pt_regs wrapper/.test(l.why)),
      [],
    );
    // What is still unlinkable once stripped is only what 6.12 no longer has at all.
    const left = fixed.filter(l => l.status === 'unlinkable').map(l => l.symbol);
    for (const s of left) assert.equal(ref.definitions!(s!).filter(p => p.kind !== 'declaration').length, 0, s);
    figures.push(
      `${version}: ${spelt.length} __x64_sys_* lines unlinkable without the generator, ${left.length} left with it (${left.join(', ')})`,
    );
  }
  assert.equal(figures.length, 3);
  for (const f of figures) t.diagnostic(f);
});
