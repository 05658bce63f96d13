// The systab command as users and CI call it: formats, exit codes, fix, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, KERNEL, QEMU, scratch } from './helpers/paths';

const run = (args: string[], cwd?: string) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const TABLE = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');

test('text format: file:line:col: severity: message [code]; exit 1 on errors', () => {
  const r = run(['check', '--kernel', KERNEL, TABLE]);
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n');
  // Errors and warnings are listed; the two notes are counted, and how to see them is said.
  assert.equal(lines.length, 6);
  assert.match(
    r.err,
    /4 errors, 2 warnings, 2 notes in 1 file \(of 1 read\); 2 not shown \(below warning: --min-severity information shows them\)/,
  );
  assert.equal(
    run(['check', '--kernel', KERNEL, '--min-severity', 'information', TABLE]).out.trim().split('\n').length,
    8,
  );
  assert.match(
    lines.find(l => l.includes('sync_file_range'))!,
    /syscall-args-o32\.c\.inc:13:14: error: sync_file_range \(4012\) needs 7 .* \[arg-count-mismatch\]$/,
  );
});

test('json format: zero-based LSP ranges', () => {
  const r = run(['check', '--kernel', KERNEL, '--format', 'json', TABLE]);
  const out = JSON.parse(r.out) as {
    file: string;
    range: { start: { line: number; character: number } };
    severity: string;
    code: string;
    message: string;
  }[];
  const f = out.find(x => x.code === 'arg-count-mismatch' && x.message.includes('sync_file_range'))!;
  assert.deepEqual(f.range.start, { line: 12, character: 13 });
  assert.equal(f.severity, 'error');
  assert.ok(f.file.endsWith('syscall-args-o32.c.inc'));
});

test('sarif format', () => {
  const r = run(['check', '--kernel', KERNEL, '--format', 'sarif', TABLE]);
  const s = JSON.parse(r.out);
  assert.equal(s.version, '2.1.0');
  assert.ok(s.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'missing-entry'));
});

test('a directory: the tree is searched by known paths, .tbl copies included', () => {
  const r = run(['check', '--kernel', KERNEL, QEMU]);
  assert.match(r.out, /syscall_o32\.tbl:25:1: warning: 20 futex_waitv \(o32\) is in the kernel's/);
  assert.match(r.out, /\[missing-entry\]/);
});

test('fix writes files, a second fix changes no byte, check is clean after', () => {
  const dir = scratch(QEMU);
  const table = path.join(dir, 'linux-user/mips/syscall-args-o32.c.inc');
  const dry = run(['fix', '--dry-run', '--kernel', KERNEL, dir]);
  assert.match(dry.out, /^\+ {4}\[ {2}17\] = 3, \/\* landlock_create_ruleset \*\/$/m);
  assert.equal(fs.readFileSync(table, 'utf8'), fs.readFileSync(TABLE, 'utf8'), '--dry-run writes nothing');
  assert.equal(run(['fix', '--kernel', KERNEL, dir]).code, 0);
  const once = fs.readFileSync(table, 'utf8');
  assert.equal(run(['fix', '--kernel', KERNEL, dir]).code, 0);
  assert.equal(fs.readFileSync(table, 'utf8'), once);
  const after = run(['check', '--kernel', KERNEL, '--format', 'json', dir]);
  assert.deepEqual(
    JSON.parse(after.out).map((f: { code: string }) => f.code),
    ['unknown-signature', 'name-mismatch'],
    'what is left: an unknown count, and a comment name fix-all does not rename',
  );
  assert.equal(after.code, 0);
  assert.deepEqual(
    fs.readdirSync(path.dirname(table)).filter(n => n.includes('systab')),
    [],
    'no temporary files left',
  );
});

test('regen prints the regenerated file and leaves it alone', () => {
  const r = run(['regen', '--kernel', KERNEL, TABLE]);
  assert.equal(r.code, 0);
  assert.match(r.out, /\[ {2}12\] = 7, \/\* sync_file_range \*\//);
  assert.match(r.err, /kept the current counts of syscall/);
});

test('bad usage and unreadable input exit 2 with a clear message', () => {
  let r = run(['check', '--kernel', '/nonexistent/linux', TABLE]);
  assert.equal(r.code, 2);
  assert.match(r.err, /kernel path \/nonexistent\/linux does not exist/);
  r = run(['check', '--kernel', path.join(KERNEL, 'Makefile'), TABLE]);
  assert.equal(r.code, 2);
  assert.match(r.err, /is a file, not a Linux source tree/);
  r = run(['check', '/nonexistent/table.c.inc']);
  assert.equal(r.code, 2);
  assert.match(r.err, /does not exist/);
  r = run(['check', '--format', 'xml', TABLE]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--format must be/);
  r = run(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command/);
});

test('binary, empty, truncated and huge files: findings or messages, never a crash', () => {
  const dir = scratch(QEMU);
  const mips = path.join(dir, 'linux-user/mips');
  fs.writeFileSync(path.join(mips, 'syscall_o32.tbl'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0]));
  let r = run(['check', '--kernel', KERNEL, path.join(mips, 'syscall_o32.tbl')]);
  assert.equal(r.code, 1);
  assert.match(r.out, /binary, not a syscall table/);
  const empty = path.join(mips, 'syscall-args-o32.c.inc');
  fs.writeFileSync(empty, '');
  r = run(['check', empty]);
  assert.equal(r.code, 2, 'nothing read is not success');
  assert.match(r.err, /is not a syscall table systab knows/);
  fs.writeFileSync(empty, '    [   0] = 7, /* syscall */\n    [   1] = ');
  r = run(['check', '--kernel', KERNEL, empty]);
  assert.notEqual(r.code, 2, r.err);
  assert.doesNotMatch(r.err, /internal error/);
  const big = path.join(dir, 'syscall_big.tbl');
  fs.writeFileSync(big, '0\tcommon\tread\tsys_read\n'.repeat(2_300_000));
  r = run(['check', big]);
  assert.equal(r.code, 0);
  assert.match(r.out, /this file is \d+\.\d MB, more than systab reads/);
});
