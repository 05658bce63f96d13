// Acceptance on QEMU 7.2 (fetched by scripts/fetch-real-data.sh; skipped when absent):
// strace.list's missing and dead rows against the tree's targets and syscall.c, and
// syscall.c's 64-bit pairs on the ABIs that align them, against Linux 6.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { Finding } from '../../server/src/core/types';
import { parseStraceList } from '../../server/src/families/qemu/straceList/model';
import { analyzeText, catalogueOf } from '../helpers/engine';
import { realData } from '../helpers/paths';
import { caseLabels } from '../../server/src/families/qemu/dispatch/labels';
import { pairMisreads, PairMisread, pairTargets } from '../../server/src/families/qemu/dispatch/pairs';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { newParser } from '../../server/src/syntax/c/parser';
import { listDir } from '../../server/src/io/files';

const real = realData();
const skip = real
  ? false
  : 'real QEMU/Linux trees not available (Debian archive unreachable?): run scripts/fetch-real-data.sh';

const TIME64 = [
  'clock_adjtime64',
  'clock_getres_time64',
  'clock_nanosleep_time64',
  'clock_settime64',
  'futex_time64',
  'mq_timedreceive_time64',
  'mq_timedsend_time64',
  'ppoll_time64',
  'pselect6_time64',
  'rt_sigtimedwait_time64',
  'sched_rr_get_interval_time64',
  'semtimedop_time64',
  'timer_gettime64',
  'timerfd_gettime64',
  'timerfd_settime64',
  'utimensat_time64',
];

test('QEMU 7.2 strace.list: the rows it misses and the rows no target compiles', { skip }, async () => {
  const file = path.join(real!.qemu, 'linux-user/strace.list');
  const text = fs.readFileSync(file, 'utf8');
  const cSource = fs.readFileSync(path.join(real!.qemu, 'linux-user/syscall.c'), 'utf8').split('\n');
  const cat = await catalogueOf(real!.linux);
  const found = (await analyzeText(file, text, cat)).findings;
  const of = (code: string) => found.filter(f => f.code === code);
  const missing = of('not-traced');
  assert.deepEqual(
    missing.map(f => f.syscall).sort(),
    ['arm_sync_file_range', ...TIME64.slice(0, 8), 'oldumount', 'open_by_handle_at', ...TIME64.slice(8)].sort(),
  );
  // Confirmed by hand: a target's table defines it, syscall.c has the case, strace.list has no row.
  for (const [name, targets, tbl] of [
    ['clock_adjtime64', 22, 'arm/syscall.tbl:422'],
    ['open_by_handle_at', 35, 'alpha/syscall.tbl:429'],
    ['oldumount', 1, 'alpha/syscall.tbl:254'],
  ] as const) {
    const f = missing.find(x => x.syscall === name)!;
    const [c, ...tables] = f.related;
    assert.equal(cSource[c.location.range.start.line].trim(), `case TARGET_NR_${name}:`);
    assert.ok(!new RegExp(`TARGET_NR_${name}\\b`).test(text), `${name} has no row`);
    assert.ok(
      tables.some(
        t =>
          `${path.relative(path.join(real!.qemu, 'linux-user'), t.location.file)}:${t.location.range.start.line + 1}` ===
          tbl,
      ),
      `${name}: ${tbl}`,
    );
    const tblLine = fs.readFileSync(path.join(real!.qemu, 'linux-user', tbl.split(':')[0]), 'utf8').split('\n')[
      Number(tbl.split(':')[1]) - 1
    ];
    assert.equal(tblLine.split(/\s+/)[2], name);
    assert.match(f.message, new RegExp(`^${name} has no row: syscall\\.c dispatches it \\(line \\d+\\) for `));
    assert.equal(f.message.includes(`and ${targets - 5} more`) || targets <= 6, true);
  }
  // sched_setattr is dispatched but printed by no row: its row is spelt sched_setatt.
  const dead = of('dead-row');
  assert.deepEqual(
    dead.map(f => `${f.range.start.line + 1} ${f.syscall} ${f.severity}`),
    [
      '31 aplib information',
      '175 _exit information',
      '509 Linux information',
      '553 madvise1 information',
      '655 multiplexer information',
      '958 osf_shmat information',
      '1226 sched_setatt warning',
      '1461 streams1 information',
      '1464 streams2 information',
      '1503 sys_kexec_load information',
      '1512 sys_setaltroot information',
    ],
  );
  assert.match(dead.find(f => f.syscall === 'sched_setatt')!.message, /spelt like sched_setattr/);
  // ppc's syscallhdr.sh leaves sys_ni_syscall lines out: the kernel only reserves multiplexer.
  assert.match(dead.find(f => f.syscall === 'multiplexer')!.message, /only reserves multiplexer \(sys_ni_syscall\)/);

  // fix-all: every missing row inserted under its guard, the misspelt row renamed, dead rows deleted.
  const once = applyEdits(text, fixAllEdits(found));
  const rows = parseStraceList(file, once);
  assert.deepEqual(rows.problems, []);
  for (const n of [...TIME64, 'oldumount', 'open_by_handle_at', 'arm_sync_file_range', 'sched_setattr'])
    assert.ok(
      rows.entries.some(e => e.name === n && e.guard?.macro === e.nr),
      n,
    );
  assert.ok(!rows.entries.some(e => ['sched_setatt', 'aplib', 'osf_shmat'].includes(e.name)));
  const after = (await analyzeText(file, once, cat)).findings;
  const left = (fs: Finding[]) => fs.filter(f => f.code === 'not-traced' || f.code === 'dead-row');
  assert.deepEqual(left(after), []);
  assert.equal(applyEdits(once, fixAllEdits(after)), once);
});

test(
  'QEMU 7.2 syscall.c: 64-bit pairs on o32, ARM EABI, PPC32, Xtensa and Hexagon against Linux 6.1',
  { skip },
  async () => {
    const file = path.join(real!.qemu, 'linux-user/syscall.c');
    const text = fs.readFileSync(file, 'utf8');
    const found = (await analyzeText(file, text, await catalogueOf(real!.linux))).findings.filter(
      f => f.code === 'unaligned-pair',
    );
    // hexagon's hand-written syscall_nr.h names 84 sync_file_range; Linux 6.1's hexagon has
    // sync_file_range2 there (__ARCH_WANT_SYNC_FILE_RANGE2): fd, flags, offset, nbytes. The
    // non-MIPS branch of case TARGET_NR_sync_file_range reads offset from arg2/arg3.
    assert.deepEqual(
      found.map(f => `${f.range.start.line + 1} ${f.syscall}`),
      ['12715 sync_file_range'],
    );
    const f = found[0];
    assert.equal(text.split('\n')[12714].trim(), 'case TARGET_NR_sync_file_range:');
    assert.match(f.message, /reads offset from arg2\/arg3 where the kernel passes it in arg3\/arg4/);
    assert.match(f.message, /the kernel has sync_file_range2 at that number on hexagon/);
    assert.equal(f.related.length, 1);
    assert.match(
      f.related[0].message,
      /^hexagon \(hexagon\): sys_sync_file_range2\(int fd, unsigned int flags, loff_t offset, loff_t nbytes\): arg1=r0: fd, arg2=r1: flags, arg3=r2: offset \(1st half\)/,
    );
    assert.equal(path.relative(real!.linux, f.related[0].location.file), 'fs/sync.c');

    // The handled idioms were read, not skipped: every case with a 64-bit argument, per target,
    // and the words it hands to target_offset64 after its shifts.
    const parser = await newParser();
    const tree = parser.parse(text)!;
    const labels = caseLabels(text, tree);
    tree.delete();
    parser.delete();
    const checked: PairMisread[] = [];
    const reader = { read: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined), list: listDir };
    const views = pairTargets(real!.qemu, reader, text);
    assert.deepEqual(
      views.map(v => `${v.target}:${v.abi.id}`),
      [
        'arm:arm-eabi',
        'armeb:arm-eabi',
        'hexagon:hexagon',
        'mips:o32',
        'mipsel:o32',
        'ppc:ppc32',
        'xtensa:xtensa',
        'xtensaeb:xtensa',
      ],
    );
    pairMisreads(text, labels, views, linuxReference(await catalogueOf(real!.linux)), checked);
    const byName = new Map<string, string[]>();
    for (const m of checked)
      if (m.uses.every(u => u.read && u.read[0] === u.want[0] && u.read[1] === u.want[1]))
        byName.set(m.name, [...(byName.get(m.name) ?? []), m.target]);
    assert.deepEqual(Object.fromEntries([...byName].sort()), {
      arm_fadvise64_64: ['arm', 'armeb'],
      arm_sync_file_range: ['arm', 'armeb'],
      fadvise64_64: ['hexagon', 'mips', 'mipsel', 'xtensa', 'xtensaeb'],
      fallocate: ['arm', 'armeb', 'hexagon', 'mips', 'mipsel', 'xtensa', 'xtensaeb'],
      ftruncate64: ['arm', 'armeb', 'hexagon', 'mips', 'mipsel', 'xtensa', 'xtensaeb'],
      pread64: ['arm', 'armeb', 'hexagon', 'mips', 'mipsel', 'xtensa', 'xtensaeb'],
      pwrite64: ['arm', 'armeb', 'hexagon', 'mips', 'mipsel', 'xtensa', 'xtensaeb'],
      readahead: ['arm', 'armeb', 'hexagon', 'mips', 'mipsel', 'xtensa', 'xtensaeb'],
      sync_file_range: ['mips', 'mipsel'],
      sync_file_range2: ['xtensa', 'xtensaeb'],
      truncate64: ['arm', 'armeb', 'hexagon', 'mips', 'mipsel', 'xtensa', 'xtensaeb'],
    });
    // The shifted pair: pread64's pos is arg5/arg6 on o32 (fd, buf, count, padding, pos).
    const pr = checked.find(m => m.name === 'pread64' && m.target === 'mips')!;
    assert.deepEqual(pr.uses, [{ param: 'pos', type: 'loff_t', want: [5, 6], read: [5, 6] }]);
  },
);
