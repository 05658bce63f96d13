// `check --patch` on a real patch: made by editing a copy of QEMU 7.2's MIPS tables, reviewed
// against the pristine tree with Linux 6.1 (skipped when the real trees are absent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';
import { CLI, realData, tmpDir } from '../helpers/paths';

const real = realData();
const skip = real
  ? false
  : 'real QEMU/Linux trees not available (Debian archive unreachable?): run scripts/fetch-real-data.sh';
type F = { file: string; code: string; message: string; severity: string; range: { start: { line: number } } };

const TBL = 'linux-user/mips/syscall_o32.tbl';
const INC = 'linux-user/mips/syscall-args-o32.c.inc';

test('a real patch on QEMU 7.2: exactly the findings it causes, against the pristine tree', { skip }, () => {
  const qemu = real!.qemu;
  // The patch: process_mrelease (448, in Linux 6.1) added to the .tbl copy only, and the
  // three landlock rows added to the o32 table, landlock_restrict_self with 1 word for 2.
  const copy = tmpDir('real-patch');
  const edit = (rel: string, add: string) => {
    const before = fs.readFileSync(path.join(qemu, rel), 'utf8');
    const file = path.join(copy, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, before + add);
    const body = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, fs.readFileSync(file, 'utf8'));
    return `diff --git a/${rel} b/${rel}\n${body.slice(body.indexOf('--- '))}`;
  };
  const patch =
    edit(TBL, '# 447 reserved for memfd_secret\n448\to32\tprocess_mrelease\t\tsys_process_mrelease\n') +
    edit(
      INC,
      '    [ 443] = MIPS_SYSCALL_NUMBER_UNUSED,\n' +
        '    [ 444] = 3, /* landlock_create_ruleset */\n' +
        '    [ 445] = 4, /* landlock_add_rule */\n' +
        '    [ 446] = 1, /* landlock_restrict_self */\n',
    );
  const patchFile = path.join(copy, 'mips.patch');
  fs.writeFileSync(patchFile, patch);
  const mtimes = [TBL, INC].map(f => fs.statSync(path.join(qemu, f)).mtimeMs);

  const r = spawnSync(
    process.execPath,
    [CLI, 'check', '--kernel', real!.linux, '--format', 'json', '--min-severity', 'hint', '--patch', patchFile, qemu],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  assert.equal(r.status, 1, r.stderr);
  const found = (JSON.parse(r.stdout) as F[]).map(f => ({
    where: `${path.relative(qemu, f.file)}:${f.range.start.line + 1}`,
    code: f.code,
    why: f.message.endsWith('(the patch causes this: the tree without it has no such finding)')
      ? 'caused'
      : f.message.endsWith('(on a line the patch changes; the tree without the patch has this too)')
        ? 'touched'
        : 'other',
    text: f.message.replace(/ \((the patch causes|on a line the patch).*$/, ''),
  }));
  const tblLine = fs.readFileSync(path.join(qemu, TBL), 'utf8').split('\n').length + 1; // the added 448 line
  const incLine = fs.readFileSync(path.join(qemu, INC), 'utf8').split('\n').length + 3; // the added 446 row
  assert.deepEqual(
    found.map(f => [f.where, f.code, f.why]),
    [
      // What remains of the copy's drift (448 was added, 449 and 450 are still missing) is
      // anchored on the added line: reported, as not caused by the patch.
      [`${TBL}:${tblLine}`, 'tbl-drift', 'touched'],
      // syscall.c has no case for the syscall the patch adds.
      [`${TBL}:${tblLine}`, 'not-dispatched', 'caused'],
      // The o32 table lacks a row for it, and the row the patch adds fetches too few words.
      [`${INC}:${incLine}`, 'missing-entry', 'caused'],
      [`${INC}:${incLine}`, 'arg-count-mismatch', 'caused'],
    ],
  );
  assert.match(found[0].text, /^449 futex_waitv \(o32\), 450 set_mempolicy_home_node \(o32\) are in the kernel's/);
  assert.match(found[1].text, /^process_mrelease has no case TARGET_NR_process_mrelease in linux-user\/syscall\.c/);
  assert.match(
    found[2].text,
    /^process_mrelease \(4448\) is in syscall_o32\.tbl but has no row: the table ends at 446/,
  );
  assert.match(found[3].text, /^landlock_restrict_self \(4446\) needs 2 o32 argument words, the row says 1/);
  // The pristine tree's own findings (the landlock rows the patch adds, the rest of the tree)
  // are left out, and counted in the text summary.
  const t = spawnSync(process.execPath, [CLI, 'check', '--kernel', real!.linux, '--patch', patchFile, qemu], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  assert.equal(t.status, 1);
  assert.match(
    t.stderr,
    /1 error, 2 warnings, 1 note in 2 files \(of \d+ read\); the patch changes 2 files; \d+ findings left out: the patch did not cause them/,
  );
  assert.ok(!t.stdout.includes('landlock_create_ruleset'));
  assert.deepEqual(
    [TBL, INC].map(f => fs.statSync(path.join(qemu, f)).mtimeMs),
    mtimes,
    'the tree is never written',
  );
});
