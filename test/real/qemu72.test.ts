// Acceptance on real trees from Debian's archive: QEMU 7.2's MIPS o32 table against
// Linux 6.1 (fetched by scripts/fetch-real-data.sh; skipped when the archive is unreachable).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, realData, tmpDir } from '../helpers/paths';

const real = realData();
const skip = real
  ? false
  : 'real QEMU/Linux trees not available (Debian archive unreachable?): run scripts/fetch-real-data.sh';
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
type F = { file: string; code: string; message: string; severity: string; range: { start: { line: number } } };
const check = (file: string): F[] =>
  JSON.parse(run(['check', '--kernel', real!.linux, '--format', 'json', file]).stdout);
const syscallOf = (f: F) => /^(\w+) \(/.exec(f.message)?.[1];

test('QEMU 7.2 o32 table against Linux 6.1: the findings a maintainer would accept', { skip }, () => {
  const table = path.join(real!.qemu, 'linux-user/mips/syscall-args-o32.c.inc');
  const findings = check(table);
  const missing = findings.filter(f => f.code === 'missing-entry').map(syscallOf);
  assert.deepEqual(missing, ['landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self']);
  assert.ok(
    findings.filter(f => f.code === 'missing-entry').every(f => /the table ends at 442 \(4442\)/.test(f.message)),
  );
  // The real disagreements: sys_syscall's assembly (scall32-o32.S:183) passes the seven
  // words after the number, 8 in all, where the row says 7; and
  // SYSCALL_DEFINE3(sysmips, long, cmd, long, arg1, long, arg2).
  const mismatches = findings.filter(f => f.code === 'arg-count-mismatch');
  assert.deepEqual(mismatches.map(syscallOf), ['syscall', 'sysmips']);
  assert.match(mismatches[0].message, /needs 8 o32 argument words, the row says 7/);
  assert.equal(mismatches[0].severity, 'error', 'the eighth word is lost');
  assert.match(
    mismatches[1].message,
    /needs 3 o32 argument words, the row says 4: sys_sysmips\(long cmd, long arg1, long arg2\)/,
  );
  assert.equal(mismatches[1].severity, 'warning', 'fetching one word too many loses nothing');
  for (const name of [
    'pread64',
    'pwrite64',
    'truncate64',
    'ftruncate64',
    'readahead',
    'fadvise64',
    'sync_file_range',
    'fallocate',
    'fanotify_mark',
    '_llseek',
    'mmap2',
  ]) {
    assert.equal(findings.filter(f => f.message.startsWith(`${name} (`)).length, 0, name);
  }
  // sys_syscall is assembly, modelled from the registers and stack slots it reads: nothing unknown.
  assert.deepEqual(findings.filter(f => f.code === 'unknown-signature').map(syscallOf), []);
});

test(
  'systab fix on a copy: no missing-entry or arg-count-mismatch left, a second fix changes nothing',
  { skip },
  () => {
    const dir = tmpDir('real');
    for (const f of ['syscall-args-o32.c.inc', 'syscall_o32.tbl'])
      fs.copyFileSync(path.join(real!.qemu, 'linux-user/mips', f), path.join(dir, f));
    const table = path.join(dir, 'syscall-args-o32.c.inc');
    assert.equal(run(['fix', '--kernel', real!.linux, table]).status, 0);
    const once = fs.readFileSync(table, 'utf8');
    assert.ok(
      once.endsWith(
        [
          '    [ 442] = 5, /* mount_setattr */',
          '    [ 443] = MIPS_SYSCALL_NUMBER_UNUSED,',
          '    [ 444] = 3, /* landlock_create_ruleset */',
          '    [ 445] = 4, /* landlock_add_rule */',
          '    [ 446] = 2, /* landlock_restrict_self */',
          '',
        ].join('\n'),
      ),
      'inserted rows read like the rows around them',
    );
    const after = check(table);
    assert.deepEqual(
      after.filter(f => f.code === 'missing-entry' || f.code === 'arg-count-mismatch'),
      [],
    );
    assert.equal(run(['fix', '--kernel', real!.linux, table]).status, 0);
    assert.equal(fs.readFileSync(table, 'utf8'), once, 'second fix: no byte changed');
  },
);

test("QEMU's .tbl copy against the kernel's: the drift is real", { skip }, () => {
  const findings = check(path.join(real!.qemu, 'linux-user/mips/syscall_o32.tbl'));
  const drift = findings.filter(f => f.code === 'tbl-drift').map(f => f.message.replace(/ (differs|is|\().*/, ''));
  assert.deepEqual(drift, [
    '19 lseek',
    '134 bdflush',
    '268 mbind',
    '269 get_mempolicy',
    '270 set_mempolicy',
    '287 migrate_pages',
    '308 move_pages',
    '416 io_pgetevents_time64',
    '443 quotactl_fd',
    '448 process_mrelease',
  ]);
  assert.ok(
    findings.some(
      f =>
        f.message ===
        "448 process_mrelease (o32), 449 futex_waitv (o32), 450 set_mempolicy_home_node (o32) are in the kernel's arch/mips/kernel/syscalls/syscall_o32.tbl but not in this copy",
    ),
  );
});

test(
  'systab check <qemu>/linux-user against Linux 6.1: every table, and a fix that leaves nothing fixable',
  { skip },
  () => {
    const dir = tmpDir('real-tree');
    fs.cpSync(path.join(real!.qemu, 'linux-user'), path.join(dir, 'linux-user'), { recursive: true });
    fs.cpSync(path.join(real!.qemu, 'configs'), path.join(dir, 'configs'), { recursive: true });
    const before = check(path.join(dir, 'linux-user'));
    const of = (code: string) => before.filter(f => f.code === code);
    // Confirmed by reading the sources (see the closing note of the issue).
    assert.deepEqual(
      of('strace-format-args').map(f => /^(\w+):/.exec(f.message)?.[1]),
      ['fstatfs64', 'getcpu', 'waitid'],
    );
    assert.deepEqual(
      of('duplicate-entry').map(f => `${path.basename(f.file)}:${f.range.start.line + 1}`),
      ['strace.list:1172'],
    );
    assert.deepEqual(of('nr-mismatch'), []);
    // Every case label in syscall.c names a syscall some target defines; the one finding there
    // is hexagon's sync_file_range case reading sync_file_range2's words wrongly (84, above).
    assert.deepEqual(
      before
        .filter(f => f.file.endsWith('syscall.c'))
        .map(f => `${f.code} ${/^case TARGET_NR_(\w+):/.exec(f.message)?.[1]} ${f.range.start.line + 1}`),
      ['unaligned-pair sync_file_range 12715'],
    );
    // strace.list against the tree (test/real/straceRows.test.ts has them one by one).
    assert.equal(of('not-traced').length, 19);
    assert.equal(of('dead-row').length, 11);
    assert.ok(of('not-dispatched').length > 900);
    // The generic-ABI headers against include/uapi/asm-generic/unistd.h, confirmed by reading
    // both: QEMU 7.2 stops at 446 and skips quotactl_fd (443); arm64 and riscv want
    // memfd_secret (447), the rest no; Debian's 6.1.192 loongarch has __ARCH_WANT_NEW_STAT;
    // hexagon's __ARCH_WANT_SYNC_FILE_RANGE2 numbers 84 sync_file_range2.
    const generic = (f: F) => /\/(aarch64|riscv|loongarch64|hexagon|nios2|openrisc)\//.test(f.file);
    assert.deepEqual(
      before
        .filter(generic)
        .map(
          f =>
            `${path.relative(path.join(dir, 'linux-user'), f.file)} ${f.code} ${/^[^:]*?(?= (is|are) in |:)/.exec(f.message)?.[0]}`,
        )
        .sort(),
      [
        'aarch64/syscall_nr.h missing-entry 4 syscalls of Linux 6.1.192 include/uapi/asm-generic/unistd.h as arch/arm64/include/uapi/asm/unistd.h includes it (arm64) are not in this header',
        'aarch64/syscall_nr.h missing-entry quotactl_fd (443)',
        'hexagon/syscall_nr.h missing-entry process_mrelease (448), futex_waitv (449), set_mempolicy_home_node (450)',
        'hexagon/syscall_nr.h missing-entry quotactl_fd (443)',
        'hexagon/syscall_nr.h name-mismatch TARGET_NR_sync_file_range (84)',
        'loongarch64/syscall_nr.h missing-entry newfstatat (79), fstat (80)',
        'nios2/syscall_nr.h missing-entry process_mrelease (448), futex_waitv (449), set_mempolicy_home_node (450)',
        'nios2/syscall_nr.h missing-entry quotactl_fd (443)',
        'openrisc/syscall_nr.h missing-entry process_mrelease (448), futex_waitv (449), set_mempolicy_home_node (450)',
        'openrisc/syscall_nr.h missing-entry quotactl_fd (443)',
        'riscv/syscall32_nr.h missing-entry 4 syscalls of Linux 6.1.192 include/uapi/asm-generic/unistd.h as arch/riscv/include/uapi/asm/unistd.h includes it (riscv32) are not in this header',
        'riscv/syscall32_nr.h missing-entry quotactl_fd (443)',
        'riscv/syscall64_nr.h missing-entry 4 syscalls of Linux 6.1.192 include/uapi/asm-generic/unistd.h as arch/riscv/include/uapi/asm/unistd.h includes it (riscv64) are not in this header',
        'riscv/syscall64_nr.h missing-entry quotactl_fd (443)',
      ],
    );
    assert.match(
      before.find(f => f.code === 'name-mismatch' && f.file.endsWith('hexagon/syscall_nr.h'))!.message,
      /has no sync_file_range; 84 is sync_file_range2 there/,
    );
    assert.equal(run(['fix', '--kernel', real!.linux, dir]).status, 0);
    const after = check(dir);
    // ARM's private syscalls (arm/cpu_loop.c) have no fix: the missing cases and cacheflush's r0 stay.
    assert.deepEqual([...new Set(after.map(f => f.code))].sort(), [
      'name-mismatch',
      'not-checked',
      'not-dispatched',
      'private-syscall-missing',
      'private-syscall-return',
    ]);
    // hexagon's header now names 84 sync_file_range2, whose case reads the words right: the
    // unaligned-pair finding on syscall.c went with the header's fix.
    // Linux 6.1 has no scripts/syscall.tbl: the generic-ABI headers are checked against
    // include/uapi/asm-generic/unistd.h as each arch's uapi unistd.h includes it; only cris
    // (dropped by Linux) says it has nothing to compare with.
    assert.deepEqual(
      after.filter(f => f.code === 'not-checked').map(f => path.relative(dir, f.file)),
      ['linux-user/cris/syscall_nr.h'],
    );
    // What stays is the o32 table's historical comment names: offered a rename, not fix-all'd.
    assert.ok(
      after
        .filter(f => f.code === 'name-mismatch')
        .every(f => f.severity === 'information' && f.file.endsWith('syscall-args-o32.c.inc')),
    );
    const snapshot = (d: string): string =>
      fs
        .readdirSync(d, { withFileTypes: true })
        .map(e => (e.isDirectory() ? snapshot(path.join(d, e.name)) : fs.readFileSync(path.join(d, e.name), 'latin1')))
        .join('\0');
    const once = snapshot(dir);
    assert.equal(run(['fix', '--kernel', real!.linux, dir]).status, 0);
    assert.equal(snapshot(dir), once, 'a second fix changes no byte');
  },
);

test(
  'fix --dry-run on the whole QEMU 7.2 tree is exactly what fix writes: git apply and patch -p1 of it equal fix',
  { skip },
  () => {
    const copy = (label: string) => {
      const d = tmpDir(`real-dry-${label}`);
      for (const sub of ['linux-user', 'configs'])
        fs.cpSync(path.join(real!.qemu, sub), path.join(d, sub), { recursive: true });
      return d;
    };
    const [dry, fixed, applied, patched] = ['dry', 'fix', 'apply', 'patch'].map(copy);
    const inDir = (cwd: string, args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
    const d = inDir(dry, ['fix', '--dry-run', '--kernel', real!.linux, '.']);
    const f = inDir(fixed, ['fix', '--kernel', real!.linux, '.']);
    assert.equal(d.status, 0, d.stderr);
    assert.equal(d.stderr.replace('would fix', 'fixed'), f.stderr, 'the same count of findings and files');
    assert.match(f.stderr, /fixed \d+ findings in \d+ files/);
    const g = spawnSync('git', ['apply', '-'], { cwd: applied, input: d.stdout, encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
    const p = spawnSync('patch', ['-p1', '-s'], { cwd: patched, input: d.stdout, encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr + p.stdout);
    const snapshot = (root: string): string[] => {
      const out: string[] = [];
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) walk(full);
          else out.push(`${path.relative(root, full)}\0${fs.readFileSync(full, 'latin1')}`);
        }
      };
      walk(root);
      return out;
    };
    const want = snapshot(fixed);
    assert.deepEqual(snapshot(applied), want, 'git apply of the dry run equals fix');
    assert.deepEqual(snapshot(patched), want, 'patch -p1 of the dry run equals fix');
    assert.deepEqual(snapshot(dry), snapshot(copy('pristine')), '--dry-run writes nothing');
  },
);
