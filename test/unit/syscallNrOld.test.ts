// syscall_nr.h in the layouts QEMU had before it generated them from .tbl copies (no
// configs/targets/, no .tbl), in a tree, alone, and in a patch: checked from the directory
// alone against the bundled catalogue (Linux 6.12), with planted errors found and clean lines silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { CLI, FIXTURES, ROOT, tmpDir } from '../helpers/paths';
import { analyzeText } from '../helpers/engine';
import { loadCatalogueFile } from '../../server/src/io/catalogueFile';
import { applyEdits, fixAll } from '../../server/src/core/edits';
import { Finding } from '../../server/src/core/types';
import { QEMU_ARCHES } from '../../server/src/families/qemu/arches';
import { abiById } from '../../server/src/reference/linux/abis';

const OLD = path.join(FIXTURES, 'syscallnr-old');
const LONE = path.join(FIXTURES, 'syscallnr-lone', 'some', 'dir', 'linux-user');
const cat = loadCatalogueFile(path.join(ROOT, 'data', 'catalogue.json.gz'));

async function check(file: string, text = fs.readFileSync(file, 'utf8')): Promise<Finding[]> {
  return (await analyzeText(file, text, cat)).findings;
}
/** The findings other than missing-entry, as [line (1-based), code, syscall]. */
const named = (fs_: Finding[]) =>
  fs_.filter(f => f.code !== 'missing-entry').map(f => [f.range.start.line + 1, f.code, f.syscall]);

/** Fixes every finding, then checks the result again: nothing a fix addressed is left. */
async function fixPoint(file: string, text: string) {
  const first = await check(file, text);
  const fixed = applyEdits(text, fixAll(first).edits);
  const again = await check(file, fixed);
  return { first, fixed, again };
}

test('arches.ts: every build names known ABIs, every dropped arch says when; QEMU never had x32', () => {
  for (const a of QEMU_ARCHES) {
    for (const b of a.builds ?? []) for (const id of b.abis) assert.ok(abiById(id), `${a.dir}: ${id}`);
    if (a.dropped) assert.equal(a.builds, undefined, `${a.dir}: no kernel table to follow`);
  }
  for (const d of ['cris', 'tilegx', 'unicore32', 'sparc64', 'mips64', 'ppc', 'arm'])
    assert.ok(
      QEMU_ARCHES.some(a => a.dir === d),
      d,
    );
  assert.ok(!QEMU_ARCHES.some(a => a.builds?.some(b => b.abis.includes('x32'))));
});

test('o32 (TARGET_NR_Linux + N): wrong number, stale name (syscall.c case named), two names at one number', async () => {
  const file = path.join(OLD, 'linux-user', 'mips', 'syscall_nr.h');
  const f = await check(file);
  assert.deepEqual(named(f), [
    [12, 'nr-mismatch', 'read'],
    [17, 'name-mismatch', 'fadvise64_64'],
    [20, 'duplicate-entry', 'fstatfs_64'],
  ]);
  const nr = f.find(x => x.code === 'nr-mismatch')!;
  assert.match(nr.message, /TARGET_NR_read is 4004, but read is 4003 .*syscall_o32\.tbl.*4004 is write there/);
  assert.equal(nr.fixes[0].edits[0].newText, '(TARGET_NR_Linux +   3)', 'the (BASE + N) form is kept');
  const name = f.find(x => x.code === 'name-mismatch')!;
  assert.match(name.message, /4254 is fadvise64 there/);
  assert.match(
    name.message,
    /syscall\.c's `case TARGET_NR_fadvise64_64:` \(line 11\) runs for fadvise64 calls, and its `case TARGET_NR_fadvise64:` \(line 14\) never runs for this target/,
  );
  assert.ok(name.related.some(r => r.location.file.endsWith('syscall.c') && r.location.range.start.line === 13));
  const dup = f.find(x => x.code === 'duplicate-entry')!;
  assert.match(
    dup.message,
    /TARGET_NR_fstatfs_64 and TARGET_NR_fstatfs64 \(line 19\) are both 4256; .* has fstatfs64 there/,
  );
  // Clean lines (syscall, exit, fork, close, waitpid, unused18, afs_syscall with its comment, statfs64) are silent.
  for (const line of [9, 10, 11, 13, 14, 15, 16, 18, 19])
    assert.ok(!f.some(x => x.code !== 'missing-entry' && x.range.start.line + 1 === line), `line ${line}`);
  // write and open are missing after close's predecessor; the run starting at 4008 after waitpid.
  const miss = f.filter(x => x.code === 'missing-entry').map(x => x.message);
  assert.ok(miss.some(m => m.startsWith('write (4004), open (4005) are in')));
  assert.ok(miss.some(m => /9 syscalls .* creat \(4008\) to lchown \(4016\)/.test(m)));
});

test('o32 fix-all: every fix in the header style, and nothing it addressed is left', async () => {
  const file = path.join(OLD, 'linux-user', 'mips', 'syscall_nr.h');
  const { first, fixed, again } = await fixPoint(file, fs.readFileSync(file, 'utf8'));
  assert.ok(first.length > 4);
  assert.deepEqual(again, []);
  assert.match(fixed, /^#define TARGET_NR_read\t\t\t\(TARGET_NR_Linux \+   3\)$/m);
  assert.match(fixed, /^#define TARGET_NR_fadvise64          \(TARGET_NR_Linux \+ 254\)$/m);
  assert.doesNotMatch(fixed, /fstatfs_64/);
  assert.match(
    fixed,
    /^#define TARGET_NR_write\t\t\t\(TARGET_NR_Linux \+   4\)$/m,
    'added rows aligned as the header aligns them',
  );
});

test('mips64 with #ifdef TARGET_ABI32: the n32 half against n32 (6000), the rest against n64 (5000)', async () => {
  const file = path.join(OLD, 'linux-user', 'mips64', 'syscall_nr.h');
  const f = await check(file);
  assert.deepEqual(named(f), [[22, 'nr-mismatch', 'stat']]);
  assert.match(f.find(x => x.code === 'nr-mismatch')!.message, /5005, but stat is 5004 in .*syscall_n64\.tbl/);
  const miss = f.filter(x => x.code === 'missing-entry');
  assert.ok(miss.some(x => /syscall_n32\.tbl/.test(x.message) && x.range.start.line + 1 === 11));
  assert.ok(miss.some(x => /close \(5003\) is in .*syscall_n64\.tbl/.test(x.message)));
  // Lines inside a half are added there, without another #if.
  const n64close = miss.find(x => /close \(5003\)/.test(x.message))!;
  assert.doesNotMatch(n64close.fixes[0].edits[0].newText, /#if/);
});

test('ARM (TARGET_NR_SYSCALL_BASE+N), the base in syscall.h beside it; EABI and OABI rows both count', async () => {
  const file = path.join(OLD, 'linux-user', 'arm', 'syscall_nr.h');
  const f = await check(file);
  assert.deepEqual(named(f), [
    [10, 'nr-mismatch', 'symlink'],
    [11, 'name-mismatch', 'socketcal'],
  ]);
  assert.equal(f.find(x => x.code === 'nr-mismatch')!.fixes[0].edits[0].newText, '(TARGET_NR_SYSCALL_BASE+ 83)');
  assert.match(f.find(x => x.code === 'name-mismatch')!.message, /102 is socketcall there/);
  // time (13, OABI only), select (82, OABI only) and the sync_file_range2 alias are silent.
  for (const line of [8, 9, 15]) assert.ok(!named(f).some(x => x[0] === line), `line ${line}`);
  // Alone (no syscall.h), the base is QEMU's known 0: the same disagreements.
  const dir = path.join(tmpDir('nr-arm'), 'linux-user', 'arm');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(file, path.join(dir, 'syscall_nr.h'));
  const alone = await check(path.join(dir, 'syscall_nr.h'));
  assert.deepEqual(named(alone), named(f));
});

test('ppc with 32/64-bit #ifs: each build against its table; a line right for one build only gets no fix', async () => {
  const file = path.join(OLD, 'linux-user', 'ppc', 'syscall_nr.h');
  const f = await check(file);
  assert.deepEqual(named(f), [
    [6, 'name-mismatch', 'setresuid32'],
    [12, 'nr-mismatch', 'fcntl64'],
    [17, 'name-mismatch', 'fstatat64'],
  ]);
  const setres = f.find(x => x.syscall === 'setresuid32')!;
  assert.match(setres.message, /164 is setresuid there/);
  assert.match(setres.message, /its `case TARGET_NR_setresuid:` \(line 8\) never runs/);
  assert.equal(setres.fixes[0].edits[0].newText, 'setresuid');
  const fcntl = f.find(x => x.syscall === 'fcntl64')!;
  assert.match(fcntl.message, /ppc32/);
  assert.equal(fcntl.fixes[0].edits[0].newText, '204');
  const at = f.find(x => x.syscall === 'fstatat64')!;
  assert.match(
    at.message,
    /291 is newfstatat there.*for ppc64, ppc64le \(ppc64\); the line is right for ppc \(ppc32\)/,
  );
  assert.deepEqual(at.fixes, [], 'renaming it would break ppc');
  // A syscall only ppc32 has goes under the header's own 32-bit test; one both lack is added once, plainly.
  const miss = f.filter(x => x.code === 'missing-entry');
  const in32 = miss.find(x => /fadvise64_64 \(254\)/.test(x.message))!;
  assert.equal(in32.fixes[0].edits[0].range.start.line, 11, 'after fcntl64, inside the 32-bit block');
  assert.doesNotMatch(in32.fixes[0].edits[0].newText, /#if/);
  const only32 = miss.find(x => /clock_gettime64 \(403\)/.test(x.message))!;
  assert.match(
    only32.fixes[0].edits[0].newText,
    /^\n#if !defined\(TARGET_PPC64\) \|\| defined\(TARGET_ABI32\)\n#define TARGET_NR_clock_gettime64        403\n/,
  );
  assert.match(only32.fixes[0].edits[0].newText, /\n#endif$/);
  const both = miss.find(x => /pivot_root \(203\)/.test(x.message))!;
  assert.doesNotMatch(both.fixes[0].edits[0].newText, /#if/);
  assert.ok(!miss.some(x => /pivot_root/.test(x.message) && /ppc64/.test(x.message)), 'reported once');
  // Clean lines: restart_syscall, exit, getresuid, readahead, mmap2, truncate64, getdents64, madvise, futimesat, unlinkat.
  for (const line of [4, 5, 7, 8, 10, 11, 14, 15, 16, 18])
    assert.ok(!named(f).some(x => x[0] === line), `line ${line}`);
});

test('ppc fix-all reaches a fix point', async () => {
  const file = path.join(OLD, 'linux-user', 'ppc', 'syscall_nr.h');
  const { fixed, again } = await fixPoint(file, fs.readFileSync(file, 'utf8'));
  assert.deepEqual(
    again.map(x => [x.code, x.syscall]),
    [['name-mismatch', 'fstatat64']],
    'only the finding with no fix is left',
  );
  assert.match(fixed, /^#define TARGET_NR_fcntl64                204$/m);
});

test('a lone header under some/dir/linux-user/<dir>/: x86_64 checked from its path; tilegx says Linux dropped it', async () => {
  const f = await check(path.join(LONE, 'x86_64', 'syscall_nr.h'));
  assert.deepEqual(named(f), [
    [9, 'nr-mismatch', 'fstat'],
    [10, 'nr-mismatch', 'eventfd'],
  ]);
  assert.match(f[1].message + f[0].message, /any|x86_64/);
  const t = await check(path.join(LONE, 'tilegx', 'syscall_nr.h'));
  assert.deepEqual(
    t.map(x => [x.code, x.severity]),
    [['not-checked', 'information']],
  );
  assert.match(t[0].message, /Linux dropped tile in 4\.17/);
});

test('a name-mismatch with no tree around says what any syscall.c case does', async () => {
  const dir = path.join(tmpDir('nr-ppc'), 'linux-user', 'ppc');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(OLD, 'linux-user', 'ppc', 'syscall_nr.h'), path.join(dir, 'syscall_nr.h'));
  const f = await check(path.join(dir, 'syscall_nr.h'));
  assert.match(
    f.find(x => x.syscall === 'setresuid32')!.message,
    /any `case TARGET_NR_setresuid:` in syscall\.c never runs/,
  );
});

test('CLI: check --patch on an old-layout tree reports what a patch to its syscall_nr.h causes', () => {
  const tree = tmpDir('nr-patch');
  fs.cpSync(OLD, tree, { recursive: true });
  const patch = path.join(tree, 'p.diff');
  fs.writeFileSync(
    patch,
    [
      '--- a/linux-user/mips/syscall_nr.h',
      '+++ b/linux-user/mips/syscall_nr.h',
      '@@ -18,5 +18,6 @@',
      ' #define TARGET_NR_statfs64\t\t(TARGET_NR_Linux + 255)',
      ' #define TARGET_NR_fstatfs64\t\t(TARGET_NR_Linux + 256)',
      ' #define TARGET_NR_fstatfs_64\t\t(TARGET_NR_Linux + 256)',
      '+#define TARGET_NR_timer_create\t\t(TARGET_NR_Linux + 258)',
      ' ',
      ' #endif',
      '',
    ].join('\n'),
  );
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--patch', patch, tree], {
    encoding: 'utf8',
  });
  const out = JSON.parse(r.stdout) as Finding[];
  const caused = out.filter(x => /the patch causes this/.test(x.message));
  const nr = caused.filter(x => x.code === 'nr-mismatch');
  assert.equal(nr.length, 1);
  assert.match(nr[0].message, /4258, but timer_create is 4257/);
  assert.ok(!out.some(x => /TARGET_NR_read is/.test(x.message)), 'the findings the patch did not cause are left out');
  assert.equal(r.status, 1);
});

test('an old header in a tree whose targets select different syscalls from one .tbl: each build against its target', async () => {
  const tree = tmpDir('nr-foo');
  fs.cpSync(path.join(FIXTURES, 'syscallnr', 'qemu'), tree, { recursive: true });
  // The fixture's foo and foo64 targets read linux-user/foo/syscall.tbl with different ABI lists;
  // with no build for foo in arches.ts the header is not checked, and says why.
  const file = path.join(tree, 'linux-user', 'foo', 'syscall_nr.h');
  fs.writeFileSync(file, '#define TARGET_NR_exit 4001\n');
  const f = await check(file);
  assert.deepEqual(
    f.map(x => x.code),
    ['not-checked'],
  );
  assert.match(f[0].message, /select different syscalls/);
});

test('a ppc header copied into a tree with ppc and ppc64 targets: each build against its target .tbl selection', async () => {
  const tree = tmpDir('nr-ppc-tbl');
  const targets = path.join(tree, 'configs', 'targets');
  fs.mkdirSync(targets, { recursive: true });
  fs.writeFileSync(
    path.join(targets, 'ppc-linux-user.mak'),
    'TARGET_ARCH=ppc\nTARGET_SYSTBL_ABI=common,nospu,32\nTARGET_SYSTBL=syscall.tbl\n',
  );
  fs.writeFileSync(
    path.join(targets, 'ppc64-linux-user.mak'),
    'TARGET_ARCH=ppc64\nTARGET_BASE_ARCH=ppc\nTARGET_ABI_DIR=ppc\nTARGET_SYSTBL_ABI=common,nospu,64\nTARGET_SYSTBL=syscall.tbl\n',
  );
  const dir = path.join(tree, 'linux-user', 'ppc');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'syscall.tbl'),
    [
      '0\tnospu\trestart_syscall\tsys_restart_syscall',
      '1\tnospu\texit\tsys_exit',
      '204\t32\tfcntl64\tsys_fcntl64',
      '205\tcommon\tmadvise\tsys_madvise',
      '291\t32\tfstatat64\tsys_fstatat64',
      '291\t64\tnewfstatat\tsys_newfstatat',
      '',
    ].join('\n'),
  );
  const file = path.join(dir, 'syscall_nr.h');
  fs.writeFileSync(
    file,
    [
      '#define TARGET_NR_restart_syscall 0',
      '#define TARGET_NR_exit 1',
      '#if !defined(TARGET_PPC64) || defined(TARGET_ABI32)',
      '#define TARGET_NR_fcntl64 204',
      '#endif',
      '#define TARGET_NR_madvise 205',
      '#define TARGET_NR_fstatat64 291',
      '',
    ].join('\n'),
  );
  const f = await check(file);
  assert.deepEqual(named(f), [[7, 'name-mismatch', 'fstatat64']]);
  assert.match(f[0].message, /linux-user\/ppc\/syscall\.tbl \(common,nospu,64\) has no fstatat64; 291 is newfstatat/);
  assert.deepEqual(f[0].fixes, [], 'right for ppc');
});

test('a stale name at the number a misnumbered syscall belongs to: removed, so fixing the number makes no duplicate', async () => {
  const dir = path.join(tmpDir('nr-collide'), 'linux-user', 'mips');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'syscall_nr.h');
  const text = [
    '#define TARGET_NR_Linux\t\t\t4000',
    '#define TARGET_NR_syscall\t\t(TARGET_NR_Linux +   0)',
    '#define TARGET_NR_fork\t\t\t(TARGET_NR_Linux +   2)',
    '#define TARGET_NR_rd\t\t\t(TARGET_NR_Linux +   3)',
    '#define TARGET_NR_read\t\t\t(TARGET_NR_Linux +   5)',
    '',
  ].join('\n');
  fs.writeFileSync(file, text);
  const { first, fixed, again } = await fixPoint(file, text);
  assert.deepEqual(named(first), [
    [5, 'nr-mismatch', 'read'],
    [4, 'duplicate-entry', 'rd'],
  ]);
  assert.match(
    first.find(f => f.code === 'duplicate-entry')!.message,
    /TARGET_NR_rd is 4003, where .* has read, which this header defines as 4005 \(line 5\)/,
  );
  assert.doesNotMatch(fixed, /TARGET_NR_rd/);
  assert.deepEqual(named(again), []);
});
