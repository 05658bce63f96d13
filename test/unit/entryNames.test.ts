// x86 entry-point names of every era, resolved to the SYSCALL_DEFINE behind them: the
// canonicaliser, the lookups that use it, the hover's "the kernel calls" line, and drift
// between two tables of different eras.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  canonicalEntry,
  canonicalPair,
  entryName,
  x86CalledSymbol,
  x86Era,
} from '../../server/src/reference/linux/entryNames';
import { addPrototype, Catalogue, emptyCatalogue, findPrototype } from '../../server/src/reference/linux/catalogue';
import { parseTbl } from '../../server/src/reference/linux/tbl';
import { syscallWordAt } from '../../server/src/reference/linux/cards';
import { lookupSyscall } from '../../server/src/reference/linux/syscallIndex';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { hover } from '../../server/src/analysis/hover';
import { readConfig } from '../../server/src/core/config';
import { analyzeText } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

const ERAS = path.join(FIXTURES, 'linux-x86-eras');
const read = (n: string) => fs.readFileSync(path.join(ERAS, n), 'utf8');

test('every spelling resolves to the SYSCALL_DEFINE name', () => {
  const cases: [string, string, string][] = [
    ['sys_read', 'sys_read', 'plain'],
    ['compat_sys_open', 'compat_sys_open', 'plain'],
    ['sys_clone/ptregs', 'sys_clone', 'ptregs'],
    ['__x64_sys_clone/ptregs', 'sys_clone', 'wrapper'],
    ['ptregs_sys_rt_sigreturn', 'sys_rt_sigreturn', 'ptregs'],
    ['stub_fork', 'sys_fork', 'stub'],
    ['stub_x32_execve', 'compat_sys_execve', 'stub'],
    ['stub32_clone', 'sys_clone', 'stub'],
    ['__x64_sys_read', 'sys_read', 'wrapper'],
    ['__ia32_sys_read', 'sys_read', 'wrapper'],
    ['__ia32_compat_sys_open', 'compat_sys_open', 'wrapper'],
    ['__x32_compat_sys_readv', 'compat_sys_readv', 'wrapper'],
    ['__x64_compat_sys_readv', 'compat_sys_readv', 'wrapper'],
    ['SyS_read', 'sys_read', 'inner'],
    ['SYSC_read', 'sys_read', 'inner'],
    ['__se_sys_read', 'sys_read', 'inner'],
    ['__do_compat_sys_open', 'compat_sys_open', 'inner'],
    ['sys32_x32_rt_sigreturn', 'sys32_x32_rt_sigreturn', 'plain'],
  ];
  for (const [w, c, form] of cases) {
    assert.equal(canonicalEntry(w), c, w);
    assert.equal(entryName(w).form, form, w);
  }
  assert.deepEqual(entryName('stub_x32_rt_sigreturn').alternatives, ['sys32_x32_rt_sigreturn']);
});

test('a compat column that repeats the native entry is no compat entry', () => {
  assert.deepEqual(canonicalPair('sys_read', '__ia32_sys_read'), { entry: 'sys_read', compat: undefined });
  assert.deepEqual(canonicalPair('sys_open', '__ia32_compat_sys_open'), {
    entry: 'sys_open',
    compat: 'compat_sys_open',
  });
});

test('the /ptregs qualifier parses; eras read off the spellings', () => {
  const m410 = parseTbl('syscall_64.tbl', read('syscall_64-4.10.tbl'));
  assert.equal(m410.problems.length, 0);
  assert.equal(m410.entries.find(e => e.name === 'clone')?.entry, 'sys_clone/ptregs');
  assert.equal(x86Era(m410.entries), 'ptregs');
  assert.equal(x86Era(parseTbl('syscall_64.tbl', read('syscall_64-4.17.tbl')).entries), 'wrapper');
  assert.equal(x86Era(parseTbl('syscall_32.tbl', read('syscall_32-4.17.tbl')).entries), 'wrapper');
  assert.equal(x86Era(parseTbl('syscall_64.tbl', read('syscall_64-4.4.tbl')).entries), 'stub');
  assert.equal(x86Era([{ entry: 'sys_read' }]), 'plain');
  // Still malformed: a qualifier with nothing after the slash, or two.
  assert.equal(
    parseTbl('syscall_64.tbl', '1 common write sys_write/\n2 common open sys_open/a/b\n').problems.length,
    2,
  );
});

test('the symbol the kernel really calls, per era', () => {
  assert.equal(x86CalledSymbol('sys_read', 'common', 'plain')?.symbol, '__x64_sys_read');
  assert.equal(x86CalledSymbol('sys_read', 'i386', 'plain')?.symbol, '__ia32_sys_read');
  assert.equal(x86CalledSymbol('compat_sys_readv', 'x32', 'plain')?.symbol, '__x64_compat_sys_readv');
  assert.equal(x86CalledSymbol('sys_clone/ptregs', 'common', 'ptregs')?.symbol, 'ptregs_sys_clone');
  assert.equal(x86CalledSymbol('__x64_sys_read', 'common', 'wrapper')?.symbol, '__x64_sys_read');
  // From 4.17 the table ignores `/ptregs`: every entry gets the registers.
  assert.equal(x86CalledSymbol('__x64_sys_clone/ptregs', 'common', 'wrapper')?.symbol, '__x64_sys_clone');
  assert.equal(x86CalledSymbol('sys_read', 'i386', 'wrapper')?.symbol, 'sys_read');
  assert.equal(x86CalledSymbol('stub_fork', 'common', 'stub')?.symbol, 'stub_fork');
  assert.equal(x86CalledSymbol('sys_read', 'o32', 'plain'), undefined);
});

/** A catalogue with a 6.12-style x86 table and the prototypes behind it. */
function modernCatalogue(): Catalogue {
  const cat = emptyCatalogue();
  const proto = (entry: string, file: string, line: number, kind: 'SYSCALL_DEFINE' | 'COMPAT_SYSCALL_DEFINE') =>
    addPrototype(cat, { entry, params: [{ type: 'unsigned int', name: 'fd' }], file, line, kind });
  proto('sys_read', 'fs/read_write.c', 10, 'SYSCALL_DEFINE');
  proto('sys_clone', 'kernel/fork.c', 20, 'SYSCALL_DEFINE');
  proto('sys_rt_sigreturn', 'arch/x86/kernel/signal_64.c', 30, 'SYSCALL_DEFINE');
  proto('sys_readv', 'fs/read_write.c', 40, 'SYSCALL_DEFINE');
  proto('compat_sys_readv', 'fs/read_write.c', 50, 'COMPAT_SYSCALL_DEFINE');
  cat.prototypes['sys_rt_sigreturn'][0].arch = 'x86';
  cat.tables['arch/x86/entry/syscalls/syscall_64.tbl'] = [
    { number: 0, abi: 'common', name: 'read', entry: 'sys_read', line: 0 },
    { number: 15, abi: '64', name: 'rt_sigreturn', entry: 'sys_rt_sigreturn', line: 1 },
    { number: 56, abi: 'common', name: 'clone', entry: 'sys_clone', line: 2 },
    { number: 515, abi: 'x32', name: 'readv', entry: 'compat_sys_readv', line: 3 },
  ];
  return cat;
}

test('prototypes, words and the cross-ABI lookup find every era spelling', () => {
  const cat = modernCatalogue();
  assert.equal(findPrototype(cat, '__x64_sys_read', 'x86')?.file, 'fs/read_write.c');
  assert.equal(findPrototype(cat, 'sys_clone/ptregs', 'x86')?.file, 'kernel/fork.c');
  assert.equal(findPrototype(cat, 'stub_rt_sigreturn', 'x86')?.file, 'arch/x86/kernel/signal_64.c');
  assert.equal(findPrototype(cat, '__x32_compat_sys_readv', 'x86')?.line, 50);
  assert.equal(findPrototype(cat, '__x64_sys_nosuch', 'x86'), undefined);
  const ref = linuxReference(cat);
  assert.equal(lookupSyscall(ref, '__x32_compat_sys_readv')?.name, 'readv');
  assert.equal(lookupSyscall(ref, 'SyS_read')?.name, 'read');
  const w = syscallWordAt('0\tcommon\tread\t__x64_sys_read\n', { line: 0, character: 18 });
  assert.deepEqual(w?.words, ['__x64_sys_read', 'sys_read', 'read']);
});

test('hover on a 4.17 table: the symbol called, the SYSCALL_DEFINE and its words', async () => {
  const cat = modernCatalogue();
  const file = '/k/arch/x86/entry/syscalls/syscall_64.tbl';
  const text = read('syscall_64-4.17.tbl');
  const a = await analyzeText(file, text, cat);
  const ws = { kernel: linuxReference(cat), config: readConfig(undefined), read: () => undefined, list: () => [] };
  const h = hover(a, text, { line: 0, character: 2 }, ws)!;
  assert.match(h.markdown, /Entry point `__x64_sys_read`: the kernel calls `__x64_sys_read`, the pt_regs wrapper/);
  assert.match(h.markdown, /fs\/read_write\.c:11/);
  assert.match(h.markdown, /Native: `sys_read\(unsigned int fd\)` — 1 word/);
  const clone = hover(a, text, { line: 2, character: 2 }, ws)!;
  assert.match(clone.markdown, /kernel\/fork\.c:21/);
  // A 6.12 table names sys_read: the kernel of 5.7 on calls __x64_sys_read.
  const modern = '0\tcommon\tread\t\t\tsys_read\n';
  const b = await analyzeText(file, modern, cat);
  assert.match(hover(b, modern, { line: 0, character: 2 }, ws)!.markdown, /the kernel calls `__x64_sys_read`/);
});

test('a copy of a 4.17-era table against a 6.12-era one: no drift for naming alone', async () => {
  const cat = modernCatalogue();
  // QEMU keeps x86_64's copy in linux-user/x86_64/.
  const a = await analyzeText('/q/linux-user/x86_64/syscall_64.tbl', read('syscall_64-4.17.tbl'), cat);
  const drift = a.findings.filter(f => f.code === 'tbl-drift');
  assert.deepEqual(drift, [], drift.map(f => f.message).join('\n'));
  // A real difference is still one.
  const changed = read('syscall_64-4.17.tbl').replace('__x32_compat_sys_readv', '__x32_compat_sys_writev');
  const b = await analyzeText('/q/linux-user/x86_64/syscall_64.tbl', changed, cat);
  assert.deepEqual(
    b.findings.filter(f => f.code === 'tbl-drift').map(f => f.message),
    [
      "515 readv differs from the kernel's arch/x86/entry/syscalls/syscall_64.tbl: entry point __x32_compat_sys_writev -> compat_sys_readv",
    ],
  );
});
