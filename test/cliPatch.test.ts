// `systab check --patch`: a patch reviewed against the tree it applies to, in memory, as
// QEMU reviewers run scripts/checkpatch.pl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Reader } from '../server/src/core/reader';
import { addedLines, applyToTree, overlayReader, withoutSignatures } from '../server/src/cli/patch';
import { CLI, KERNEL, QEMU, QEMU_DISPATCH, scratch, tmpDir } from './helpers/paths';

const run = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
type F = { file: string; code: string; message: string; severity: string; range: { start: { line: number } } };
const json = (out: string) => JSON.parse(out) as F[];

const TBL = 'linux-user/mips/syscall_o32.tbl';
const INC = 'linux-user/mips/syscall-args-o32.c.inc';
const CAUSED = '(the patch causes this: the tree without it has no such finding)';

/** Every file of a tree with its text, to show a check left the disk alone. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const f = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
      out[path.relative(dir, f)] = fs.readFileSync(f, 'utf8');
    }
  return out;
}

// futex_waitv is number 20 in the fixture kernel's o32 table and missing from QEMU's copy.
const tblOnly = `diff --git a/${TBL} b/${TBL}
index a882836..8a2316a 100644
--- a/${TBL}
+++ b/${TBL}
@@ -23,3 +23,4 @@
 17	o32	landlock_create_ruleset		sys_landlock_create_ruleset
 18	o32	landlock_add_rule		sys_landlock_add_rule
 19	o32	landlock_restrict_self		sys_landlock_restrict_self
+20	o32	futex_waitv			sys_futex_waitv
`;

test('a syscall added to the .tbl copy only: the o32 table it makes inconsistent is reported, nothing else', () => {
  const before = snapshot(QEMU);
  const r = run(['check', '--kernel', KERNEL, '--format', 'json', '--patch', writePatch(tblOnly), QEMU]);
  assert.equal(r.code, 1, r.err);
  const found = json(r.out);
  assert.deepEqual(
    found.map(f => [path.relative(QEMU, f.file), f.range.start.line, f.code]),
    [[INC, 15, 'missing-entry']],
  );
  assert.match(found[0].message, /^futex_waitv \(4020\) is in syscall_o32\.tbl but has no row/);
  assert.ok(found[0].message.endsWith(CAUSED), found[0].message);
  // The drift the patch resolves (futex_waitv missing from the copy) is gone, and the tree is untouched.
  const plain = json(run(['check', '--kernel', KERNEL, '--format', 'json', QEMU]).out);
  assert.ok(plain.some(f => f.code === 'tbl-drift' && f.message.includes('20 futex_waitv')));
  assert.deepEqual(snapshot(QEMU), before);

  // The text format says how many findings the patch did not cause.
  const t = run(['check', '--kernel', KERNEL, '--patch', writePatch(tblOnly), QEMU]);
  assert.equal(t.code, 1);
  assert.match(
    t.out,
    /syscall-args-o32\.c\.inc:16:5: error: futex_waitv \(4020\) .*causes this.* \[missing-entry\]\n$/,
  );
  assert.match(
    t.err,
    /1 error, 0 warnings, 0 notes in 1 file \(of 2 read\); the patch changes 1 file; 8 findings left out: the patch did not cause them/,
  );
  // --only and --skip choose among what the patch caused, as for check.
  const skipped = run(['check', '--kernel', KERNEL, '--skip', 'missing-entry', '--patch', writePatch(tblOnly), QEMU]);
  assert.equal(skipped.code, 0);
  assert.equal(skipped.out, '');
});

test('a tree that holds the patch already (git format-patch -1 in the tree): checked as the change it made', () => {
  const tree = scratch(QEMU);
  fs.appendFileSync(path.join(tree, TBL), '20\to32\tfutex_waitv\t\t\tsys_futex_waitv\n');
  const r = run(['check', '--kernel', KERNEL, '--format', 'json', '--patch', writePatch(tblOnly), tree]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /holds the patch already: it is checked as the change from the tree without it/);
  const found = json(r.out);
  assert.deepEqual(
    found.map(f => [path.relative(tree, f.file), f.range.start.line, f.code]),
    [[INC, 15, 'missing-entry']],
  );
  assert.ok(found[0].message.endsWith(CAUSED));
});

test('a syscall added consistently (.tbl, o32 rows, syscall.c case): no finding, exit 0', () => {
  // A tree with the o32 table, the .tbl copy and syscall.c.
  const tree = scratch(QEMU_DISPATCH);
  fs.copyFileSync(path.join(QEMU, INC), path.join(tree, INC));
  const patch = `diff --git a/${TBL} b/${TBL}
--- a/${TBL}
+++ b/${TBL}
@@ -25 +25,2 @@
 19	o32	landlock_restrict_self		sys_landlock_restrict_self
+20	o32	futex_waitv			sys_futex_waitv
diff --git a/${INC} b/${INC}
--- a/${INC}
+++ b/${INC}
@@ -16 +16,6 @@
     [  15] = 6, /* mmap */
+    [  16] = MIPS_SYSCALL_NUMBER_UNUSED,
+    [  17] = 3, /* landlock_create_ruleset */
+    [  18] = 4, /* landlock_add_rule */
+    [  19] = 2, /* landlock_restrict_self */
+    [  20] = 5, /* futex_waitv */
diff --git a/linux-user/syscall.c b/linux-user/syscall.c
--- a/linux-user/syscall.c
+++ b/linux-user/syscall.c
@@ -37,2 +37,3 @@
     case TARGET_NR_fallocate:
+    case TARGET_NR_futex_waitv:
     case TARGET_NR_mmap2:
`;
  const before = snapshot(tree);
  const r = run(['check', '--kernel', KERNEL, '--min-severity', 'hint', '--patch', writePatch(patch), tree]);
  assert.equal(r.out, '');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /no findings in 3 files; the patch changes 3 files; \d+ findings left out/);
  assert.deepEqual(snapshot(tree), before, 'the patch is applied in memory only');

  // The same patch without the case: the dispatch check sees the patched .tbl.
  const noCase = patch.slice(0, patch.indexOf('diff --git a/linux-user/syscall.c'));
  const j = json(run(['check', '--kernel', KERNEL, '--format', 'json', '--patch', writePatch(noCase), tree]).out);
  assert.deepEqual(
    j.map(f => [path.relative(tree, f.file), f.range.start.line, f.code]),
    [[TBL, 25, 'not-dispatched']],
  );
  assert.match(j[0].message, /^futex_waitv has no case TARGET_NR_futex_waitv in linux-user\/syscall\.c/);
});

test('a hunk that does not apply: exit 2, naming the file and the hunk; nothing is written', () => {
  const tree = scratch(QEMU);
  const before = snapshot(tree);
  const bad = tblOnly.replace('+20\t', ' 20\tbogus\n+20\t').replace('@@ -23,3 +23,4 @@', '@@ -23,4 +23,5 @@');
  const twoHunks = `diff --git a/${INC} b/${INC}
--- a/${INC}
+++ b/${INC}
@@ -1,2 +1,2 @@
-    [   0] = 7, /* syscall */
+    [   0] = 8, /* syscall */
     [   1] = 1, /* exit */
@@ -10,2 +10,2 @@
-    [   9] = 5, /* ftruncate64 */
+    [   9] = 4, /* ftruncate64 */
     [  10] = 5, /* readahead */
`;
  for (const [p, want] of [
    [bad, /syscall_o32\.tbl: hunk 1 of 1 \(@@ -23,4 \+23,5 @@\) does not apply/],
    [twoHunks, /syscall-args-o32\.c\.inc: hunk 2 of 2 \(@@ -10,2 \+10,2 @@\) does not apply/],
  ] as const) {
    const r = run(['check', '--kernel', KERNEL, '--patch', writePatch(p), tree]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, want);
    assert.equal(r.out, '');
  }
  const missing = run([
    'check',
    '--kernel',
    KERNEL,
    '--patch',
    writePatch(tblOnly.replaceAll(TBL, 'linux-user/mips/nope.tbl')),
    tree,
  ]);
  assert.equal(missing.code, 2);
  assert.match(
    missing.err,
    /the patch changes linux-user\/mips\/nope\.tbl, which is not in the tree|nope\.tbl, which is not in the tree/,
  );
  const garbage = run(['check', '--kernel', KERNEL, '--patch', writePatch('hello\n'), tree]);
  assert.equal(garbage.code, 2);
  assert.match(garbage.err, /the patch holds no diff/);
  assert.equal(run(['check', '--patch', '/nonexistent.diff', tree]).code, 2);
  assert.deepEqual(snapshot(tree), before);
});

test('the patch on standard input (-), and the PATH it applies to', () => {
  const r = run(['check', '--kernel', KERNEL, '--format', 'json', '--patch', '-', QEMU], tblOnly);
  assert.equal(r.code, 1, r.err);
  assert.deepEqual(
    json(r.out).map(f => f.code),
    ['missing-entry'],
  );
  // The tree's linux-user/ works too (the paths resolve from the QEMU root above it), and -p0 paths.
  const lu = run(
    ['check', '--kernel', KERNEL, '--format', 'json', '--patch', '-', path.join(QEMU, 'linux-user')],
    tblOnly,
  );
  assert.deepEqual(
    json(lu.out).map(f => f.code),
    ['missing-entry'],
  );
  const p0 = tblOnly.replace(/ [ab]\//g, ' ').replace(/^(---|\+\+\+) [ab]\//gm, '$1 ');
  assert.ok(!p0.includes('a/linux-user'));
  const r0 = run(['check', '--kernel', KERNEL, '--format', 'json', '--patch', '-', QEMU], p0);
  assert.deepEqual(
    json(r0.out).map(f => f.code),
    ['missing-entry'],
    r0.err,
  );
  // One tree, a directory.
  const two = run(['check', '--patch', '-', QEMU, QEMU_DISPATCH], tblOnly);
  assert.equal(two.code, 2);
  assert.match(two.err, /with --patch, give one PATH/);
  const file = run(['check', '--patch', '-', path.join(QEMU, TBL)], tblOnly);
  assert.equal(file.code, 2);
  assert.match(file.err, /not a file/);
});

test('a git format-patch mail: headers, message, diffstat and the "-- " signature; a series of two', () => {
  const mail = (
    n: number,
    subject: string,
    diff: string,
  ) => `From 1f0c${n}e5d2a7b3c9e8f6a4b2c1d0e9f8a7b6c5d4e3f2 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Tue, 3 Sep 2024 10:00:00 +0200
Subject: [PATCH ${n}/2] linux-user/mips: ${subject}

Add ${subject}.

Signed-off-by: A Developer <dev@example.org>
---
 linux-user/mips/syscall_o32.tbl | 1 +
 1 file changed, 1 insertion(+)

${diff}-- 
2.39.5

`;
  const second = `diff --git a/${TBL} b/${TBL}
index 8a2316a..9b3e1f0 100644
--- a/${TBL}
+++ b/${TBL}
@@ -24,3 +24,4 @@
 18	o32	landlock_add_rule		sys_landlock_add_rule
 19	o32	landlock_restrict_self		sys_landlock_restrict_self
 20	o32	futex_waitv			sys_futex_waitv
+21	o32	bogus_call			sys_bogus_call
`;
  const series = mail(1, 'futex_waitv', tblOnly) + mail(2, 'bogus_call', second);
  const r = run(
    ['check', '--kernel', KERNEL, '--format', 'json', '--min-severity', 'hint', '--patch', '-', QEMU],
    series,
  );
  assert.equal(r.code, 1, r.err);
  const got = json(r.out).map(f => [
    path.relative(QEMU, f.file),
    f.range.start.line,
    f.code,
    f.message.split(/: | \(the patch/)[0],
  ]);
  assert.deepEqual(got, [
    [TBL, 26, 'tbl-drift', "21 bogus_call (o32) is not in the kernel's arch/mips/kernel/syscalls/syscall_o32.tbl"],
    [INC, 15, 'missing-entry', 'futex_waitv (4020) is in syscall_o32.tbl but has no row'],
    [INC, 15, 'missing-entry', 'bogus_call (4021) is in syscall_o32.tbl but has no row'],
  ]);
});

/** Write a patch to a file of its own (removed when the tests end). */
function writePatch(text: string): string {
  const f = path.join(tmpDir('patch'), 'change.patch');
  fs.writeFileSync(f, text);
  return f;
}

// The patch reader on its own, over a tree in memory.
const memory = (files: Record<string, string>): Reader => ({
  read: f => files[f],
  list: dir => [
    ...new Set(
      Object.keys(files)
        .filter(f => f.startsWith(dir + '/'))
        .map(f => f.slice(dir.length + 1).split('/')[0]),
    ),
  ],
});

test('applyToTree: new, deleted and renamed files, "\\ No newline at end of file", the lines added', () => {
  const tree = memory({
    '/t/a.txt': 'one\ntwo\nthree\n',
    '/t/old.txt': 'x\ny\n',
    '/t/gone.txt': 'bye\n',
    '/t/d/n.txt': 'n',
  });
  const patch = `diff --git a/a.txt b/a.txt
--- a/a.txt
+++ b/a.txt
@@ -1,3 +1,3 @@
 one
-two
+TWO
 three
diff --git a/new/dir/file.tbl b/new/dir/file.tbl
new file mode 100644
index 0000000..e69de29
--- /dev/null
+++ b/new/dir/file.tbl
@@ -0,0 +1,2 @@
+0	common	read	sys_read
+1	common	write	sys_write
diff --git a/gone.txt b/gone.txt
deleted file mode 100644
--- a/gone.txt
+++ /dev/null
@@ -1 +0,0 @@
-bye
diff --git a/old.txt b/renamed.txt
similarity index 50%
rename from old.txt
rename to renamed.txt
--- a/old.txt
+++ b/renamed.txt
@@ -1,2 +1,2 @@
 x
-y
+z
diff --git a/d/n.txt b/d/n.txt
--- a/d/n.txt
+++ b/d/n.txt
@@ -1 +1 @@
-n
\\ No newline at end of file
+m
`;
  const r = applyToTree(patch, ['/t'], tree, f => f);
  assert.equal(r.texts.get('/t/a.txt'), 'one\nTWO\nthree\n');
  assert.equal(r.texts.get('/t/new/dir/file.tbl'), '0\tcommon\tread\tsys_read\n1\tcommon\twrite\tsys_write\n');
  assert.equal(r.texts.get('/t/gone.txt'), undefined);
  assert.ok(r.texts.has('/t/gone.txt'));
  assert.equal(r.texts.get('/t/old.txt'), undefined);
  assert.equal(r.texts.get('/t/renamed.txt'), 'x\nz\n');
  assert.equal(r.texts.get('/t/d/n.txt'), 'm\n');
  const byFile = Object.fromEntries(r.files.map(f => [f.file ?? `deleted ${f.old}`, [f.old, [...f.added]]]));
  assert.deepEqual(byFile, {
    '/t/a.txt': ['/t/a.txt', [1]],
    '/t/new/dir/file.tbl': [undefined, [0, 1]],
    'deleted /t/gone.txt': ['/t/gone.txt', []],
    '/t/renamed.txt': ['/t/old.txt', [1]],
    '/t/d/n.txt': ['/t/d/n.txt', [0]],
  });
  // The overlay lists what the patch creates and leaves out what it deletes.
  const o = overlayReader(tree, r.texts);
  assert.deepEqual(o.list('/t').sort(), ['a.txt', 'd', 'new', 'renamed.txt']);
  assert.deepEqual(o.list('/t/new/dir'), ['file.tbl']);
  assert.equal(o.read('/t/gone.txt'), undefined);
  assert.equal(o.read('/t/d/n.txt'), 'm\n');
  // Creating a file that exists is an error, as for git apply.
  const create = 'diff --git a/a.txt b/a.txt\nnew file mode 100644\n--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1 @@\n+x\n';
  assert.throws(() => applyToTree(create, ['/t'], tree, f => f), /the patch creates \/t\/a\.txt, which already exists/);
});

test('withoutSignatures keeps a removed "- " line inside a hunk; addedLines counts a changed line', () => {
  const p = `--- a/x\n+++ b/x\n@@ -1,2 +1,1 @@\n-- \n keep\n-- \n2.39.5\n`;
  assert.equal(withoutSignatures(p), `--- a/x\n+++ b/x\n@@ -1,2 +1,1 @@\n-- \n keep\n`);
  assert.deepEqual([...addedLines('a\nb\nc\n', 'a\nB\nc\nd\n')], [1, 3]);
});
