// qemu/cpuLoop on fixtures written in QEMU's layouts (a cpu_loop.c per target, and the
// older main.c holding every loop) against a fixture kernel with ARM's arm_syscall() and
// MIPS's assembly entry points: planted errors found, clean twins silent, fixes reach a
// fix-point, bad input answered; and the asm word count of MIPS sys_syscall.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { analyze, cSyntaxOf, parseC } from '../../server/src/analysis/analyze';
import { hover } from '../../server/src/analysis/hover';
import { readConfig } from '../../server/src/core/config';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { Finding } from '../../server/src/core/types';
import type { Workspace } from '../../server/src/families/family';
import { listDir } from '../../server/src/io/files';
import { indexKernel } from '../../server/src/io/kernelIndex';
import { mipsAsmPrototypes } from '../../server/src/reference/linux/asmWords';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { newParser } from '../../server/src/syntax/c/parser';
import { analyzeText, catalogueOf } from '../helpers/engine';
import { CLI, CPULOOP, CPULOOP_CLEAN, CPULOOP_KERNEL, KERNEL, scratch } from '../helpers/paths';

const OWN = new Set([
  'unused-marker-type',
  'unused-marker-undefined',
  'syscall-bound',
  'arg-fetch',
  'private-syscall-missing',
  'private-syscall-return',
  'not-checked',
]);
const file = (tree: string, rel: string) => path.join(tree, 'linux-user', rel);
const read = (f: string) => fs.readFileSync(f, 'utf8');
/** `code@line` (one-based) of the family's findings, sorted. */
const summary = (fs_: Finding[]) =>
  fs_
    .filter(f => OWN.has(f.code))
    .map(f => `${f.code}@${f.range.start.line + 1}`)
    .sort();
const lineOf = (f: string, needle: string) =>
  read(f)
    .split('\n')
    .findIndex(l => l.includes(needle)) + 1;

test('MIPS: a uint8_t table with -1 markers is an error on its type; a sizeof bound on one-byte elements is right', async () => {
  const cat = await catalogueOf(CPULOOP_KERNEL);
  const f = file(CPULOOP, 'mips/cpu_loop.c');
  const a = await analyzeText(f, read(f), cat);
  assert.deepEqual(summary(a.findings), [`unused-marker-type@${lineOf(f, 'uint8_t mips_syscall_args')}`]);
  const t = a.findings.find(x => x.code === 'unused-marker-type')!;
  assert.match(t.message, /stores it as 255/);
  assert.equal(t.fixes[0].edits[0].newText, 'int8_t');
  // The row for syscall says 7; sys_syscall's assembly reads 8 words (qemu/o32's check).
  const row = a.findings.find(x => x.code === 'arg-count-mismatch' && x.syscall === 'syscall')!;
  assert.equal(row.severity, 'error');
  assert.match(row.message, /needs 8 o32 argument words, the row says 7/);
  const asm = row.related.find(r => r.location.file.endsWith('scall32-o32.S'))!;
  assert.equal(
    asm.location.range.start.line + 1,
    lineOf(path.join(CPULOOP_KERNEL, 'arch/mips/kernel/scall32-o32.S'), 'LEAF(sys_syscall)'),
  );
  assert.match(asm.message, /reads a0, a1, a2, a3, 16\(sp\), 20\(sp\), 24\(sp\), 28\(sp\): 8 o32 words/);
});

test('the older main.c: marker undefined, sizeof in bytes of short elements, >, a wrong stack slot, and the ARM loop', async () => {
  const cat = await catalogueOf(KERNEL);
  const f = file(CPULOOP, 'main.c');
  const a = await analyzeText(f, read(f), cat);
  const arm = lineOf(f, 'if ( n > ARM_NR_BASE)');
  const dflt = lineOf(f, 'default:');
  const bound = lineOf(f, 'syscall_num > sizeof');
  assert.deepEqual(
    summary(a.findings),
    [
      `arg-fetch@${lineOf(f, 'case 7:')}`,
      `arg-fetch@${lineOf(f, 'get_user_ual(arg7, sp_reg + 20)')}`,
      `private-syscall-missing@${dflt}`,
      `private-syscall-missing@${dflt}`,
      `private-syscall-missing@${dflt}`,
      `private-syscall-return@${lineOf(f, 'case ARM_NR_cacheflush')}`,
      `syscall-bound@${arm}`,
      `syscall-bound@${bound}`,
      `syscall-bound@${bound}`,
      `syscall-bound@${dflt}`,
      `unused-marker-undefined@${lineOf(f, 'static const short')}`,
    ].sort(),
  );
  const msgs = a.findings.map(x => x.message).join('\n');
  assert.match(msgs, /size in bytes \(2 per `short`\), not its 4 elements/);
  assert.match(msgs, /o32 word 7 is at sp\+24/);
  assert.match(msgs, /sys_syscall needs 8 words, but the switch fetches at most 7: word 8 never reaches/);
  assert.match(msgs, /__ARM_NR_breakpoint \(0xf0001, SWI BREAK_POINT\) has no case: a guest gets -ENOSYS/);
  assert.match(
    msgs,
    /every private number without a case gets -ENOSYS; the kernel answers -ENOSYS for 0xf0000-0xf07ff only and raises SIGILL/,
  );
});

test('ARM: a private call without a case, `>` where the kernel has `>=`, a case that never sets r0', async () => {
  const cat = await catalogueOf(KERNEL);
  const f = file(CPULOOP, 'arm/cpu_loop.c');
  const a = await analyzeText(f, read(f), cat);
  const dflt = lineOf(f, 'default:');
  assert.deepEqual(summary(a.findings), [
    `private-syscall-missing@${dflt}`,
    `private-syscall-missing@${dflt}`,
    `private-syscall-return@${lineOf(f, 'case ARM_NR_cacheflush')}`,
    `syscall-bound@${lineOf(f, 'if (n > ARM_NR_BASE)')}`,
  ]);
  const usr26 = a.findings.find(x => x.syscall === 'usr26')!;
  assert.match(
    usr26.message,
    /gets -ENOSYS from the default, where the kernel raises SIGILL when !\(elf_hwcap & HWCAP_26BIT\), otherwise returns with r0 unchanged/,
  );
  const traps = path.join(KERNEL, 'arch/arm/kernel/traps.c');
  assert.equal(usr26.related[0].location.file, traps);
  assert.equal(usr26.related[0].location.range.start.line + 1, lineOf(traps, 'case NR(usr26)'));
  const zero = a.findings.find(x => x.code === 'private-syscall-missing' && !x.syscall)!;
  assert.match(zero.message, /goes to do_syscall\(\).*-ENOSYS, where the kernel raises SIGSEGV/);
  const b = a.findings.find(x => x.code === 'syscall-bound')!;
  assert.equal(b.fixes[0].edits[0].newText, '>=');
  assert.equal(read(f).split('\n')[b.range.start.line].slice(b.range.start.character, b.range.end.character), '>');
  // The ENOSYS range is the kernel's: nothing said about it.
  assert.ok(!a.findings.some(x => /answers -ENOSYS for/.test(x.message)));
});

test('clean twins are silent', async () => {
  // MIPS against the kernel with sys_syscall's assembly, ARM against the one with arm_syscall().
  for (const [rel, kernel] of [
    ['mips/cpu_loop.c', CPULOOP_KERNEL],
    ['arm/cpu_loop.c', KERNEL],
  ]) {
    const f = file(CPULOOP_CLEAN, rel);
    const a = await analyzeText(f, read(f), await catalogueOf(kernel));
    assert.deepEqual(
      a.findings.map(x => `${x.code}: ${x.message}`),
      [],
      rel,
    );
  }
});

test('fix-all: the fixed findings are gone and a second fix-all changes nothing', async () => {
  const cat = await catalogueOf(KERNEL);
  for (const rel of ['mips/cpu_loop.c', 'arm/cpu_loop.c', 'main.c']) {
    const f = file(CPULOOP, rel);
    const before = await analyzeText(f, read(f), cat);
    const fixed = before.findings.filter(x => OWN.has(x.code) && x.fixes.some(y => y.preferred));
    assert.ok(fixed.length, rel);
    const once = applyEdits(read(f), fixAllEdits(before.findings));
    const after = await analyzeText(f, once, cat);
    const key = (x: Finding) => `${x.code}|${x.message}`;
    const left = new Set(after.findings.map(key));
    assert.deepEqual(
      fixed.map(key).filter(k => left.has(k)),
      [],
      rel,
    );
    assert.equal(applyEdits(once, fixAllEdits(after.findings)), once, rel);
    // Each MIPS fix does what it says.
    if (rel === 'main.c') {
      assert.match(once, /^#  define MIPS_SYSCALL_NUMBER_UNUSED -1\nstatic const short mips_syscall_args/m);
      assert.match(once, /syscall_num >= ARRAY_SIZE\(mips_syscall_args\)/);
      assert.match(once, /get_user_ual\(arg7, sp_reg \+ 24\)/);
    }
  }
});

test('sys_syscall words come from the assembly; without scall64-o32.S the compat count stays unknown', async () => {
  const kernel = scratch(CPULOOP_KERNEL);
  fs.rmSync(path.join(kernel, 'arch/mips/kernel/scall64-o32.S'));
  const f = file(CPULOOP_CLEAN, 'mips/cpu_loop.c');
  const a = await analyzeText(f, read(f), await indexKernel(kernel));
  const u = a.findings.find(x => x.syscall === 'syscall')!;
  assert.equal(u.code, 'unknown-signature');
  assert.match(u.message, /no C prototype for sys32_syscall/);
  // A body that reads a register whose o32 word the file does not show gives no prototype.
  const text = 'LEAF(sys32_syscall)\n\tmove\ta0, a1\n\tmove\ta3, a4\n\tjr\tt2\n\tEND(sys32_syscall)\n';
  assert.deepEqual(mipsAsmPrototypes('arch/mips/kernel/scall64-o32.S', text), []);
  assert.equal(
    mipsAsmPrototypes('arch/mips/kernel/scall64-o32.S', 'load_a4: lw a4, 16(t0)\n' + text)[0].params.length,
    5,
  );
  // Any other file is not read for this.
  assert.deepEqual(mipsAsmPrototypes('arch/mips/kernel/entry.S', text), []);
});

test('ARM without the kernel facts is not-checked, and says which files are missing; MIPS needs no kernel', async () => {
  const kernel = scratch(KERNEL);
  fs.rmSync(path.join(kernel, 'arch/arm/kernel/entry-common.S'));
  const f = file(CPULOOP, 'arm/cpu_loop.c');
  const a = await analyzeText(f, read(f), await indexKernel(kernel));
  const n = a.findings.find(x => x.code === 'not-checked')!;
  assert.match(n.message, /entry-common\.S \(the entry's bound\)/);
  assert.ok(!a.findings.some(x => x.code === 'syscall-bound' && /ARM_NR_BASE/.test(x.message)));
  const none = await analyzeText(f, read(f), undefined);
  assert.match(none.findings.find(x => x.code === 'not-checked')!.message, /no kernel catalogue/);
  const m = file(CPULOOP, 'mips/cpu_loop.c');
  assert.ok((await analyzeText(m, read(m), undefined)).findings.some(x => x.code === 'unused-marker-type'));
});

test('other cpu loops say what is checked instead of nothing', async () => {
  const inc = await analyzeText(file(CPULOOP, 'mips64/cpu_loop.c'), '#include "../mips/cpu_loop.c"\n', undefined);
  assert.match(inc.findings[0].message, /this loop is \.\.\/mips\/cpu_loop\.c's/);
  const x86 = await analyzeText(file(CPULOOP, 'i386/cpu_loop.c'), 'void cpu_loop(CPUX86State *env) {}\n', undefined);
  assert.equal(x86.findings[0].code, 'not-checked');
  assert.match(x86.findings[0].message, /MIPS o32 .* and ARM/);
});

test('bad input: empty, binary junk, a truncated loop, a huge file and a missing path', async () => {
  const cat = await catalogueOf(KERNEL);
  const f = file(CPULOOP, 'arm/cpu_loop.c');
  for (const text of [
    '',
    '\u0000\u0001ELF\u0002ARM_NR_BASE',
    read(f).slice(0, read(f).indexOf('case ARM_NR_set_tls')),
  ]) {
    const a = await analyzeText(f, text, cat);
    assert.ok(Array.isArray(a.findings));
  }
  // Cut inside the switch: what is read is still checked, never an exception.
  const cut = await analyzeText(f, read(f).slice(0, read(f).indexOf('default:')), cat);
  assert.ok(cut.findings.some(x => x.code === 'syscall-bound' || x.code === 'not-checked'));
  const m = file(CPULOOP, 'mips/cpu_loop.c');
  const junk = read(m).replace('MIPS_SYS(sys_exit       , 1)', 'MIPS_SYS(sys_exit , ))) {{');
  assert.ok(Array.isArray((await analyzeText(m, junk, cat)).findings));
  const big = path.join(scratch(CPULOOP), 'linux-user', 'arm', 'cpu_loop.c');
  fs.writeFileSync(big, read(f) + '/*' + 'x'.repeat(9 << 20) + '*/\n');
  const r = spawnSync(process.execPath, [CLI, 'check', '--kernel', KERNEL, big], { encoding: 'utf8' });
  assert.match(r.stdout + r.stderr, /too large|MB/);
  const missing = spawnSync(process.execPath, [CLI, 'check', file(CPULOOP, 'sparc/cpu_loop.c')], { encoding: 'utf8' });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /does not exist|no such|not found/i);
});

test('hover on a private-call case: what the kernel does with it', async () => {
  const f = file(CPULOOP, 'arm/cpu_loop.c');
  const text = read(f);
  const line = lineOf(f, 'case ARM_NR_cacheflush') - 1;
  const parser = await newParser();
  let parsed: ReturnType<typeof parseC> | undefined;
  const ws: Workspace = {
    kernel: linuxReference(await catalogueOf(KERNEL)),
    config: readConfig(undefined),
    list: listDir,
    parser,
    read: p => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined),
  };
  try {
    const a = analyze(f, text, ws, () => (parsed = parseC(parser, text, undefined, cSyntaxOf(f, text)?.wrap)));
    const h = hover(a, text, { line, character: text.split('\n')[line].indexOf('ARM_NR') + 3 }, ws);
    assert.match(h!.markdown, /__ARM_NR_cacheflush\*\* = 0xf0002/);
    assert.match(h!.markdown, /returns do_cache_op\(regs->ARM_r0, regs->ARM_r1, regs->ARM_r2\) \(traps\.c:\d+/);
  } finally {
    parsed?.tree.delete();
    parser.delete();
  }
});

test("ARM: a case whose ARM_NR_ number in target_syscall.h is not the kernel's is named at its label", async () => {
  const tree = scratch(CPULOOP);
  const h = path.join(tree, 'linux-user/arm/target_syscall.h');
  fs.writeFileSync(h, read(h).replace('(ARM_NR_BASE + 5)', '(ARM_NR_BASE + 6)'));
  const f = path.join(tree, 'linux-user/arm/cpu_loop.c');
  const a = await analyzeText(f, read(f), await catalogueOf(KERNEL));
  const m = a.findings.find(x => x.syscall === 'set_tls' && x.code === 'private-syscall-missing')!;
  assert.equal(m.range.start.line + 1, lineOf(f, 'case ARM_NR_set_tls'));
  assert.match(
    m.message,
    /`case ARM_NR_set_tls:` is 0xf0006 in QEMU \(target_syscall\.h\), not the kernel's 0xf0005, so a guest gets -ENOSYS/,
  );
});
