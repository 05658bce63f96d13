// QEMU 7.2's cpu loops against Linux 6.1 and the bundled 6.12: every finding listed here
// was confirmed by hand in QEMU's and the kernel's source (see the comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CLI, realData } from '../helpers/paths';

const real = realData();
const skip = real ? false : 'QEMU 7.2 / Linux 6.1 not available: run scripts/fetch-real-data.sh';
const run = (args: string[]) =>
  JSON.parse(
    spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
      .stdout,
  ) as {
    code: string;
    range: { start: { line: number } };
    message: string;
    related: { file: string; range: { start: { line: number } } }[];
  }[];
const OWN = /^(unused-marker|syscall-bound|arg-fetch|private-syscall|not-checked)/;

for (const [label, kernel] of [
  ['Linux 6.1', () => ['--kernel', real!.linux]],
  ['the bundled 6.12', () => []],
] as const) {
  test(`QEMU 7.2 cpu loops against ${label}`, { skip }, () => {
    const lu = path.join(real!.qemu, 'linux-user');
    const found = run([...kernel(), path.join(lu, 'mips/cpu_loop.c'), path.join(lu, 'arm/cpu_loop.c')])
      .filter(f => OWN.test(f.code))
      .map(f => `${f.code}@${f.range.start.line + 1}`)
      .sort();
    // arm/cpu_loop.c:389 `if (n > ARM_NR_BASE)`; entry-common.S `bcs arm_syscall` (>=).
    // :391 `case ARM_NR_cacheflush: /* nop */ break;` sets no r0; traps.c returns do_cache_op().
    // :404 `default:` — 0xf0000 (traps.c case 0, SIGSEGV), usr26 and usr32 (traps.c: SIGILL
    // unless HWCAP_26BIT) have no case. mips/cpu_loop.c: int8_t table, marker defined at :30,
    // `>= sizeof` on one-byte elements, stack fetches sp+16..28: nothing to say.
    assert.deepEqual(found, [
      'private-syscall-missing@404',
      'private-syscall-missing@404',
      'private-syscall-missing@404',
      'private-syscall-return@391',
      'syscall-bound@389',
    ]);
  });

  test(`QEMU 7.2's o32 row for syscall against the assembly of ${label}`, { skip }, () => {
    const inc = path.join(real!.qemu, 'linux-user/mips/syscall-args-o32.c.inc');
    const row = run([...kernel(), inc]).find(f => f.range.start.line === 0)!;
    // `[   0] = 7, /* syscall */`; scall32-o32.S:183 LEAF(sys_syscall) reads a0-a3 and 16..28(sp).
    assert.equal(row.code, 'arg-count-mismatch');
    assert.match(row.message, /needs 8 o32 argument words, the row says 7/);
    assert.ok(row.related.some(r => r.file.endsWith('scall32-o32.S') && r.range.start.line === 182));
    assert.ok(row.related.some(r => r.file.endsWith('scall64-o32.S') && r.range.start.line === 194));
  });
}
