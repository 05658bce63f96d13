// FreeBSD: the syscalls.master parser, the syscall.h generator, argument words per ABI, and
// the bsd-user families on the fixtures (test/fixtures/freebsd, test/fixtures/qemu-bsd).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { freebsdAbi, freebsdWords } from '../../server/src/reference/freebsd/abis';
import { generateSyscallH } from '../../server/src/reference/freebsd/header';
import { parseMaster, parseParam } from '../../server/src/reference/freebsd/master';
import { bsdNrFamily } from '../../server/src/families/qemu/bsdNr/family';
import { parseBsdNr } from '../../server/src/families/qemu/bsdNr/model';
import { analyzeText, fixtureFreeBsd } from '../helpers/engine';
import { FREEBSD_FIXTURE, QEMU_BSD, QEMU_DISPATCH } from '../helpers/paths';
import { readConfig } from '../../server/src/core/config';
import { bsdCoverage } from '../../server/src/families/qemu/bsdCoverage';
import { listDir } from '../../server/src/io/files';
import { newParser } from '../../server/src/syntax/c/parser';

const MASTER = path.join(FREEBSD_FIXTURE, 'sys', 'kern', 'syscalls.master');
const MASTER32 = path.join(FREEBSD_FIXTURE, 'sys', 'compat', 'freebsd32', 'syscalls.master');
const BSD = path.join(QEMU_BSD, 'bsd-user', 'freebsd');
const read = (f: string) => fs.readFileSync(f, 'utf8');
const codes = (fs: { code: string; syscall?: string }[]) => fs.map(f => `${f.code} ${f.syscall ?? ''}`.trim()).sort();

test('syscalls.master: numbers, ranges, flags, multi-line prototypes, annotations, alternative names', () => {
  const m = parseMaster(MASTER, read(MASTER));
  assert.deepEqual(m.problems, []);
  const byN = new Map(m.entries.map(e => [e.number, e]));
  assert.equal(byN.get(7)!.last, 8);
  assert.deepEqual(byN.get(1)!.flags, ['STD', 'CAPENABLED']);
  assert.deepEqual(byN.get(3)!.proto!.params, [
    { type: 'int', name: 'fd' },
    { type: 'void *', name: 'buf', annotations: ['_Out_writes_bytes_(nbyte)'] },
    { type: 'size_t', name: 'nbyte' },
  ]);
  assert.equal(byN.get(0)!.proto!.varargs, true);
  assert.equal(byN.get(6)!.name, 'execv');
  assert.equal(byN.get(10)!.name, 'lkmnosys');
  assert.equal(byN.get(15)!.proto!.params.length, 2, 'a comma after the last parameter is accepted');
  // Exact ranges: the name in `\t\tssize_t read(` on the line after the number.
  const r = byN.get(3)!.ranges.name!;
  assert.equal(m.map.text.split('\n')[r.start.line].slice(r.start.character, r.end.character), 'read');
});

test('the older one-line layout: continuations, alternative names after the brace, #ifdef alternatives', () => {
  const m = parseMaster(MASTER32, read(MASTER32));
  assert.deepEqual(m.problems, []);
  const e1 = m.entries.find(e => e.number === 1)!;
  assert.equal(e1.name, 'exit');
  assert.equal(e1.alttag, 'sys_exit_args');
  assert.equal(e1.altrtyp, 'void');
  const fives = m.entries.filter(e => e.number === 5);
  assert.equal(fives.length, 2);
  assert.deepEqual(
    fives.map(e => e.proto!.params.length),
    [6, 5],
  );
  assert.equal(m.entries.find(e => e.number === 4)!.comment, '(BSD/OS 2.x)');
});

test('bad input gives problems, never a throw', () => {
  const bad = [
    '\u0000\u0001junk',
    '12\tAUE_NULL\tSTD {\n\t\tint f(\n',
    '1\tAUE_NULL\n',
    '  stray }\n',
    '3\tAUE_NULL\tSTD { int f(int); } a b c d\n',
    '#else\n#endif\n#ifdef X\n',
    '5-2\tAUE_NULL\tRESERVED\n',
    '99999999999999999999\tAUE_NULL\tSTD\n',
    '7\tAUE_NULL\tSTD { int (int x); }\n',
    'x'.repeat(100000),
  ];
  for (const t of bad) {
    const m = parseMaster('x', t);
    assert.ok(m.problems.length > 0, JSON.stringify(t.slice(0, 30)));
  }
});

test('syscall.h generated from the fixture master equals the fixture syscall.h', () => {
  const m = parseMaster(MASTER, read(MASTER));
  assert.equal(generateSyscallH(m.entries), read(path.join(FREEBSD_FIXTURE, 'sys', 'sys', 'syscall.h')));
});

test('argument words: one per argument on 64-bit; i386 two for off_t; arm two after a pad', () => {
  const pread = ['int fd', 'void *buf', 'size_t nbyte', 'off_t offset'].map(s => parseParam(s)!);
  assert.equal(freebsdWords(pread, freebsdAbi('x86_64')!).length, 4);
  assert.equal(freebsdWords(pread, freebsdAbi('i386')!).length, 5);
  const arm = freebsdWords(pread, freebsdAbi('arm')!);
  assert.deepEqual(
    arm.map(w => w.part),
    ['whole', 'whole', 'whole', 'pad', 'lo', 'hi'],
  );
  const lseek = ['int fd', 'off_t offset', 'int whence'].map(s => parseParam(s)!);
  assert.equal(freebsdWords(lseek, freebsdAbi('arm')!).length, 5);
  assert.equal(freebsdWords(lseek, freebsdAbi('i386')!).length, 4);
});

test('bsd-user syscall_nr.h: renumbered, retired, missing, MAXSYSCALL; fix-all then nothing fixable; regenerate', async () => {
  const file = path.join(BSD, 'syscall_nr.h');
  const text = read(file);
  const a = await analyzeText(file, text, undefined, {}, fixtureFreeBsd());
  const mine = a.findings.filter(f => f.code !== 'not-dispatched');
  assert.deepEqual(codes(mine), [
    'missing-entry swapoff',
    'name-mismatch execv',
    'nr-mismatch MAXSYSCALL',
    'nr-mismatch swapoff',
  ]);
  const swapoff = mine.find(f => f.code === 'nr-mismatch' && f.syscall === 'swapoff')!;
  assert.match(swapoff.message, /freebsd13_swapoff/);
  const fixed = applyEdits(text, fixAllEdits(a.findings));
  assert.match(fixed, /#define TARGET_FREEBSD_NR_freebsd13_swapoff     12\n/);
  assert.match(fixed, /\/\* 6 is obsolete execv \*\//);
  const b = await analyzeText(file, fixed, undefined, {}, fixtureFreeBsd());
  assert.deepEqual(
    b.findings.filter(f => f.fixes.some(x => x.preferred)),
    [],
  );
  assert.equal(applyEdits(fixed, fixAllEdits(b.findings)), fixed);
  // Regenerate: FreeBSD's syscall.h in QEMU's prefix and spacing, the file's own header kept.
  const ws = { freebsd: fixtureFreeBsd(), config: readConfig(undefined), read: () => undefined, list: () => [] };
  const g = bsdNrFamily.regenerate!(parseBsdNr(file, text), ws)!;
  const regen = applyEdits(text, [g.edit]);
  assert.ok(regen.startsWith(text.slice(0, text.indexOf('#define'))));
  const expected = read(path.join(FREEBSD_FIXTURE, 'sys', 'sys', 'syscall.h'))
    .split('\n')
    .slice(6)
    .join('\n')
    .replace(/SYS_/g, 'TARGET_FREEBSD_NR_')
    .split('\n')
    .map(l => l.replace(/\t/g, m => m))
    .join('\n');
  assert.equal(
    regen.slice(regen.indexOf('#define')).replace(/ +/g, ' '),
    expected.slice(expected.indexOf('#define')).replace(/\t+/g, ' ').replace(/ +/g, ' '),
  );
});

test('bsd-user strace.list: shadowed rows, names, word counts per target, %s, balance, not traced', async () => {
  const file = path.join(BSD, 'strace.list');
  const a = await analyzeText(file, read(file), undefined, {}, fixtureFreeBsd());
  assert.deepEqual(codes(a.findings), [
    'duplicate-entry exit',
    'duplicate-entry read',
    'name-mismatch read',
    'not-traced swapoff',
    'not-traced syscall',
    'strace-format-args exit',
    'strace-format-args mknodat',
    'strace-format-args open',
    'strace-format-args pread',
    'strace-format-args thr_suspend',
  ]);
  const pread = a.findings.find(f => f.syscall === 'pread')!;
  assert.equal(pread.severity, 'information');
  assert.match(pread.message, /arm 6, i386 5/);
  assert.equal(a.findings.find(f => f.syscall === 'thr_suspend')!.severity, 'warning');
});

test('bsd-user os-syscall.c: dead labels, fallthrough (shared bodies and fallthrough comments are fine)', async () => {
  const file = path.join(BSD, 'os-syscall.c');
  const a = await analyzeText(file, read(file), undefined, {}, fixtureFreeBsd());
  assert.deepEqual(codes(a.findings), ['case-fallthrough read', 'dead-case write']);
  const ft = a.findings.find(f => f.code === 'case-fallthrough')!;
  assert.equal(ft.range.start.line, 14);
  assert.match(ft.message, /into the code for pread/);
});

test('without a FreeBSD reference, each bsd-user table gets one information finding saying how to supply one', async () => {
  for (const n of ['syscall_nr.h', 'strace.list']) {
    const file = path.join(BSD, n);
    const a = await analyzeText(file, read(file), undefined, {}, null);
    const nr = a.findings.filter(f => f.code === 'not-checked');
    assert.equal(nr.length, 1, n);
    assert.match(nr[0].message, /systab\.freebsdPath/);
  }
});

test('linux-user syscall.c: the same fallthrough check, honouring shared labels, comments and #ifdef bodies', async () => {
  const file = path.join(QEMU_DISPATCH, 'linux-user', 'syscall.c');
  const text = [
    'static abi_long do_syscall1(CPUArchState *cpu_env, int num, abi_long arg1)',
    '{',
    '    abi_long ret;',
    '    switch (num) {',
    '    case TARGET_NR_exit:',
    '        ret = get_errno(exit(arg1));',
    '    case TARGET_NR_read:',
    '    case TARGET_NR_write:',
    '        return get_errno(write(1, 0, 0));',
    '    case TARGET_NR_open:',
    '        ret = 1;',
    '        /* fallthrough */',
    '    case TARGET_NR_close:',
    '#ifdef X',
    '        return 1;',
    '#else',
    '        return 2;',
    '#endif',
    '    case TARGET_NR_getpid:',
    '        g_assert_not_reached();',
    '    default:',
    '        return -TARGET_ENOSYS;',
    '    }',
    '}',
    '',
  ].join('\n');
  const a = await analyzeText(file, text);
  const ft = a.findings.filter(f => f.code === 'case-fallthrough');
  assert.deepEqual(
    ft.map(f => [f.syscall, f.range.start.line]),
    [['exit', 5]],
  );
  assert.match(ft[0].message, /into the code for read/);
});

test('coverage: bsd-user per target, against FreeBSD', async () => {
  const parser = await newParser();
  try {
    const rows = bsdCoverage(
      QEMU_BSD,
      { read: f => (fs.existsSync(f) ? read(f) : undefined), list: listDir },
      parser,
      fixtureFreeBsd(),
    );
    assert.deepEqual(
      rows.map(r => [r.target, r.arch, r.freebsd, r.qemu, r.dispatched, r.traced]),
      [
        ['arm', 'arm', 10, 8, 5, 7],
        ['i386', 'i386', 10, 8, 5, 7],
        ['x86_64', 'x86_64', 10, 8, 5, 7],
      ],
    );
    assert.deepEqual(
      rows[0].notInHeader.map(m => m.name),
      ['swapoff', 'fchroot'],
    );
    // Where each would go: before MAXSYSCALL (both are past the header's last number), before
    // os-syscall.c's default label, at strace.list's end.
    const bsdDir = path.join(QEMU_BSD, 'bsd-user', 'freebsd');
    assert.deepEqual(rows[0].notInHeader[0].where, { file: path.join(bsdDir, 'syscall_nr.h'), line: 18 });
    assert.deepEqual(
      rows[0].notDispatched.map(m => [m.name, path.basename(m.where.file), m.where.line]),
      [
        ['syscall', 'os-syscall.c', 32],
        ['thr_suspend', 'os-syscall.c', 32],
        ['mknodat', 'os-syscall.c', 32],
      ],
    );
  } finally {
    parser.delete();
  }
});
