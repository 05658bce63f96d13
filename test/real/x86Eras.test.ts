// Every x86 .tbl of Linux 4.4 to 5.9 (../shared/data/linux-legacy/x86) against the bundled
// 6.12 catalogue: each entry point, whatever its era's spelling, resolves to a prototype
// or to the same SYSCALL_DEFINE as 6.12's line; the rest are the renames and removals
// listed below, each with its reason. And a QEMU copy taken from 5.0 drifts from 6.12 only
// where the kernel really changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadCatalogueFile } from '../../server/src/io/catalogueFile';
import { canonicalEntry, canonicalPair } from '../../server/src/reference/linux/entryNames';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { implemented, parseTbl } from '../../server/src/reference/linux/tbl';
import { analyzeText } from '../helpers/engine';
import { ROOT } from '../helpers/paths';

const LEGACY = path.join(ROOT, '..', 'shared', 'data', 'linux-legacy', 'x86');
const skip = fs.existsSync(LEGACY) ? false : `${LEGACY} not available: the legacy x86 tables are not checked`;
const cat = () => loadCatalogueFile(path.join(ROOT, 'data', 'catalogue.json.gz'));
const TABLES = 'arch/x86/entry/syscalls';

/** Entry points (canonical) of older tables that 6.12 neither defines nor names at that number, and why. */
const GONE: Record<string, string[]> = {
  // y2038 (5.1): the 32-bit time_t variants became sys_*_time32 / sys_*32 and compat_sys_*_time32/64.
  'renamed *_time32 in 5.1': [
    'compat_sys_adjtimex',
    'compat_sys_clock_adjtime',
    'compat_sys_clock_getres',
    'compat_sys_clock_gettime',
    'compat_sys_clock_nanosleep',
    'compat_sys_clock_settime',
    'compat_sys_futex',
    'compat_sys_futimesat',
    'compat_sys_io_getevents',
    'compat_sys_mq_timedreceive',
    'compat_sys_mq_timedsend',
    'compat_sys_nanosleep',
    'compat_sys_ppoll',
    'compat_sys_pselect6',
    'compat_sys_recvmmsg',
    'compat_sys_rt_sigtimedwait',
    'compat_sys_sched_rr_get_interval',
    'compat_sys_stime',
    'compat_sys_time',
    'compat_sys_timer_gettime',
    'compat_sys_timer_settime',
    'compat_sys_timerfd_gettime',
    'compat_sys_timerfd_settime',
    'compat_sys_utime',
    'compat_sys_utimensat',
    'compat_sys_utimes',
  ],
  // The native entry learnt to handle compat callers (iovec, sockopt, mount, move_pages...), 4.11-5.18.
  'compat entry dropped for the native one': [
    'compat_sys_get_mempolicy',
    'compat_sys_getdents64',
    'compat_sys_getsockopt',
    'compat_sys_mount',
    'compat_sys_move_pages',
    'compat_sys_process_vm_readv',
    'compat_sys_process_vm_writev',
    'compat_sys_quotactl32',
    'compat_sys_readv',
    'compat_sys_setsockopt',
    'compat_sys_vmsplice',
    'compat_sys_writev',
    'sys32_quotactl',
  ],
  // x86's own 32-bit wrappers: sys32_* (to 4.15), compat_sys_x86_* (4.16-5.4), *_ia32_* since.
  'x86 ia32 wrapper renamed': [
    'compat_sys_x86_clone',
    'compat_sys_x86_fadvise64',
    'compat_sys_x86_fadvise64_64',
    'compat_sys_x86_fallocate',
    'compat_sys_x86_fstat64',
    'compat_sys_x86_fstatat',
    'compat_sys_x86_ftruncate64',
    'compat_sys_x86_lstat64',
    'compat_sys_x86_mmap',
    'compat_sys_x86_pread',
    'compat_sys_x86_pwrite',
    'compat_sys_x86_readahead',
    'compat_sys_x86_stat64',
    'compat_sys_x86_sync_file_range',
    'compat_sys_x86_truncate64',
    'compat_sys_x86_waitpid',
    'sys32_fadvise64',
    'sys32_fadvise64_64',
    'sys32_fallocate',
    'sys32_fstat64',
    'sys32_fstatat',
    'sys32_ftruncate64',
    'sys32_lstat64',
    'sys32_mmap',
    'sys32_pread',
    'sys32_pwrite',
    'sys32_readahead',
    'sys32_rt_sigreturn',
    'sys32_sigreturn',
    'sys32_stat64',
    'sys32_sync_file_range',
    'sys32_truncate64',
    'sys32_waitpid',
    'sys32_x32_rt_sigreturn',
  ],
  'syscall removed (sys_ni_syscall or no entry in 6.12)': [
    'compat_sys_lookup_dcookie',
    'compat_sys_sysctl',
    'sys_bdflush',
    'sys_lookup_dcookie',
    'sys_sysctl',
  ],
  // semwett0301/linux-5.8.1 numbers 440-442 itself; Linux gave them to process_madvise,
  // epoll_pwait2 and mount_setattr (5.10-5.12).
  'not Linux: a fork invented them': ['sys_dentry_info', 'sys_lsmod_amount_modules', 'sys_lsmod_info'],
};

test('every entry point of every legacy x86 table resolves, or is a listed rename or removal', { skip }, () => {
  const ref = linuxReference(cat());
  const unresolved = new Map<string, string[]>();
  let checked = 0;
  for (const version of fs.readdirSync(LEGACY).sort()) {
    for (const base of ['syscall_32.tbl', 'syscall_64.tbl']) {
      const file = path.join(LEGACY, version, TABLES, base);
      const model = parseTbl(file, fs.readFileSync(file, 'utf8'));
      assert.deepEqual(model.problems, [], `${version}/${base} reads without a problem (/ptregs included)`);
      const modern = ref.table(`${TABLES}/${base}`)!;
      for (const e of model.entries) {
        const now = modern.find(k => k.number === e.number && k.abi === e.abi);
        for (const name of [e.entry, e.compat]) {
          if (!name || !implemented(name)) continue;
          checked++;
          if (ref.prototype(name, 'x86')) continue;
          const c = canonicalEntry(name);
          if (now && [now.entry, now.compat].some(x => x && canonicalEntry(x) === c)) continue;
          unresolved.set(c, [...(unresolved.get(c) ?? []), `${version}/${base}:${e.line + 1}`]);
        }
      }
    }
  }
  assert.ok(checked > 8000, `${checked} entry points checked`);
  const listed = Object.values(GONE).flat().sort();
  assert.deepEqual([...unresolved.keys()].sort(), listed);
  // The era spellings themselves never end up unresolved.
  for (const where of [...unresolved.values()].flat()) assert.doesNotMatch(where, /__x64_sys_read\b/);
});

test('a QEMU copy of 5.0 against 6.12: drift only where the kernel changed, none for naming', { skip }, async () => {
  const c = cat();
  const ref = linuxReference(c);
  for (const [dir, base] of [
    ['x86_64', 'syscall_64.tbl'],
    ['i386', 'syscall_32.tbl'],
  ]) {
    const text = fs.readFileSync(path.join(LEGACY, 'linux-5.0.1', TABLES, base), 'utf8');
    const a = await analyzeText(`/qemu/linux-user/${dir}/${base}`, text, c);
    const model = parseTbl(base, text);
    const modern = ref.table(`${TABLES}/${base}`)!;
    const differs = a.findings.filter(f => f.code === 'tbl-drift' && / differs from /.test(f.message));
    // Lines that differ only in spelling (5.0's `__x64_sys_read`, `__ia32_sys_read` beside
    // `sys_read`) are the bulk of the table, and none of them is a finding.
    let spellingOnly = 0;
    for (const e of model.entries) {
      const k = modern.find(x => x.number === e.number && x.abi === e.abi);
      if (!k) continue;
      const same =
        JSON.stringify(canonicalPair(e.entry, e.compat)) === JSON.stringify(canonicalPair(k.entry, k.compat));
      const written = e.entry === k.entry && e.compat === k.compat;
      const reported = differs.some(f => f.range.start.line === e.line);
      assert.equal(reported, !same || e.name !== k.name, `${base}:${e.line + 1} ${e.name}`);
      if (same && !written) spellingOnly++;
    }
    assert.ok(spellingOnly > 300, `${base}: ${spellingOnly} lines differ in spelling alone`);
    // Every line that differs names an entry point of the list above, or is one 6.12 gave a compat
    // entry or a renamed native one.
    const gone = new Set(Object.values(GONE).flat());
    for (const f of differs) {
      const e = model.entries.find(x => x.line === f.range.start.line)!;
      const names = [e.entry, e.compat].filter((x): x is string => !!x).map(canonicalEntry);
      const k = modern.find(x => x.number === e.number && x.abi === e.abi)!;
      const compatAdded = !canonicalPair(e.entry, e.compat).compat && !!k.compat;
      // The native column renamed for y2038 (sys_io_pgetevents_time32) or as x86's ia32 wrapper.
      const nativeRenamed =
        /(_time32|32|^sys_ia32_\w+)$/.test(k.entry ?? '') && canonicalEntry(e.entry ?? '') !== k.entry;
      assert.ok(names.some(n => gone.has(n)) || compatAdded || nativeRenamed, `${base}:${e.line + 1} ${f.message}`);
    }
    assert.ok(differs.length > 10 && differs.length < 70, `${base}: ${differs.length} lines differ`);
  }
});
