// The `$systab` problem matcher the extension contributes (package.json), read from the
// manifest and run, as VS Code runs it, on what `systab check` prints: every line matches,
// and the file, position, severity, message and code it reads are the finding's own
// (compared with `--format json` of the same run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CODE_INFO } from '../server/src/core/codes';
import { CLI, FIXTURES, KERNEL, QEMU, ROOT } from './helpers/paths';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'systab');
const pattern = matcher.pattern;
const regexp = new RegExp(pattern.regexp);

// VS Code's reading of the severity group (problemMatcher.ts getSeverity and
// Severity.fromValue): error, warning/warn and info; then E, W, I, hint and note; anything
// else falls back to the matcher's severity, or error. So "information" must reach it as
// "info" (the pattern captures `info` and leaves `rmation` outside the group).
function vscodeSeverity(value: string): 'error' | 'warning' | 'info' {
  const v = value.toLowerCase();
  if (v === 'error') return 'error';
  if (v === 'warning' || v === 'warn') return 'warning';
  if (v === 'info') return 'info';
  if (value === 'E') return 'error';
  if (value === 'W') return 'warning';
  if (value === 'I' || v === 'hint' || v === 'note') return 'info';
  return matcher.severity ?? 'error';
}
const expected = { error: 'error', warning: 'warning', information: 'info', hint: 'info' } as const;

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number } };
  severity: keyof typeof expected;
  code: string;
  message: string;
}

function check(args: string[], cwd: string) {
  const run = (format: string) =>
    spawnSync(
      process.execPath,
      [CLI, 'check', '--kernel', KERNEL, '--min-severity', 'hint', ...format.split(' '), ...args],
      {
        cwd,
        encoding: 'utf8',
      },
    );
  const text = run('--format text');
  const json = JSON.parse(run('--format json').stdout) as JsonFinding[];
  return { lines: text.stdout.trimEnd().split('\n'), json, status: text.status };
}

test('the manifest contributes $systab for the text format', () => {
  assert.equal(matcher.owner, 'systab-check', "not the language client's owner: a task must not clear its diagnostics");
  assert.equal(matcher.source, 'systab');
  assert.deepEqual(matcher.fileLocation, ['autoDetect', '${workspaceFolder}']);
  assert.deepEqual(
    [pattern.file, pattern.line, pattern.column, pattern.severity, pattern.message, pattern.code],
    [1, 2, 3, 4, 5, 6],
  );
});

for (const [label, cwd, args] of [
  ['paths relative to the current directory', FIXTURES, [path.relative(FIXTURES, QEMU)]],
  ['absolute paths', ROOT, [QEMU]],
] as const) {
  test(`$systab reads every line systab check prints for test/fixtures/qemu (${label})`, () => {
    const { lines, json, status } = check([...args], cwd);
    assert.equal(status, 1);
    assert.equal(lines.length, json.length);
    assert.ok(
      json.some(f => f.severity === 'information'),
      'the run shows each severity systab prints',
    );
    assert.ok(json.some(f => f.severity === 'warning') && json.some(f => f.severity === 'error'));
    const codes = new Set(CODE_INFO.map(c => c.code as string));
    lines.forEach((line, i) => {
      const m = regexp.exec(line);
      assert.ok(m, `$systab does not match: ${line}`);
      const f = json[i];
      assert.equal(m[pattern.file], f.file);
      assert.ok(fs.existsSync(path.resolve(cwd, m[pattern.file])), `${m[pattern.file]} is not a file from ${cwd}`);
      assert.equal(path.isAbsolute(m[pattern.file]), label === 'absolute paths');
      assert.equal(Number(m[pattern.line]), f.range.start.line + 1);
      assert.equal(Number(m[pattern.column]), f.range.start.character + 1);
      assert.equal(vscodeSeverity(m[pattern.severity]), expected[f.severity], line);
      assert.equal(m[pattern.message], f.message);
      assert.equal(m[pattern.code], f.code);
      assert.ok(codes.has(m[pattern.code]));
    });
  });
}

test('$systab: a message holding brackets, a hint, a Windows path', () => {
  const m = regexp.exec('C:\\src\\qemu\\linux-user\\mips\\syscall_o32.tbl:3:1: hint: a [b] c [tbl-drift]')!;
  assert.deepEqual(
    [m[pattern.file], m[pattern.line], m[pattern.column], m[pattern.severity], m[pattern.message], m[pattern.code]],
    ['C:\\src\\qemu\\linux-user\\mips\\syscall_o32.tbl', '3', '1', 'hint', 'a [b] c', 'tbl-drift'],
  );
  assert.equal(vscodeSeverity('information'), 'error', 'why the pattern must not capture "information"');
  // The summary and messages on stderr are no problems.
  assert.equal(regexp.exec('systab: 4 errors, 18 warnings, 2 notes in 2 files (of 2 read)'), null);
});

test("the README's tasks.json uses $systab on systab check", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /### In a task: the `\$systab` problem matcher[\s\S]*?```jsonc\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'the README shows a tasks.json');
  const tasks = JSON.parse(block.replace(/,(\s*[}\]])/g, '$1'));
  assert.equal(tasks.version, '2.0.0');
  assert.equal(tasks.tasks[0].problemMatcher, `$${matcher.name}`);
  assert.match(tasks.tasks[0].command, /^systab check /);
});
