// ARM's table before syscall.tbl: calls.S and unistd.h in each generation's format
// (test/fixtures/arm-legacy/2.6: 2.6.11's `.long` rows; arm-legacy/3.x: 2.6.16-3.6's CALL rows
// and asm/unistd.h; linux-arm: 3.7-4.9's uapi header, an indexable tree), as a reference
// source and as a family whose two files are checked against each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { readConfig } from '../../server/src/core/config';
import type { Finding } from '../../server/src/core/types';
import { armCallsFamily } from '../../server/src/families/linux/armCalls/family';
import { indexKernel } from '../../server/src/io/kernelIndex';
import { abiById, tableSourceText } from '../../server/src/reference/linux/abis';
import {
  ARM_CALLS,
  ARM_UNISTD,
  armTables,
  parseArmUnistd,
  parseCallsS,
} from '../../server/src/reference/linux/armCalls';
import { linuxReference } from '../../server/src/reference/linux/reference';
import type { KernelReference } from '../../server/src/reference/reference';
import { FIXTURES } from '../helpers/paths';

const NEW = path.join(FIXTURES, 'linux-arm');
const OLD = path.join(FIXTURES, 'arm-legacy', '2.6');
const MID = path.join(FIXTURES, 'arm-legacy', '3.x');
const UAPI = ARM_UNISTD[0];
const ASM = ARM_UNISTD[1];
const ASM_ARM = ARM_UNISTD[2];
const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);

/** Analyse one file of a tree whose other files may be replaced in memory. */
function check(root: string, rel: string, over: Record<string, string> = {}, kernel?: KernelReference) {
  const text = over[rel] ?? read(path.join(root, rel))!;
  const ws = {
    kernel,
    config: readConfig(undefined),
    read: (f: string) => {
      const r = path.relative(root, f);
      return r in over ? over[r] : read(f);
    },
    list: () => [],
  };
  const file = path.join(root, rel);
  return { ...armCallsFamily.analyze({ file, text }, ws as never), file, text, ws };
}
const summary = (fs: Finding[]) => fs.map(f => `${f.range.start.line + 1} ${f.code}`).sort();
const both = (root: string, header: string, over: Record<string, string> = {}) => [
  ...check(root, ARM_CALLS, over).findings,
  ...check(root, header, over).findings,
];
const file = (root: string, rel: string) => read(path.join(root, rel))!;
/** Text with a line inserted before the first line matching `at`. */
const insertBefore = (text: string, at: RegExp, line: string) => {
  const ls = text.split('\n');
  const i = ls.findIndex(l => at.test(l));
  assert.ok(i >= 0, `no line matches ${at}`);
  ls.splice(i, 0, line);
  return ls.join('\n');
};

test('calls.S: rows of each form, markers, ABI/OBSOLETE/NATIVE, padding, exact ranges', () => {
  const c = parseCallsS(file(NEW, ARM_CALLS));
  assert.equal(c.form, 'call');
  assert.equal(c.rows.length, 30);
  assert.equal(c.padded, true, 'the .rept syscalls_padding rows are padding, not rows');
  assert.deepEqual(c.problems, []);
  const r13 = c.rows[13];
  assert.deepEqual(
    [r13.entry, r13.obsolete, r13.comment, r13.call],
    ['sys_time', true, 'used by libc4', 'OBSOLETE(sys_time)'],
  );
  const r15 = c.rows[15];
  assert.equal(r15.marker?.number, 15);
  const line = file(NEW, ARM_CALLS).split('\n')[r15.line];
  const at = (r: { start: { character: number }; end: { character: number } }) =>
    line.slice(r.start.character, r.end.character);
  assert.equal(at(r15.marker!.range), '15');
  assert.equal(at(r15.ranges.call), 'sys_chmod');
  assert.equal(at(r15.ranges.row), 'CALL(sys_chmod)', 'the row without its marker');

  const forms = parseCallsS(
    [
      '/* 0 */\tCALL(OBSOLETE(ABI(sys_ipc, sys_oabi_ipc)))',
      '\t\tCALL(ABI(sys_pread64, sys_oabi_pread64))',
      '\t\tCALL(NATIVE(sys_foo))\t@ an assembler comment',
      '/* vserver */\tCALL(sys_ni_syscall)',
      '\t\tCALL(sys_bad-1)',
      '\t\tmov r0, r1',
    ].join('\n'),
  );
  assert.deepEqual(
    forms.rows.map(r => `${r.number} ${r.entry} ${r.compat ?? '-'} ${r.obsolete} ${r.marker?.number ?? '-'}`),
    [
      '0 sys_ipc sys_oabi_ipc true 0',
      '1 sys_pread64 sys_oabi_pread64 false -',
      '2 sys_foo - false -',
      '3 sys_ni_syscall - false -',
    ],
  );
  assert.deepEqual(
    forms.problems.map(p => p.line),
    [4, 5],
    'an unreadable call and a line that is no row',
  );

  const old = parseCallsS(file(OLD, ARM_CALLS));
  assert.equal(old.form, 'long');
  assert.equal(old.rows.length, 24, 'the .long in the .rept block is padding');
  assert.equal(old.nrSyscalls?.value, 24);
});

test('unistd.h: numbers from the base, aliases, private calls, the EABI #undef list, __NR_syscalls', () => {
  const u = parseArmUnistd(file(NEW, UAPI));
  assert.equal(u.numbers.length, 26);
  assert.deepEqual(
    u.numbers.slice(0, 3).map(n => `${n.name}=${n.number}`),
    ['restart_syscall=0', 'exit=1', 'fork=2'],
  );
  assert.equal(u.oabiBase, 0x900000);
  assert.equal(u.eabi, true);
  assert.deepEqual(
    u.private.map(p => `${p.name}=${p.number}`),
    ['breakpoint=1', 'cacheflush=2', 'usr26=3', 'usr32=4', 'set_tls=5'],
  );
  assert.equal(u.privateBase, 0x0f0000);
  assert.deepEqual(
    u.eabiUndefs.map(x => x.name),
    ['time', 'umount', 'stime', 'alarm'],
  );
  const lseek = u.numbers.find(n => n.name === 'lseek')!;
  const l = file(NEW, UAPI).split('\n')[lseek.line];
  assert.equal(l.slice(lseek.ranges.number!.start.character, lseek.ranges.number!.end.character), '19');
  assert.equal(parseArmUnistd(file(NEW, ASM)).nrSyscalls?.value, 32);
  assert.equal(parseArmUnistd(file(NEW, ASM)).numbers.length, 0);

  const old = parseArmUnistd(file(OLD, ASM_ARM));
  assert.equal(old.eabi, false, '2.6.11 knows no EABI');
  assert.equal(old.numbers.length, 21, 'the _syscallN macros and C lines are not numbers');
  assert.deepEqual(old.problems, []);
  assert.equal(old.private.find(p => p.name === 'set_tls')?.number, 0x800);

  const mid = parseArmUnistd(file(MID, ASM));
  assert.deepEqual(
    mid.private.map(p => p.name),
    ['breakpoint', 'cacheflush', 'usr26', 'usr32', 'set_tls', 'cmpxchg'],
  );
  assert.deepEqual(
    mid.eabiUndefs.map(x => x.name),
    ['time', 'umount', 'stime', 'alarm'],
  );
  const alias = parseArmUnistd(
    '#define __NR_arm_sync_file_range (__NR_SYSCALL_BASE+341)\n#define __NR_sync_file_range2 __NR_arm_sync_file_range\n',
  );
  assert.deepEqual(alias.aliases, [{ name: 'sync_file_range2', target: 'arm_sync_file_range', line: 1 }]);
});

test('CRLF line endings read the same', () => {
  const crlf = (t: string) => t.replace(/\n/g, '\r\n');
  for (const root of [NEW, OLD, MID]) {
    const unistd = new Map<string, string>();
    const crlfUnistd = new Map<string, string>();
    for (const rel of ARM_UNISTD) {
      const t = read(path.join(root, rel));
      if (t !== undefined) (unistd.set(rel, t), crlfUnistd.set(rel, crlf(t)));
    }
    const calls = file(root, ARM_CALLS);
    const ids = { eabi: 'arm-eabi', oabi: 'arm-oabi' };
    assert.deepEqual(armTables({ calls: crlf(calls), unistd: crlfUnistd }, ids), armTables({ calls, unistd }, ids));
    const over: Record<string, string> = { [ARM_CALLS]: crlf(calls) };
    for (const [rel, t] of crlfUnistd) over[rel] = t;
    const header = [...unistd.keys()].find(rel => /__NR_SYSCALL_BASE\+/.test(unistd.get(rel)!))!;
    assert.deepEqual(summary(both(root, header, over)), [], `${root} in CRLF`);
  }
});

test('a tree without syscall.tbl: the index gives the EABI and OABI tables from calls.S', async () => {
  const ref = linuxReference(await indexKernel(NEW));
  const eabi = abiById('arm-eabi')!;
  const oabi = abiById('arm-oabi')!;
  assert.deepEqual(ref.tableOf(eabi), { table: ARM_CALLS, tags: ['arm-eabi'] });
  const rows = (es: { number: number; name: string; entry?: string }[]) =>
    es.map(e => `${e.number} ${e.name} ${e.entry ?? '-'}`);
  const o = rows(ref.entries(oabi)!);
  const e = rows(ref.entries(eabi)!);
  assert.equal(o.length, 26, 'every numbered row');
  assert.deepEqual(
    o.filter(x => !e.includes(x)),
    ['13 time sys_time', '22 umount sys_oldumount', '25 stime sys_stime', '27 alarm sys_alarm'],
    'OBSOLETE rows are OABI only',
  );
  assert.ok(
    o.includes('16 lchown sys_lchown16') && !o.some(x => x.startsWith('7 ')),
    'named by unistd.h; holes have no line',
  );
  assert.equal(ref.entries(oabi)![3].line, parseCallsS(file(NEW, ARM_CALLS)).rows[3].line, 'lines are calls.S lines');
  assert.match(tableSourceText(ref.tableOf(oabi)!), /calls\.S with its unistd\.h's names \(arm-oabi\)/);
  // 2.6.11 had OABI only.
  const old = armTables(
    { calls: file(OLD, ARM_CALLS), unistd: new Map([[ASM_ARM, file(OLD, ASM_ARM)]]) },
    { eabi: 'arm-eabi', oabi: 'arm-oabi' },
  );
  assert.deepEqual([...new Set(old.map(x => x.abi))], ['arm-oabi']);
});

test('consistent trees of every generation: no finding', () => {
  assert.deepEqual(summary(both(NEW, UAPI)), []);
  assert.deepEqual(summary(both(OLD, ASM_ARM)), []);
  assert.deepEqual(summary(both(MID, ASM)), []);
});

test('a row inserted without renumbering: one finding where it is, though the padding hides it', () => {
  const calls = insertBefore(file(NEW, ARM_CALLS), /CALL\(sys_mknod\)/, '\t\tCALL(sys_vendor_call)');
  const r = check(NEW, ARM_CALLS, { [ARM_CALLS]: calls });
  const line = calls.split('\n').findIndex(l => l.includes('sys_vendor_call'));
  assert.deepEqual(summary(r.findings), [`${line + 1} row-misnumbered`]);
  assert.match(
    r.findings[0].message,
    /a row inserted here without renumbering: the rows from row 15 \(sys_mknod\) to row 30 \(sys_pause\) are each 1 place past/,
  );
  assert.deepEqual(check(NEW, UAPI, { [ARM_CALLS]: calls }).findings, [], 'unistd.h is not what is wrong');
  // Without unistd.h the markers alone find it.
  const alone = check(NEW, ARM_CALLS, { [ARM_CALLS]: calls, [UAPI]: '/* gone */\n' });
  assert.deepEqual(
    alone.findings.map(f => f.code),
    ['not-checked', 'row-misnumbered'],
  );
  const m = alone.findings[1];
  assert.match(m.message, /their \/\* N \*\/ markers/);
  assert.ok(
    m.range.start.line <= line && line <= m.range.end.line,
    'between the last marker in place and the first one off',
  );
  assert.ok(m.range.end.line - m.range.start.line < 5);
  // A row removed: found where the rows start to be early.
  const removed = file(NEW, ARM_CALLS).replace(/^.*CALL\(sys_lseek\)\n/m, '');
  const rm = check(NEW, ARM_CALLS, { [ARM_CALLS]: removed });
  assert.deepEqual(
    rm.findings.map(f => f.code),
    ['row-misnumbered'],
  );
  assert.match(rm.findings[0].message, /1 row missing before here: the rows from row 19 \(sys_getpid\)/);
});

test('a marker off by one: marker-mismatch with a fix to the row number', () => {
  const calls = file(NEW, ARM_CALLS).replace('/* 20 */', '/* 21 */');
  const r = check(NEW, ARM_CALLS, { [ARM_CALLS]: calls });
  assert.deepEqual(summary(r.findings), ['25 marker-mismatch']);
  const fixed = applyEdits(calls, fixAllEdits(r.findings));
  assert.equal(fixed, file(NEW, ARM_CALLS));
  // In the early form too.
  const old = file(OLD, ARM_CALLS).replace('/* 10 */', '/* 11 */');
  assert.deepEqual(
    check(OLD, ARM_CALLS, { [ARM_CALLS]: old }).findings.map(f => f.code),
    ['marker-mismatch'],
  );
});

test('a unistd.h number changed: the define gets the finding and the fix', () => {
  for (const to of ['17', '21', '40']) {
    const header = file(NEW, UAPI).replace(/(__NR_getpid\s+\(__NR_SYSCALL_BASE\+\s*)20\)/, `$1${to})`);
    assert.notEqual(header, file(NEW, UAPI));
    const r = check(NEW, UAPI, { [UAPI]: header });
    assert.deepEqual(
      r.findings.map(f => f.code),
      ['row-misnumbered'],
      `getpid -> ${to}`,
    );
    assert.match(
      r.findings[0].message,
      /__NR_getpid is __NR_SYSCALL_BASE\+\d+, but calls.S calls sys_getpid at row 20/,
    );
    assert.equal(applyEdits(header, fixAllEdits(r.findings)), file(NEW, UAPI));
    assert.deepEqual(check(NEW, ARM_CALLS, { [UAPI]: header }).findings, [], 'calls.S is not what is wrong');
  }
});

test('numbers with no row, rows with no number, one number twice, the table size', () => {
  const extra = insertBefore(file(NEW, UAPI), /^\/\*$/m, '');
  const header = file(NEW, UAPI)
    .replace('#define __NR_pause', '#define __NR_newcall\t\t\t(__NR_SYSCALL_BASE+ 33)\n#define __NR_pause')
    .replace(/(__NR_chmod\s+\(__NR_SYSCALL_BASE\+)\s*15\)/, '$1 14)')
    .replace(/^#define __NR_close.*\n/m, '');
  assert.ok(extra.length > 0);
  const h = check(NEW, UAPI, { [UAPI]: header });
  assert.deepEqual(
    h.findings.map(f => f.code).sort(),
    ['missing-entry', 'row-misnumbered'],
    'chmod at 14 collides with mknod but its own 15 is free: a wrong number, not a duplicate',
  );
  const dup = file(NEW, UAPI).replace(
    '#define __NR_pause',
    '#define __NR_other\t\t\t(__NR_SYSCALL_BASE+ 29)\n#define __NR_pause',
  );
  assert.deepEqual(
    check(NEW, UAPI, { [UAPI]: dup }).findings.map(f => f.code),
    ['duplicate-entry'],
  );
  const c = check(NEW, ARM_CALLS, { [UAPI]: header });
  assert.deepEqual(
    c.findings.map(f => `${f.code} ${f.syscall}`),
    ['unnumbered-row sys_close'],
  );
  // The kernel header's __NR_syscalls against the padded table; the early NR_syscalls against the rows.
  const size = check(NEW, ARM_CALLS, { [ASM]: file(NEW, ASM).replace('(32)', '(36)') });
  assert.deepEqual(
    size.findings.map(f => f.code),
    ['table-size'],
  );
  assert.match(
    size.findings[0].message,
    /30 rows, padded to 32, but __NR_syscalls in arch\/arm\/include\/asm\/unistd.h is 36/,
  );
  const nr = check(OLD, ARM_CALLS, { [ARM_CALLS]: file(OLD, ARM_CALLS).replace('NR_syscalls 24', 'NR_syscalls 20') });
  assert.deepEqual(
    nr.findings.map(f => f.code),
    ['table-size'],
  );
  assert.match(nr.findings[0].message, /rows 20 to 23 are never called/);
});

test('OBSOLETE rows against the EABI #undef list, both ways', () => {
  const calls = file(NEW, ARM_CALLS).replace('CALL(sys_ptrace)', 'CALL(OBSOLETE(sys_ptrace))');
  const header = file(NEW, UAPI).replace(
    '#undef __NR_alarm\n',
    '#undef __NR_alarm\n#undef __NR_mount\n#undef __NR_nothing\n',
  );
  const c = check(NEW, ARM_CALLS, { [ARM_CALLS]: calls });
  assert.deepEqual(
    c.findings.map(f => `${f.code} ${f.syscall}`),
    ['eabi-obsolete-mismatch ptrace'],
  );
  const h = check(NEW, UAPI, { [UAPI]: header });
  assert.deepEqual(
    h.findings.map(f => `${f.code} ${f.syscall}`),
    ['eabi-obsolete-mismatch mount', 'eabi-obsolete-mismatch nothing'],
  );
  assert.deepEqual(check(OLD, ARM_CALLS).findings, [], '2.6.11 has no EABI: nothing to compare');
});

test('syscall numbers under CONFIG_ tests in a header user space sees', () => {
  const header = file(NEW, UAPI).replace(
    '#define __NR_pause',
    '#ifdef CONFIG_VENDOR_FEATURE\n#define __NR_vendor\t\t\t(__NR_SYSCALL_BASE+ 30)\n#endif\n#define __NR_pause',
  );
  const r = check(NEW, UAPI, { [UAPI]: header });
  assert.deepEqual(r.findings.map(f => f.code).sort(), ['config-in-uapi', 'missing-entry']);
  assert.match(
    r.findings.find(f => f.code === 'config-in-uapi')!.message,
    /under #if defined\(CONFIG_VENDOR_FEATURE\)/,
  );
  // The kernel's own: __KERNEL__ blocks and the CONFIG_ tests inside them are not findings.
  assert.deepEqual(check(MID, ASM).findings, []);
});

test('hover: the EABI and OABI numbers, prototypes and ARM word layouts; private calls; definition', async () => {
  const kernel = linuxReference(await indexKernel(NEW));
  const r = check(NEW, ARM_CALLS, {}, kernel);
  const line = file(NEW, ARM_CALLS)
    .split('\n')
    .findIndex(l => l.includes('sys_lseek'));
  const h = armCallsFamily.hover!(r.model!, { line, character: 10 }, r.ws as never)!;
  assert.match(
    h.markdown,
    /\*\*lseek\*\* — ARM syscall 19: `__NR_SYSCALL_BASE\+19`, EABI `19` \(in r7, `swi 0`\), OABI `0x900013`/,
  );
  assert.match(
    h.markdown,
    /\*\*EABI\*\*[^]*sys_lseek\(unsigned int fd, off_t offset, unsigned int whence\)[^]*\| 1 \| r0 \|/,
  );
  assert.match(h.markdown, /\*\*OABI\*\*/);
  const t = file(NEW, ARM_CALLS)
    .split('\n')
    .findIndex(l => l.includes('sys_time'));
  assert.match(
    armCallsFamily.hover!(r.model!, { line: t, character: 12 }, r.ws as never)!.markdown,
    /OBSOLETE: an EABI kernel gives ENOSYS/,
  );
  const u = check(NEW, UAPI, {}, kernel);
  const ul = file(NEW, UAPI).split('\n');
  const hv = armCallsFamily.hover!(
    u.model!,
    { line: ul.findIndex(l => l.includes('__NR_lseek')), character: 9 },
    u.ws as never,
  )!;
  assert.match(hv.markdown, /\*\*lseek\*\* — ARM syscall 19/);
  const p = armCallsFamily.hover!(
    u.model!,
    { line: ul.findIndex(l => l.includes('__ARM_NR_cacheflush')), character: 9 },
    u.ws as never,
  )!;
  assert.match(
    p.markdown,
    /\*\*cacheflush\*\* — ARM private syscall `__ARM_NR_BASE\+0x2`: EABI `0xf0002` \(in r7\), OABI `0x9f0002`/,
  );
  const defs = armCallsFamily.definition!(r.model!, { line, character: 10 }, r.ws as never);
  assert.deepEqual(
    defs.map(d => `${path.relative(NEW, d.file)}:${d.range.start.line + 1}`),
    [`${UAPI}:${ul.findIndex(l => l.includes('__NR_lseek')) + 1}`, 'include/linux/syscalls.h:4'],
  );
});

test('bad input: binary, unreadable rows, an #if with no #endif, a missing sibling', () => {
  const bin = check(NEW, ARM_CALLS, { [ARM_CALLS]: '\u0000\u0001ELF\u0000' });
  assert.ok(bin.findings.some(f => f.code === 'malformed-line' && /binary/.test(f.message)));
  const bad = check(NEW, ARM_CALLS, { [ARM_CALLS]: '#ifdef X\n\t\tCALL(sys_read\n\t\tjunk here\n' });
  assert.deepEqual(summary(bad.findings), ['1 malformed-line', '2 malformed-line', '3 malformed-line']);
  const lone = check(NEW, UAPI, { [ARM_CALLS]: undefined as never });
  assert.deepEqual(
    lone.findings.map(f => f.code),
    ['not-checked'],
  );
  const huge = check(NEW, ARM_CALLS, { [ARM_CALLS]: '\t\tCALL(sys_read)\n'.repeat(50_000) });
  assert.ok(huge.findings.length > 0, 'a 50,000-row table is read and judged');
  assert.equal(
    armCallsFamily.claims(path.join(NEW, 'arch/arm/include/uapi/asm/unistd.h'), '#include <asm/unistd-eabi.h>\n'),
    false,
  );
});

test('locate: the known paths of a Linux tree', () => {
  const io = { read, list: () => [] };
  assert.deepEqual(
    armCallsFamily.locate!(NEW, io as never).map(f => path.relative(NEW, f)),
    [ARM_CALLS, UAPI],
  );
  assert.deepEqual(
    armCallsFamily.locate!(OLD, io as never).map(f => path.relative(OLD, f)),
    [ARM_CALLS, ASM_ARM],
  );
});
