import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES } from '../helpers/paths';
import { evalExpr } from '../../server/src/syntax/c/defines';
import { parseSyscallNr, renderDefine } from '../../server/src/families/qemu/syscallNr/model';
import { interpretSyscallHdr, regenHeader } from '../../server/src/families/qemu/syscallhdr';
import { diskReader } from '../../server/src/io/files';
import { Expected, expectedForHeader, syscallNrFindings } from '../../server/src/families/qemu/syscallNr/rules';
import { emptyCatalogue } from '../../server/src/reference/linux/catalogue';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { applyEdits } from '../../server/src/core/edits';

const DIR = path.join(FIXTURES, 'syscallnr');
const QEMU = path.join(DIR, 'qemu');
const read = (f: string) => fs.readFileSync(path.join(DIR, f), 'utf8');
const parse = (f: string) => parseSyscallNr(path.join(DIR, f), read(f));

test('gensyscalls.sh style: numbers, ranges, guard, bases defined after their use, the count', () => {
  const m = parse('generic_nr.h');
  assert.equal(m.guard, 'LINUX_USER_GEN_SYSCALL_NR_H');
  assert.equal(m.stub, false);
  assert.deepEqual(m.problems, []);
  assert.deepEqual(
    m.defines.map(d => [d.name, d.number, d.kind]),
    [
      ['cacheflush', 244, 'syscall'],
      ['io_setup', 0, 'syscall'],
      ['io_destroy', 1, 'syscall'],
      ['io_sumbit', 2, 'syscall'],
      ['getcwd', 17, 'syscall'],
      ['dup', 24, 'syscall'],
      ['arch_specific_syscall', 244, 'base'],
      ['syscalls', 451, 'count'],
    ],
  );
  const d = m.defines[3];
  assert.deepEqual(d.ranges.macro, { start: { line: 11, character: 8 }, end: { line: 11, character: 27 } });
  assert.deepEqual(d.ranges.name, { start: { line: 11, character: 18 }, end: { line: 11, character: 27 } });
  assert.deepEqual(d.ranges.value, { start: { line: 11, character: 28 }, end: { line: 11, character: 29 } });
  assert.deepEqual(d.conditions, [], 'the include guard is not a condition');
  assert.equal(m.defines[0].value, '(TARGET_NR_arch_specific_syscall)');
});

test('hand-written cris style: tabs, trailing comments, (TARGET_NR_x+N), commented-out defines', () => {
  const m = parse('cris_nr.h');
  assert.deepEqual(m.problems, []);
  assert.deepEqual(
    m.defines.map(d => [d.name, d.number]),
    [
      ['restart_syscall', 0],
      ['exit', 1],
      ['fork', 2],
      ['afs_syscall', 137],
      ['timer_create', 259],
      ['timer_settime', 260],
    ],
  );
  const afs = m.defines[3];
  assert.equal(afs.value, '137');
  assert.equal(afs.comment, 'Syscall for Andrew File System');
  assert.deepEqual(afs.ranges.value, { start: { line: 10, character: 30 }, end: { line: 10, character: 33 } });
  assert.equal(m.style.separator, '\t\t  ');
  assert.equal(renderDefine(m, 'TARGET_NR_read', '3'), '#define TARGET_NR_read\t\t  3');
});

test('stubs: #if/#elif/#else blocks that only include generated headers', () => {
  const m = parse('stub_nr.h');
  assert.equal(m.stub, true);
  assert.deepEqual(m.defines, []);
  assert.deepEqual(
    m.includes.map(i => [i.path, i.conditions]),
    [
      ['syscall_o32_nr.h', ['defined(TARGET_ABI_MIPSO32)']],
      ['syscall_n32_nr.h', ['!(defined(TARGET_ABI_MIPSO32))', 'defined(TARGET_ABI_MIPSN32)']],
      ['syscall_n64_nr.h', ['!(defined(TARGET_ABI_MIPSO32))', '!(defined(TARGET_ABI_MIPSN32))']],
    ],
  );
  assert.deepEqual(
    m.macros.map(x => [x.macro, x.number]),
    [
      ['TARGET_SYSCALL_OFFSET', 4000],
      ['TARGET_SYSCALL_OFFSET', 6000],
      ['TARGET_SYSCALL_OFFSET', 5000],
    ],
  );
  assert.deepEqual(
    syscallNrFindings('stub_nr.h', m, { entries: [{ number: 0, name: 'read', line: 0, file: 't' }], source: 't' }),
    [],
  );
});

test('ARM private numbers: ARM_NR_BASE is a base, ARM_NR_x are private', () => {
  const m = parse('arm_target_syscall.h');
  assert.deepEqual(
    m.defines.map(d => [d.macro, d.name, d.number, d.kind]),
    [
      ['ARM_NR_BASE', 'BASE', 0xf0000, 'base'],
      ['ARM_NR_breakpoint', 'breakpoint', 0xf0001, 'private'],
      ['ARM_NR_cacheflush', 'cacheflush', 0xf0002, 'private'],
      ['ARM_NR_set_tls', 'set_tls', 0xf0005, 'private'],
    ],
  );
  assert.deepEqual(
    m.macros.map(x => [x.macro, x.number]),
    [
      ['ARM_SYSCALL_BASE', 0x900000],
      ['ARM_THUMB_SYSCALL', 0],
    ],
  );
  assert.deepEqual(
    syscallNrFindings('a.h', m, { entries: [{ number: 0xf0002, name: 'other', line: 0, file: 't' }], source: 't' }),
    [],
  );
});

test('(TARGET_NR_Linux + N) with #ifdef blocks; unknown names are problems', () => {
  const m = parse('linux_base_nr.h');
  assert.deepEqual(
    m.defines.map(d => [d.name, d.number, d.kind, d.conditions]),
    [
      ['Linux', 4000, 'base', []],
      ['syscall', 4000, 'syscall', []],
      ['exit', 4001, 'syscall', []],
      ['fork', 4003, 'syscall', []],
      ['read', 4003, 'syscall', ['defined(TARGET_WANT_OLD)']],
    ],
  );
  const bad = parseSyscallNr(
    'x.h',
    '#define TARGET_NR_a (TARGET_NR_nope + 1)\n#define TARGET_NR_b 1 +\nint x;\n#ifdef A\n',
  );
  assert.deepEqual(
    bad.problems.map(p => [p.line, p.message]),
    [
      [0, 'the value of `TARGET_NR_a` uses `TARGET_NR_nope`, not defined in this file'],
      [1, 'the value of `TARGET_NR_b` is not an integer expression'],
      [2, 'not a preprocessor line: a syscall header holds only `#define`, `#include` and conditionals'],
      [3, 'this `#if` has no `#endif`'],
    ],
  );
  assert.equal(
    evalExpr('(0x900000 + 2) << 1', () => undefined),
    0x1200004,
  );
});

const K = (number: number, name: string, line = number, entry = `sys_${name}`) => ({
  number,
  name,
  line,
  file: 'k/syscall.tbl',
  entry,
});

test('nr-mismatch, name-mismatch and missing-entry, with fixes in the file style', () => {
  const file = path.join(DIR, 'generic_nr.h');
  const text = read('generic_nr.h');
  const m = parseSyscallNr(file, text);
  const expected: Expected = {
    source: 'k/syscall.tbl (common)',
    entries: [
      K(0, 'io_setup'),
      K(1, 'io_destroy'),
      K(2, 'io_submit'),
      K(3, 'io_cancel'),
      K(17, 'getcwd'),
      K(23, 'dup'),
      K(24, 'dup3'),
      K(25, 'fcntl'),
      K(26, 'inotify_init1'),
      K(27, 'inotify_add_watch'),
      K(28, 'inotify_rm_watch'),
      K(29, 'unused', 29, 'sys_ni_syscall'),
      K(244, 'cacheflush'),
    ],
  };
  const fs_ = syscallNrFindings(file, m, expected);
  assert.deepEqual(
    fs_.map(f => [f.code, f.severity, f.range.start.line, f.syscall]),
    [
      ['name-mismatch', 'warning', 11, 'io_sumbit'],
      ['nr-mismatch', 'error', 13, 'dup'],
      ['missing-entry', 'warning', 11, 'io_cancel'],
      ['missing-entry', 'warning', 13, 'dup3'],
    ],
  );
  assert.match(
    fs_[0].message,
    /^TARGET_NR_io_sumbit \(2\): k\/syscall.tbl \(common\) has no io_sumbit; 2 is io_submit there/,
  );
  assert.equal(
    fs_[1].message,
    'TARGET_NR_dup is 24, but dup is 23 in k/syscall.tbl (common); 24 is dup3 there, so a guest calling dup3 gets dup',
  );
  assert.match(
    fs_[3].message,
    /^5 syscalls of k\/syscall.tbl \(common\) are not in this header: dup3 \(24\) to inotify_rm_watch \(28\)/,
  );
  const fixed = applyEdits(
    text,
    fs_.flatMap(f => f.fixes.filter(x => x.preferred).flatMap(x => x.edits)),
  );
  assert.ok(
    fixed.includes(
      '#define TARGET_NR_io_submit 2\n#define TARGET_NR_io_cancel 3\n#define TARGET_NR_getcwd 17\n#define TARGET_NR_dup 23\n#define TARGET_NR_dup3 24\n#define TARGET_NR_fcntl 25\n',
    ),
    fixed,
  );
  assert.ok(!fixed.includes('unused'), 'a sys_ni_syscall number is not missing');
  const again = syscallNrFindings(file, parseSyscallNr(file, fixed), expected);
  assert.deepEqual(
    again.map(f => f.code),
    [],
    'after the fixes nothing is left',
  );
});

test('aliases and bases are not name-mismatch; (BASE + N) keeps its form when fixed', () => {
  const file = path.join(DIR, 'linux_base_nr.h');
  const m = parse('linux_base_nr.h');
  const expected: Expected = {
    source: 't',
    entries: [K(4000, 'syscall'), K(4001, 'exit'), K(4002, 'fork'), K(4003, 'read')],
  };
  const fs_ = syscallNrFindings(file, m, expected);
  assert.deepEqual(
    fs_.map(f => [f.code, f.syscall, f.fixes[0].edits[0].newText]),
    [['nr-mismatch', 'fork', '(TARGET_NR_Linux +   2)']],
  );
  // A second name for a number the header also defines under the kernel's name: not a
  // name-mismatch, but syscall.c's two cases would be one value (duplicate-entry).
  const alias = parseSyscallNr('a.h', '#define TARGET_NR_fadvise64 3\n#define TARGET_NR_fadvise64_64 3\n');
  const dup = syscallNrFindings('a.h', alias, { source: 't', entries: [K(3, 'fadvise64')] });
  assert.deepEqual(
    dup.map(f => [f.code, f.syscall, f.fixes[0]?.title]),
    [['duplicate-entry', 'fadvise64_64', 'Remove TARGET_NR_fadvise64_64']],
  );
  assert.match(dup[0].message, /both 3; t has fadvise64 there/);
  assert.deepEqual(syscallNrFindings('a.h', alias, undefined), []);
  // Written as the other macro, it is an alias on purpose.
  const meant = parseSyscallNr(
    'a.h',
    '#define TARGET_NR_fadvise64 3\n#define TARGET_NR_fadvise64_64 TARGET_NR_fadvise64\n',
  );
  assert.deepEqual(syscallNrFindings('a.h', meant, { source: 't', entries: [K(3, 'fadvise64')] }), []);
});

test('expectedForHeader: the target .tbl by its ABI list, with the meson offset; a catalogue table otherwise', () => {
  const e = expectedForHeader('linux-user/foo/syscall_nr.h', QEMU, undefined, { io: diskReader, target: 'foo' });
  assert.equal(e?.source, 'linux-user/foo/syscall.tbl (common,32)');
  assert.deepEqual(
    e?.entries.map(x => [x.number, x.name]),
    [
      [4000, 'restart_syscall'],
      [4001, 'exit'],
      [4003, 'fadvise64'],
      [4002, 'fork'],
    ],
  );
  assert.equal(
    expectedForHeader('linux-user/foo/syscall_nr.h', QEMU, undefined, { io: diskReader }),
    undefined,
    'foo and foo64 differ: no guess',
  );
  const cat = emptyCatalogue();
  cat.tables['scripts/syscall.tbl'] = [
    { number: 84, abi: 'common', name: 'sync_file_range', entry: 'sys_sync_file_range', line: 107 },
    { number: 435, abi: 'common', name: 'clone3', entry: 'sys_clone3', line: 500 },
    { number: 436, abi: '64', name: 'only64', entry: 'sys_only64', line: 501 },
  ];
  const h = expectedForHeader('linux-user/hexagon/syscall_nr.h', QEMU, linuxReference(cat), { io: diskReader });
  assert.deepEqual(
    h?.entries.map(x => [x.number, x.name, x.entry]),
    [
      [84, 'sync_file_range2', 'sys_sync_file_range'],
      [435, 'clone3', undefined],
    ],
  );
  assert.equal(
    expectedForHeader('linux-user/cris/syscall_nr.h', QEMU, linuxReference(cat), { io: diskReader }),
    undefined,
  );
});

test('regenHeader: the script interpreted (mips-style rename, sort -n ties, offset), targets and errors', () => {
  const tbl = fs.readFileSync(path.join(QEMU, 'linux-user/foo/syscall.tbl'), 'utf8');
  const r = regenHeader(QEMU, tbl, 'linux-user/foo/syscall.tbl', 'foo', diskReader);
  assert.ok(r.ok, r.ok ? '' : r.error);
  if (r.ok) {
    assert.equal(
      r.text,
      [
        '#ifndef LINUX_USER_FOO_SYSCALL_NR_H',
        '#define LINUX_USER_FOO_SYSCALL_NR_H',
        '',
        '#define TARGET_NR_restart_syscall\t(4000 + 0)',
        '#define TARGET_NR_fork\t(4000 + 0x2)',
        '#define TARGET_NR_exit\t(4000 + 1)',
        '#define TARGET_NR_fadvise64_64\t(4000 + 3)',
        '',
        '#endif /* LINUX_USER_FOO_SYSCALL_NR_H */',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      [r.target, r.abis, r.prefix, r.offset, r.output],
      ['foo', 'common,32', '', '4000', 'syscall_nr.h'],
    );
  }
  const both = regenHeader(QEMU, tbl, 'linux-user/foo/syscall.tbl', undefined, diskReader);
  assert.ok(!both.ok);
  if (!both.ok) {
    assert.deepEqual(both.candidates, ['foo', 'foo64']);
    assert.equal(
      both.error,
      'linux-user/foo/syscall.tbl serves targets with different ABI lists: foo (TARGET_SYSTBL_ABI=common,32), foo64 (TARGET_SYSTBL_ABI=common,64); choose one with --target',
    );
  }
  const bar = regenHeader(QEMU, '0 common read sys_read\n', 'linux-user/bar/syscall.tbl', undefined, diskReader);
  assert.ok(!bar.ok);
  if (!bar.ok)
    assert.equal(
      bar.error,
      'linux-user/bar/syscallhdr.sh: systab cannot interpret this script: line 19: the command `awk` is not interpreted',
    );
  const none = regenHeader(QEMU, '', 'linux-user/baz/syscall.tbl', undefined, diskReader);
  assert.ok(!none.ok && /no QEMU target uses linux-user\/baz\/syscall.tbl/.test(none.error));
  // Open buffers: the callback wins over the disk.
  const io = {
    read: (f: string) => (f.endsWith('syscallhdr.sh') ? 'in="$1"\nout="$2"\nrm -rf /\n' : fs.readFileSync(f, 'utf8')),
    list: diskReader.list,
  };
  const odd = regenHeader(QEMU, tbl, 'linux-user/foo/syscall.tbl', 'foo', io);
  assert.ok(
    !odd.ok && /line 3: `rm -rf \/` is not one of the statements systab interprets/.test(odd.error),
    odd.ok ? '' : odd.error,
  );
});

test('interpretSyscallHdr: echo style, ppc-style skip of sys_ni_syscall, read with a backslash', () => {
  const script = [
    'in="$1"',
    'out="$2"',
    "my_abis=`echo \"($3)\" | tr ',' '|'`",
    'prefix="$4"',
    'offset="$5"',
    'fileguard=LINUX_USER_X_`basename "$out" | sed \\',
    "    -e 'y/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/' \\",
    "    -e 's/[^A-Z0-9_]/_/g' -e 's/__/_/g'`",
    'grep -E "^[0-9A-Fa-fXx]+[[:space:]]+${my_abis}" "$in" | sort -n | (',
    '    echo "#ifndef ${fileguard}"',
    '    while read nr abi name entry compat ; do',
    '        if [ "$entry" = "sys_ni_syscall" ] ; then',
    '            continue',
    '        fi',
    '        echo "#define TARGET_NR_${prefix}${name} $nr"',
    '    done',
    '    echo "#endif"',
    ') > "$out"',
    '',
  ].join('\n');
  const r = interpretSyscallHdr(script, {
    tbl: '10 common a\\b sys_a\n2 spu x sys_x\n1 common y sys_ni_syscall\n3 commonx z sys_z\n',
    out: 'build/syscall__x_nr.h',
    abis: 'common',
    extra: ['arm_'],
  });
  assert.deepEqual(r, {
    ok: true,
    text: '#ifndef LINUX_USER_X_SYSCALL_X_NR_H\n#define TARGET_NR_arm_z 3\n#define TARGET_NR_arm_ab 10\n#endif\n',
  });
});
