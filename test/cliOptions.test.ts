// The command line as a terminal and a CI job expect it: help, version, options per
// command, choosing what is shown, paths, settings files, and no silent success.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI, KERNEL, QEMU, ROOT, scratch, tmpDir } from './helpers/paths';

const run = (args: string[], cwd?: string) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const TABLE = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');
const tmp = (_t: unknown) => tmpDir('cli');

test('--version, help, help CMD and CMD --help', () => {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  assert.equal(run(['--version']).out, `systab ${version}\n`);
  const help = run(['--help']);
  assert.equal(help.code, 0);
  for (const c of ['check', 'fix', 'regen', 'coverage', 'index']) assert.match(help.out, new RegExp(`^  ${c} `, 'm'));
  for (const c of ['check', 'fix', 'regen', 'coverage', 'index']) {
    const a = run(['help', c]),
      b = run([c, '--help']);
    assert.equal(a.code, 0);
    assert.equal(a.out, b.out);
    assert.match(a.out, new RegExp(`^usage: systab ${c}`));
  }
  assert.match(run(['help', 'check']).out, /--min-severity LEVEL/);
  const none = run([]);
  assert.equal(none.code, 2);
  assert.match(none.err, /usage: systab COMMAND/);
});

test('an option a command does not take is rejected, with a suggestion, and no usage wall', () => {
  let r = run(['fix', '--format', 'json', TABLE]);
  assert.equal(r.code, 2);
  assert.match(r.err, /fix does not take --format/);
  assert.match(r.err, /see systab help fix/);
  r = run(['check', '--kernal', KERNEL, TABLE]);
  assert.equal(r.code, 2);
  assert.match(r.err, /check does not take --kernal \(did you mean --kernel\?\)/);
  r = run(['check', '--only', 'nr-mismach', TABLE]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown code nr-mismach \(did you mean nr-mismatch\?\)/);
  r = run(['check', '--min-severity', 'loud', TABLE]);
  assert.match(r.err, /--min-severity must be error, warning, information or hint, not loud/);
});

test('output sorted by file and line; --only, --skip and --min-severity choose what is shown', () => {
  const all = run(['check', '--kernel', KERNEL, '--format', 'json', QEMU]);
  const found = JSON.parse(all.out) as {
    file: string;
    range: { start: { line: number } };
    code: string;
    severity: string;
  }[];
  const keys = found.map(f => [f.file, f.range.start.line] as const);
  const sorted = [...keys].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
  assert.deepEqual(keys, sorted);
  assert.ok(
    found.some(f => f.severity === 'information'),
    'json keeps the notes',
  );
  const only = JSON.parse(
    run(['check', '--kernel', KERNEL, '--format', 'json', '--only', 'missing-entry,tbl-drift', QEMU]).out,
  );
  assert.deepEqual([...new Set(only.map((f: { code: string }) => f.code))].sort(), ['missing-entry', 'tbl-drift']);
  const skip = JSON.parse(run(['check', '--kernel', KERNEL, '--format', 'json', '--skip', 'tbl-drift', QEMU]).out);
  assert.equal(skip.length, found.length - found.filter(f => f.code === 'tbl-drift').length);
  const errors = run(['check', '--kernel', KERNEL, '--min-severity', 'error', QEMU]);
  assert.ok(
    errors.out
      .trim()
      .split('\n')
      .every(l => / error: /.test(l)),
  );
  assert.equal(errors.code, 1);
  // Skipping every error code leaves nothing that fails the run.
  const noErrors = run(['check', '--kernel', KERNEL, '--skip', 'missing-entry,arg-count-mismatch', TABLE]);
  assert.equal(noErrors.code, 0);
});

test('paths: relative under the current directory, absolute when given so, never ../..', () => {
  const rel = run(['check', '--kernel', KERNEL, 'linux-user/mips/syscall-args-o32.c.inc'], QEMU);
  assert.match(rel.out, /^linux-user\/mips\/syscall-args-o32\.c\.inc:\d+:\d+: /m);
  const abs = run(['check', '--kernel', KERNEL, TABLE], os.tmpdir());
  assert.match(abs.out, new RegExp(`^${TABLE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `, 'm'));
  const json = JSON.parse(run(['check', '--kernel', KERNEL, '--format', 'json', 'linux-user'], QEMU).out);
  for (const f of json) for (const r of f.related) assert.ok(!r.file.startsWith('..'), r.file);
});

test('nothing read is not success: an empty directory, a tree without tables', t => {
  const empty = tmp(t);
  let r = run(['check', empty]);
  assert.equal(r.code, 2);
  assert.match(r.err, /no syscall tables found under .*\(systab reads: .*strace\.list/);
  assert.match(
    r.err,
    /o32 argument-count table; QEMU linux-user cpu loops \(MIPS o32 table bounds, ARM private syscalls\); strace's syscallent tables \(src\/linux\/<arch>\/syscallent\*\.h\);/,
  );
  assert.match(r.err, /User-mode Linux's private ptrace constants \([^)]*\); valgrind's/);
  assert.match(r.err, /valgrind's syscall wrapper tables \(coregrind\/m_syswrap\/syswrap-\*-linux\.c\)[;)]/);
  assert.match(r.err, /; ARM's calls\.S and unistd\.h before syscall\.tbl \(Linux 4\.9 and older\)[;)]/);
  fs.mkdirSync(path.join(empty, 'accel'));
  fs.writeFileSync(path.join(empty, 'accel', 'x.c'), 'int main(void) { return 0; }\n');
  r = run(['check', path.join(empty, 'accel')]);
  assert.equal(r.code, 2);
  r = run(['fix', empty]);
  assert.equal(r.code, 2);
  assert.match(r.err, /no syscall tables found/);
});

test('.systab.json: a misspelt key or code is named; a broken file is one line', t => {
  const dir = tmp(t);
  fs.writeFileSync(
    path.join(dir, '.systab.json'),
    JSON.stringify({ severty: {}, severity: { 'nr-mismach': 'off', 'tbl-drift': 'off' } }),
  );
  let r = run(['check', '--kernel', KERNEL, '--format', 'json', QEMU], dir);
  assert.match(r.err, /unknown setting "severty" \(did you mean "severity"\?\)/);
  assert.match(r.err, /unknown code "nr-mismach" in severity \(did you mean "nr-mismatch"\?\)/);
  assert.ok(!JSON.parse(r.out).some((f: { code: string }) => f.code === 'tbl-drift'), 'the valid part is applied');
  fs.writeFileSync(path.join(dir, '.systab.json'), '{ "severity": ');
  r = run(['check', QEMU], dir);
  assert.equal(r.code, 2);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, /cannot read \.systab\.json: /);
});

test('coverage takes a QEMU tree or its linux-user/', () => {
  const a = run(['coverage', '--kernel', KERNEL, '--format', 'json', QEMU]);
  const b = run(['coverage', '--kernel', KERNEL, '--format', 'json', path.join(QEMU, 'linux-user')]);
  assert.equal(b.code, a.code, b.err);
  assert.equal(b.out, a.out);
});

test('SARIF: tool version, a rule per code with its level, locations under %SRCROOT%', () => {
  const r = run(['check', '--kernel', KERNEL, '--format', 'sarif', 'linux-user/mips/syscall-args-o32.c.inc'], QEMU);
  const run0 = JSON.parse(r.out).runs[0];
  assert.match(run0.tool.driver.version, /^\d+\.\d+\.\d+/);
  const rule = run0.tool.driver.rules.find((x: { id: string }) => x.id === 'arg-count-mismatch');
  assert.equal(rule.defaultConfiguration.level, 'error');
  assert.ok(rule.shortDescription.text.length > 10);
  assert.ok(run0.originalUriBaseIds.SRCROOT.uri.startsWith('file://'));
  const loc = run0.results[0].locations[0].physicalLocation.artifactLocation;
  assert.deepEqual(loc, { uri: 'linux-user/mips/syscall-args-o32.c.inc', uriBaseId: 'SRCROOT' });
  // Without --kernel, kernel evidence is relative to the kernel tree, not to %SRCROOT%.
  const bundled = JSON.parse(run(['check', '--format', 'sarif', 'linux-user/mips/syscall-args-o32.c.inc'], QEMU).out)
    .runs[0];
  const kernelLocs = bundled.results
    .flatMap(
      (x: { relatedLocations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }) =>
        x.relatedLocations,
    )
    .map(
      (r: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }) =>
        r.physicalLocation.artifactLocation,
    )
    .filter((l: { uri: string }) => /^(include|arch|fs|mm|kernel)\//.test(l.uri));
  assert.ok(kernelLocs.length && kernelLocs.every((l: { uriBaseId?: string }) => l.uriBaseId === 'KERNEL'));
  assert.equal(
    run0.results[0].ruleIndex,
    run0.tool.driver.rules.findIndex((x: { id: string }) => x.id === run0.results[0].ruleId),
  );
});

test('fix --dry-run prints exactly what fix writes, as a patch git apply takes', t => {
  const a = scratch(QEMU),
    b = scratch(QEMU);
  t.after(() => [a, b].forEach(d => fs.rmSync(d, { recursive: true, force: true })));
  const dry = run(['fix', '--dry-run', '--kernel', KERNEL, '.'], a);
  const real = run(['fix', '--kernel', KERNEL, '.'], b);
  assert.equal(dry.err.replace('would fix', 'fixed'), real.err, 'the same count');
  const applied = spawnSync('git', ['apply', '-'], { cwd: a, input: dry.out, encoding: 'utf8' });
  assert.equal(applied.status, 0, applied.stderr);
  const files = (d: string) =>
    spawnSync('find', ['.', '-type', 'f'], { cwd: d, encoding: 'utf8' }).stdout.split('\n').sort();
  assert.deepEqual(files(a), files(b));
  for (const f of files(a).filter(Boolean))
    assert.equal(fs.readFileSync(path.join(a, f), 'utf8'), fs.readFileSync(path.join(b, f), 'utf8'), f);
});

test('a table file away from its place says where systab reads files of that name', () => {
  const dir = tmpDir('cli-lone');
  fs.copyFileSync(path.join(QEMU, '..', 'strace', 'strace.list'), path.join(dir, 'strace.list'));
  const r = run(['check', path.join(dir, 'strace.list')]);
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /strace\.list is not read here: systab reads files of this name at \*\*\/linux-user\/strace\.list/,
  );
});
