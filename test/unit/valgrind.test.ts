// valgrind's number headers and wrapper tables: the preprocessor per target, the row and
// PRE_REG_READ readers, and every check on a small fixture in the real formats
// (test/fixtures/valgrind-src: headers, tables, wrappers and a kernel tree).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits } from '../../server/src/core/edits';
import { readConfig } from '../../server/src/core/config';
import type { Finding } from '../../server/src/core/types';
import { MAX_TEXT } from '../../server/src/core/text';
import { scnumsFamily } from '../../server/src/families/valgrind/scnums/family';
import { syswrapFamily } from '../../server/src/families/valgrind/syswrap/family';
import { buildNumbers } from '../../server/src/families/valgrind/numbers';
import { TARGETS } from '../../server/src/families/valgrind/platforms';
import { linesOf, liveLines, tableRows, wrappers } from '../../server/src/families/valgrind/syswrap/model';
import { analyzeText, catalogueOf, referenceOf } from '../helpers/engine';
import { VALGRIND_SRC } from '../helpers/paths';

const KERNEL = path.join(VALGRIND_SRC, 'kernel');
const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);
const vki = (b: string) => path.join(VALGRIND_SRC, 'include', 'vki', b);
const sw = (b: string) => path.join(VALGRIND_SRC, 'coregrind', 'm_syswrap', b);

async function ws(overrides: Record<string, string> = {}, kernel = true) {
  return {
    kernel: kernel ? await referenceOf(KERNEL) : undefined,
    config: readConfig(undefined),
    read: (f: string) => overrides[f] ?? read(f),
    list: () => [],
  } as never;
}
const familyOf = (file: string) => (file.endsWith('.h') ? scnumsFamily : syswrapFamily) as typeof scnumsFamily;
async function check(file: string, overrides: Record<string, string> = {}) {
  const w = await ws(overrides);
  return familyOf(file).analyze({ file, text: overrides[file] ?? read(file)! }, w);
}
const summary = (fs: Finding[]) =>
  fs.map(f => `${f.range.start.line + 1} ${f.code} ${f.severity} ${f.syscall ?? ''}`).sort();

test('the chain of number headers per platform, #ifs and bases evaluated', () => {
  const amd64 = buildNumbers(
    VALGRIND_SRC,
    TARGETS.find(t => t.platform === 'amd64')!,
    read,
  );
  assert.equal(amd64.fromAsmHeader, true);
  assert.deepEqual(
    amd64.files.map(f => path.basename(f)),
    ['vki-scnums-shared-linux.h', 'vki-scnums-amd64-linux.h'],
  );
  const mips = buildNumbers(
    VALGRIND_SRC,
    TARGETS.find(t => t.platform === 'mips32')!,
    read,
  );
  assert.deepEqual(
    mips.files.map(f => path.basename(f)),
    ['vki-scnums-shared-linux.h', 'vki-scnums-32bit-linux.h', 'vki-scnums-mips32-linux.h'],
  );
  assert.equal(mips.byMacro.get('__NR_pread64')!.value, 4200);
  assert.equal(mips.byMacro.get('__NR_clock_gettime64')!.value, 403);
  // The tree's list wins: x86 is not in the fixture's pub_tool_vkiscnums_asm.h.
  assert.deepEqual(
    buildNumbers(
      VALGRIND_SRC,
      TARGETS.find(t => t.platform === 'x86')!,
      read,
    ).files,
    [],
  );
  const arm = buildNumbers(
    VALGRIND_SRC,
    TARGETS.find(t => t.platform === 'arm')!,
    read,
  );
  assert.equal(arm.byMacro.get('__NR_sync_file_range2')!.alias, '__NR_arm_sync_file_range');
  assert.equal(arm.byMacro.get('__NR_sync_file_range2')!.value, 341);
  assert.equal(arm.byMacro.get('__NR_ARM_set_tls')!.value, 0xf0005);
});

test('live lines: #if per target, continued directives, the file`s own defines', () => {
  const text = [
    '#if defined(VGP_x86_linux) \\',
    '    || defined(VGP_arm_linux)',
    '#define PRA_TLS PRA4',
    '#elif VG_WORDSIZE == 8',
    '#define PRA_TLS PRA5',
    '#endif',
    '#ifdef PRA_TLS',
    'x',
    '#endif',
  ].join('\n');
  const lines = linesOf('t.c', text);
  const arm = liveLines(lines, new Map([['VG_WORDSIZE', 4]]), new Set(['VGP_arm_linux']));
  assert.deepEqual(arm, [false, false, true, false, false, false, false, true, false]);
  const amd64 = liveLines(lines, new Map([['VG_WORDSIZE', 8]]), new Set(['VGP_amd64_linux']));
  assert.deepEqual(amd64, [false, false, false, false, true, false, false, true, false]);
  const none = liveLines(lines, new Map([['VG_WORDSIZE', 4]]), new Set());
  assert.equal(none[7], false);
});

test('rows and register reads: exact ranges, rows over two lines, PRA aliases', () => {
  const file = sw('syswrap-mips32-linux.c');
  const text = read(file)!;
  const live = liveLines(linesOf(file, text), new Map(), new Set(['VGP_mips32_linux']));
  const { rows, found } = tableRows(file, text, live);
  assert.ok(found);
  assert.deepEqual(
    rows.map(r => `${r.kind} ${r.macro} ${r.wrapper} ${r.line + 1}`),
    [
      'GENXY __NR_read sys_read 5',
      'GENXY __NR_pread64 sys_pread64 6',
      'LINX_ __NR_setns sys_setns 7',
      'LINXY __NR_clock_gettime64 sys_clock_gettime64 8',
      'LINX_ __NR_pidfd_send_signal sys_pidfd_send_signal 9',
    ],
  );
  const last = rows.at(-1)!;
  assert.deepEqual([last.ranges.row.start.line, last.ranges.row.end.line], [8, 9]);
  const line = text.split('\n')[6];
  assert.equal(line.slice(rows[2].ranges.macro.start.character, rows[2].ranges.macro.end.character), '__NR_setns');
  const clone = [
    'PRE(sys_clone)',
    '{',
    '#if defined(VGP_amd64_linux)',
    '#define PRA_TLS PRA5',
    '#else',
    '#define PRA_TLS PRA4',
    '#endif',
    '   PRA1("clone", unsigned long, flags);',
    '   PRA_TLS("clone", void *, tls);',
    '}',
    'PRE(sys_pread64)',
    '{',
    '   PRE_REG_READ5(ssize_t, "pread64", unsigned int, fd, char *, buf, vki_size_t, count,',
    '                 vki_u32, MERGE64_FIRST(offset), vki_u32, MERGE64_SECOND(offset));',
    '}',
    'static void futex_pre_helper ( ThreadId tid, SyscallArgLayout* layout,',
    '                               SyscallArgs* arrghs, Bool is_time64 )',
    '{',
    '   PRE_REG_READ6(long, "futex", vki_u32 *, futex, int, op, int, val,',
    '                 struct timespec *, utime, vki_u32 *, uaddr2, int, val3);',
    '}',
    'PRE(sys_futex)',
    '{',
    '   futex_pre_helper (tid, layout, arrghs, False);',
    '}',
  ].join('\n');
  const w = wrappers('c.c', clone, liveLines(linesOf('c.c', clone), new Map(), new Set(['VGP_amd64_linux'])));
  assert.equal(w.get('sys_clone')!.calls[0].count, 5);
  const p = w.get('sys_pread64')!.calls[0];
  assert.equal(p.count, 5);
  assert.deepEqual(
    p.words.map(x => x?.half ?? '-'),
    ['-', '-', '-', 'first', 'second'],
  );
  assert.equal(p.words[3]!.name, 'offset');
  assert.deepEqual([p.countRange.start.line, p.countRange.start.character], [12, 15]);
  // A wrapper whose reads are in a helper of the same file gets the helper's.
  const f = w.get('sys_futex')!;
  assert.deepEqual([f.calls.length, f.calls[0].count, f.calls[0].range.start.line], [1, 6, 18]);
});

test('number headers: every check on the fixture; conventions are not findings', async () => {
  assert.deepEqual(summary((await check(vki('vki-scnums-amd64-linux.h'))).findings), [
    '10 nr-mismatch error kill',
    '11 not-in-kernel information vserver',
    '9 duplicate-entry warning getpid',
  ]);
  // mips32 includes the asm-generic numbers without its base 4000.
  assert.deepEqual(summary((await check(vki('vki-scnums-shared-linux.h'))).findings), [
    '5 nr-mismatch error pidfd_send_signal',
  ]);
  const shared = (await check(vki('vki-scnums-shared-linux.h'))).findings[0];
  assert.match(shared.message, /mips32 \(o32\).*4424.*without o32's base 4000/);
  assert.deepEqual(shared.fixes, [], 'no fix in a header amd64 and arm read correctly');
  assert.deepEqual(summary((await check(vki('vki-scnums-32bit-linux.h'))).findings), [
    '5 nr-mismatch error clock_gettime64',
  ]);
  // arm: the OABI-only time, the alias sync_file_range2 and ARM's private calls are conventions.
  assert.deepEqual(summary((await check(vki('vki-scnums-arm-linux.h'))).findings), [
    '9 name-mismatch information fadvise64',
  ]);
  const mips = await check(vki('vki-scnums-mips32-linux.h'));
  assert.deepEqual(summary(mips.findings), ['8 nr-mismatch error setns']);
  assert.match(mips.findings[0].message, /setns is 4344 in the kernel, not 4343 \(which is sendmmsg\)/);
});

test('number headers: fixes in the file`s style, idempotent, and nothing they addressed remains', async () => {
  for (const [base, want] of [
    ['vki-scnums-mips32-linux.h', '#define __NR_setns                      (__NR_Linux + 344)'],
    ['vki-scnums-amd64-linux.h', '#define __NR_kill                                62'],
  ]) {
    const file = vki(base);
    const text = read(file)!;
    const r = await check(file);
    const edits = r.findings.flatMap(f => f.fixes.filter(x => x.preferred).flatMap(x => x.edits));
    const fixed = applyEdits(text, edits);
    assert.ok(fixed.split('\n').includes(want), `${base}: ${want}`);
    const again = await check(file, { [file]: fixed });
    assert.ok(!again.findings.some(f => f.code === 'nr-mismatch' || f.code === 'duplicate-entry'), base);
    const edits2 = again.findings.flatMap(f => f.fixes.filter(x => x.preferred).flatMap(x => x.edits));
    assert.equal(applyEdits(fixed, edits2), fixed, `${base}: fix-all twice changes nothing more`);
  }
});

test('wrapper tables: rows, numbers and the registers wrappers read', async () => {
  assert.deepEqual(summary((await check(sw('syswrap-amd64-linux.c'))).findings), [
    '14 nr-mismatch error pkey_free',
    '6 duplicate-entry warning close',
    '9 nr-mismatch error kill',
  ]);
  assert.deepEqual(summary((await check(sw('syswrap-mips32-linux.c'))).findings), [
    '7 nr-mismatch error setns',
    '8 nr-mismatch error clock_gettime64',
    '9 nr-mismatch error pidfd_send_signal',
  ]);
  assert.deepEqual(summary((await check(sw('syswrap-arm-linux.c'))).findings), []);
  // pread64 split at ARG4/ARG5 on the aligned ABIs; amd64 reads 4 (64-bit) and is right.
  const generic = (await check(sw('syswrap-generic.c'))).findings;
  assert.deepEqual(summary(generic), ['21 register-mismatch error pread64', '21 register-mismatch error pread64']);
  assert.match(generic.find(f => /arm-eabi/.test(f.message))!.message, /offset from ARG4\/ARG5 \(r3\/r4\)/);
  assert.match(generic.find(f => /o32/.test(f.message))!.message, /\(a3\/sp\+16\)/);
  // membarrier reads 1 of 3; preadv's 4 on a 64-bit kernel (pos_h discarded) and
  // sync_file_range2's even pairs are not findings; arm_fadvise64_64 through the generic
  // fadvise64_64 wrapper reads offset at r1/r2.
  assert.deepEqual(summary((await check(sw('syswrap-linux.c'))).findings), [
    '12 arg-count-mismatch error membarrier',
    '44 register-mismatch error arm_fadvise64_64',
  ]);
});

test('hover and definition: the kernel syscall, its words on the ABI, its .tbl line and prototype', async () => {
  const file = vki('vki-scnums-mips32-linux.h');
  const r = await check(file);
  const h = scnumsFamily.hover!(r.model!, { line: 6, character: 10 }, {} as never)!;
  assert.match(h.markdown, /\*\*pread64\*\* — mips32 \(o32\) syscall 4200/);
  assert.match(h.markdown, /\*\*6 argument words on o32\*\*/);
  assert.match(h.markdown, /padding/);
  const defs = scnumsFamily.definition!(r.model!, { line: 7, character: 10 }, {} as never);
  assert.deepEqual(
    defs.map(d => `${path.relative(KERNEL, d.file)}:${d.range.start.line + 1}`),
    ['arch/mips/kernel/syscalls/syscall_o32.tbl:5', 'kernel/sys.c:5'],
  );
  const g = await check(sw('syswrap-generic.c'));
  const hg = syswrapFamily.hover!(g.model as never, { line: 20, character: 6 }, {} as never)!;
  assert.match(hg.markdown, /\*\*pread64\*\* — arm \(arm-eabi\) syscall 180/);
  assert.match(hg.markdown, /sys_pread64 declares 5 or 4 registers|sys_pread64 declares 5 registers/);
  const t = await check(sw('syswrap-amd64-linux.c'));
  const dt = syswrapFamily.definition!(t.model as never, { line: 8, character: 10 }, {} as never);
  assert.deepEqual(
    dt.map(d => `${path.relative(KERNEL, d.file)}:${d.range.start.line + 1}`),
    ['arch/x86/entry/syscalls/syscall_64.tbl:6', 'kernel/sys.c:3'],
  );
});

test('locate: check DIR opens the known paths only', async () => {
  const w = await ws();
  const found = [...scnumsFamily.locate!(VALGRIND_SRC, w), ...syswrapFamily.locate!(VALGRIND_SRC, w)].map(f =>
    path.relative(VALGRIND_SRC, f),
  );
  assert.deepEqual(found.sort(), [
    'coregrind/m_syswrap/syswrap-amd64-linux.c',
    'coregrind/m_syswrap/syswrap-arm-linux.c',
    'coregrind/m_syswrap/syswrap-generic.c',
    'coregrind/m_syswrap/syswrap-linux.c',
    'coregrind/m_syswrap/syswrap-mips32-linux.c',
    'include/vki/vki-scnums-32bit-linux.h',
    'include/vki/vki-scnums-amd64-linux.h',
    'include/vki/vki-scnums-arm-linux.h',
    'include/vki/vki-scnums-mips32-linux.h',
    'include/vki/vki-scnums-shared-linux.h',
  ]);
  // From inside the tree: the same known paths of that tree.
  assert.equal(syswrapFamily.locate!(path.join(VALGRIND_SRC, 'coregrind', 'm_syswrap'), w).length, 5);
  assert.equal(scnumsFamily.locate!(path.join(VALGRIND_SRC, 'include', 'vki'), w).length, 5);
  assert.deepEqual(scnumsFamily.locate!(path.join(VALGRIND_SRC, '..', 'strace-src'), w), []);
});

test('not-checked: no kernel, no kernel ABI (nanoMIPS), a header no platform includes', async () => {
  const file = vki('vki-scnums-amd64-linux.h');
  const none = scnumsFamily.analyze({ file, text: read(file)! }, await ws({}, false));
  assert.deepEqual(summary(none.findings), ['1 not-checked information ']);
  assert.match(none.findings[0].message, /--kernel DIR/);
  const nano = vki('vki-scnums-nanomips-linux.h');
  const asm = path.join(VALGRIND_SRC, 'include', 'pub_tool_vkiscnums_asm.h');
  const withNano = read(asm)!.replace(
    '#else',
    '#elif defined(VGP_nanomips_linux)\n#  include "vki/vki-scnums-nanomips-linux.h"\n#else',
  );
  const n = await check(nano, { [nano]: '#define __NR_read 63\n', [asm]: withNano });
  assert.match(n.findings.map(f => f.message).join('\n'), /nanoMIPS never went upstream/);
  const lonely = vki('vki-scnums-ppc32-linux.h');
  const l = await check(lonely, { [lonely]: '#define __NR_read 3\n' });
  assert.deepEqual(summary(l.findings), ['1 not-checked information ']);
  const t = sw('syswrap-amd64-linux.c');
  const s = await check(t, { [t]: 'PRE(sys_x)\n{\n}\n' });
  assert.match(s.findings.map(f => f.message).join('\n'), /syscall_table\[\]/);
});

test('bad input: binary junk, a huge file, malformed lines, unbalanced rows', async () => {
  const h = vki('vki-scnums-amd64-linux.h');
  const junk = '\u0000\u0001\u0002ELF'.repeat(100);
  assert.deepEqual(summary((await check(h, { [h]: junk })).findings), ['1 malformed-line error ']);
  const c = sw('syswrap-amd64-linux.c');
  assert.ok(syswrapFamily.claims(c, junk));
  assert.deepEqual(summary((await check(c, { [c]: junk })).findings), ['1 malformed-line error ']);
  const bad = read(h)!.replace('#define __NR_close', 'not a define __NR_close');
  assert.ok(summary((await check(h, { [h]: bad })).findings).includes('6 malformed-line error '));
  const rows = read(c)!.replace('GENXY(__NR_read,              sys_read),', 'GENXY(__NR_read, sys_read');
  const r = await check(c, { [c]: rows });
  assert.ok(r.findings.every(f => f.range.start.line >= 0));
  const huge = `${read(h)!}\n${'/* x */\n'.repeat(MAX_TEXT / 8 + 1)}`;
  const a = await analyzeText(h, huge, await catalogueOf(KERNEL));
  assert.deepEqual(
    a.findings.map(f => f.code),
    ['file-too-large'],
  );
});
