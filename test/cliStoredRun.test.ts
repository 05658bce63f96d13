// A repeated `systab check` whose inputs are all unchanged prints the stored output of the
// last one; a change to anything it read (a table, a directory's entries, the settings file,
// the kernel tree) runs it afresh. The stored output is marked here so that a replay shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, KERNEL, QEMU, scratch, tmpDir } from './helpers/paths';

/** Every file and directory under `dir` dated a minute back (children first: a directory's mtime is its own). */
function backdate(dir: string, at = new Date(Date.now() - 60000)): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) backdate(p, at);
    else fs.utimesSync(p, at, at);
  }
  fs.utimesSync(dir, at, at);
}

function setup() {
  const cache = tmpDir('stored-cache');
  const cwd = tmpDir('stored-cwd');
  const qemu = scratch(QEMU);
  const kernel = scratch(KERNEL);
  for (const d of [cwd, qemu, kernel]) backdate(d);
  const run = (...extra: string[]) =>
    spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--kernel', kernel, ...extra, qemu], {
      encoding: 'utf8',
      cwd,
      env: { ...process.env, XDG_CACHE_HOME: cache },
    });
  const runs = path.join(cache, 'systab', 'runs');
  const stored = () => fs.readdirSync(runs).map(n => path.join(runs, n));
  /** Replace the stored run's standard output by a marker. */
  const mark = () => {
    const [file] = stored();
    const s = JSON.parse(fs.readFileSync(file, 'utf8'));
    s.output = [[1, 'STORED\n'], ...s.output.filter((c: [number, string]) => c[0] === 2)];
    fs.writeFileSync(file, JSON.stringify(s));
  };
  return { cache, cwd, qemu, kernel, run, stored, mark };
}

test('a repeated check prints its stored output; an edited table, a new file, the settings file or the kernel tree runs it afresh', () => {
  const { cache, cwd, qemu, kernel, run, stored, mark } = setup();
  const first = run();
  assert.equal(first.status, 1, first.stderr);
  assert.equal(stored().length, 1, 'the run was kept');
  const code = fs.readdirSync(path.join(cache, 'systab', 'code-cache'));
  assert.ok(
    code.some(f => f.startsWith('cliCommands-')),
    `the commands' compiled code was kept too: ${code}`,
  );
  const again = run();
  assert.equal(again.stdout, first.stdout);
  assert.equal(again.stderr, first.stderr);
  assert.equal(again.status, first.status);
  mark();
  const replayed = run();
  assert.equal(replayed.stdout, 'STORED\n', 'an unchanged run is answered from what was kept');
  assert.equal(replayed.status, first.status);
  assert.equal(replayed.stderr, first.stderr, 'standard error as it was');

  const fresh = (what: string) => {
    const r = run();
    assert.notEqual(r.stdout, 'STORED\n', `${what}: run afresh`);
    assert.doesNotThrow(() => JSON.parse(r.stdout), what);
    mark();
    assert.equal(run().stdout, 'STORED\n', `${what}: then kept again`);
    return r;
  };
  // A table edited in place, same size (one digit for another).
  const table = path.join(qemu, 'linux-user/mips/syscall-args-o32.c.inc');
  const text = fs.readFileSync(table, 'utf8');
  const edited = text.replace('[   3] = 3, /* read */', '[   3] = 2, /* read */');
  assert.notEqual(edited, text);
  assert.equal(edited.length, text.length);
  fs.writeFileSync(table, edited);
  backdate(path.dirname(table), new Date(Date.now() - 30000));
  const afterEdit = fresh('an edited table');
  assert.notEqual(afterEdit.stdout, first.stdout, 'the findings follow the edit');
  // A file added to a directory the check listed.
  fs.writeFileSync(path.join(qemu, 'linux-user', 'new-file.c'), 'int x;\n');
  backdate(path.join(qemu, 'linux-user'), new Date(Date.now() - 20000));
  fresh('a file added to linux-user/');
  // The settings file appears in the directory the command runs in.
  fs.writeFileSync(path.join(cwd, '.systab.json'), JSON.stringify({ severity: { 'arg-count-mismatch': 'off' } }));
  backdate(cwd, new Date(Date.now() - 20000));
  const configured = fresh('a new .systab.json');
  assert.ok(!configured.stdout.includes('arg-count-mismatch'), 'and its settings apply');
  // The kernel tree changes.
  const syscalls = path.join(kernel, 'include/linux/syscalls.h');
  fs.appendFileSync(syscalls, '\n');
  backdate(path.dirname(syscalls), new Date(Date.now() - 10000));
  fresh('a changed kernel tree');
});

test('--no-cache neither reads nor keeps a stored run; inputs changed within the last seconds are not trusted to be kept', () => {
  const { qemu, run, stored, mark } = setup();
  const first = run();
  mark();
  const noCache = run('--no-cache');
  assert.equal(noCache.stdout, first.stdout, '--no-cache runs afresh');
  assert.equal(run().stdout, 'STORED\n', 'and leaves the stored run as it was');
  // An edit just now, with no change of size: the run is not kept (its mtime could hide a second edit).
  const table = path.join(qemu, 'linux-user/mips/syscall-args-o32.c.inc');
  fs.appendFileSync(table, '\n');
  const [file] = stored();
  const before = fs.readFileSync(file, 'utf8');
  const r = run();
  assert.notEqual(r.stdout, 'STORED\n');
  assert.equal(fs.readFileSync(file, 'utf8'), before, 'a run over a file written just now is not kept');
  assert.equal(stored().length, 1);
});

test('a check with --patch or --help is never answered from a stored run', () => {
  const { run, mark } = setup();
  run();
  mark();
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /check/);
  assert.notEqual(help.stdout, 'STORED\n');
});
