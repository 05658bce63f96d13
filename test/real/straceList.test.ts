// Acceptance on real trees from Debian's archive: QEMU 7.2's linux-user/strace.list against
// Linux 6.1 (fetched by scripts/fetch-real-data.sh; skipped when the archive is unreachable).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits } from '../../server/src/core/edits';
import { straceFindings } from '../../server/src/families/qemu/straceList/rules';
import { parseStraceList } from '../../server/src/families/qemu/straceList/model';
import { referenceOf } from '../helpers/engine';
import { realData } from '../helpers/paths';

const real = realData();
const skip = real
  ? false
  : 'real QEMU/Linux trees not available (Debian archive unreachable?): run scripts/fetch-real-data.sh';

test('QEMU 7.2 strace.list: every row read, the findings a maintainer would accept', { skip }, async () => {
  const file = path.join(real!.qemu, 'linux-user/strace.list');
  const text = fs.readFileSync(file, 'utf8');
  const model = parseStraceList(file, text);
  assert.deepEqual(model.problems, []);
  assert.equal(model.entries.length, 560);
  assert.ok(
    model.entries.every(e => e.string === e.name && e.guard?.macro === e.nr),
    'every row under its own #ifdef, printing its own name',
  );

  const cat = await referenceOf(real!.linux);
  const found = straceFindings(file, model, cat);
  const summary = found.map(f => {
    const ev = f.related.map(
      r =>
        `${path.relative(real!.linux, r.location.file).replace(/^\.\.\/qemu\//, '')}:${r.location.range.start.line + 1}`,
    );
    return `${f.range.start.line + 1} ${f.code} ${f.syscall} ${ev.join(' ')}`;
  });
  assert.deepEqual(summary, [
    // `#ifdef TARGET_NR_rmdir` twice: the second row (no print function) is never used.
    '1172 duplicate-entry rmdir linux-user/strace.list:581',
    // QEMU's fstatfs64 writes the buffer at arg3 (convert_statfs64): "%s(%d,%p)" prints sz as the pointer.
    '261 strace-format-args fstatfs64 fs/statfs.c:222 fs/statfs.c:381',
    // getcpu(unsigned *cpup, unsigned *nodep, struct getcpu_cache *): nodep printed with %d, the cache not at all.
    '282 strace-format-args getcpu kernel/sys.c:2682',
    // waitid's fifth argument, struct rusage __user *ru, is not printed.
    '1654 strace-format-args waitid kernel/exit.c:1729 kernel/exit.c:1863',
  ]);
  const fmt = (name: string) => found.find(f => f.code === 'strace-format-args' && f.syscall === name)!;
  assert.match(
    fmt('waitid').message,
    /prints 4 arguments after the name, but the kernel's waitid takes 5 parameters: sys_waitid\(int which, pid_t upid, struct siginfo __user \*infop, int options, struct rusage __user \*ru\)/,
  );
  assert.deepEqual(
    ['fstatfs64', 'getcpu', 'waitid'].map(n => fmt(n).fixes.map(x => x.edits[0].newText)),
    [['"%s(%d,%u,%p)"'], ['"%s(%p,%p,%p)"'], ['"%s(%#x,%d,%p,%#x,%p)"']],
  );
  // Arch-specific rows are judged on their arch: i386's get_thread_area takes the descriptor
  // pointer ("%s(0x"TARGET_ABI_FMT_lx")"), m68k's takes nothing ("%s()").
  assert.equal(found.filter(f => f.syscall === 'get_thread_area').length, 0);

  // Every preferred fix applied: nothing left to report.
  const fixed = applyEdits(
    text,
    found.flatMap(f => f.fixes.filter(x => x.preferred).flatMap(x => x.edits)),
  );
  assert.deepEqual(straceFindings(file, parseStraceList(file, fixed), cat), []);
});
