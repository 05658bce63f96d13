// QEMU's linux-user/strace.list: the parser's model and ranges, and every finding code
// of its checks, on a small fixture in the real format (test/fixtures/strace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits } from '../../server/src/core/edits';
import { straceFindings } from '../../server/src/families/qemu/straceList/rules';
import {
  formatConversions,
  mutuallyExclusive,
  parseStraceList,
  StraceEntry,
} from '../../server/src/families/qemu/straceList/model';
import { Finding, range } from '../../server/src/core/types';
import { referenceOf } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

const DIR = path.join(FIXTURES, 'strace');
const LIST = path.join(DIR, 'strace.list');
const KERNEL = path.join(DIR, 'linux');
const text = fs.readFileSync(LIST, 'utf8');
const model = parseStraceList(LIST, text);
const entry = (name: string, n = 0): StraceEntry => model.entries.filter(e => e.name === name)[n];
const slice = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [
    lines[r.start.line].slice(r.start.character),
    ...lines.slice(r.start.line + 1, r.end.line),
    lines[r.end.line].slice(0, r.end.character),
  ].join('\n');
};
const codes = (fs: Finding[]) => fs.map(f => `${f.range.start.line + 1}:${f.code}:${f.syscall ?? ''}`).sort();

test('rows: fields, values and exact ranges', () => {
  assert.equal(model.entries.length, 15);
  const read = entry('read');
  assert.equal(read.nr, 'TARGET_NR_read');
  assert.equal(read.string, 'read');
  assert.equal(read.print, null);
  assert.equal(read.result, null);
  assert.equal(read.line, 4);
  assert.deepEqual(read.ranges.row, range(4, 0, 4, 56));
  assert.deepEqual(read.ranges.nr, range(4, 2, 4, 16));
  assert.deepEqual(read.ranges.name, range(4, 12, 4, 16));
  assert.deepEqual(read.ranges.string, range(4, 18, 4, 24));
  assert.deepEqual(read.ranges.format, range(4, 27, 4, 42));
  assert.deepEqual(read.ranges.print, range(4, 44, 4, 48));
  assert.deepEqual(read.ranges.result, range(4, 50, 4, 54));
  assert.equal(slice(read.ranges.format), '"%s(%d,%#x,%d)"');
  assert.deepEqual(read.guard, {
    macro: 'TARGET_NR_read',
    name: 'read',
    range: range(3, 7, 3, 21),
    line: 3,
    macros: [{ macro: 'TARGET_NR_read', range: range(3, 7, 3, 21) }],
  });
  assert.equal(read.conditions.length, 1);
  assert.equal(read.conditions[0].directive, 'ifdef');
});

test('a row over two lines, NULL formats, print functions', () => {
  const waitid = entry('waitid');
  assert.equal(waitid.result, 'print_syscall_ret_waitid');
  assert.deepEqual(waitid.ranges.row, range(10, 0, 11, 46));
  assert.equal(slice(waitid.ranges.result), 'print_syscall_ret_waitid');
  const mkdir = entry('mkdir');
  assert.equal(mkdir.format, null);
  assert.equal(mkdir.print, 'print_mkdir');
  assert.equal(slice(mkdir.ranges.format), 'NULL');
});

test('formats: strings and QEMU format macros, conversions after the name', () => {
  const ft = entry('ftruncate');
  assert.equal(ft.format!.text, '"%s(%d," TARGET_ABI_FMT_ld ")"');
  assert.deepEqual(
    ft.format!.parts.map(p => (p.kind === 'string' ? p.value : p.name)),
    ['%s(%d,', 'TARGET_ABI_FMT_ld', ')'],
  );
  assert.deepEqual(
    formatConversions(ft.format!)!.map(c => c.spec),
    ['%s', '%d', '%ld'],
  );
  assert.deepEqual(
    formatConversions(entry('umask').format!)!.map(c => c.spec),
    ['%s', '%#o', '%d'],
    '%% consumes nothing',
  );
  assert.deepEqual(
    formatConversions(entry('exit').format!)!.map(c => c.spec),
    ['%s', '%d'],
  );
  const exitPart = entry('exit').format!.parts[0];
  assert.equal(exitPart.kind === 'string' ? exitPart.value : undefined, '%s(%d)\n');
  const unknown = parseStraceList('x', '{ TARGET_NR_x, "x", "%s(" MYSTERY ")", NULL, NULL },\n').entries[0];
  assert.equal(formatConversions(unknown.format!), undefined, 'an unknown macro: the count cannot be read');
});

test('#if/#elif branches: guards, conditions, rows that exclude each other', () => {
  const i386 = entry('get_thread_area', 0),
    m68k = entry('get_thread_area', 1);
  assert.equal(i386.guard!.macro, 'TARGET_NR_get_thread_area', 'the nearest branch requiring a TARGET_NR_ macro');
  assert.deepEqual(
    i386.conditions.map(c => c.text),
    ['#ifdef TARGET_NR_get_thread_area', '#if defined(TARGET_I386) && defined(TARGET_ABI32)'],
  );
  assert.deepEqual(
    i386.conditions[1].tests.map(t => t.macro),
    ['TARGET_I386', 'TARGET_ABI32'],
  );
  assert.equal(i386.conditions[1].conjunctive, true);
  assert.deepEqual(
    m68k.conditions[1].tests.map(t => [t.macro, t.range]),
    [['TARGET_M68K', range(29, 14, 29, 25)]],
  );
  assert.equal(m68k.conditions[1].branch, 1);
  assert.ok(mutuallyExclusive(i386, m68k));
  assert.ok(!mutuallyExclusive(entry('mkdir', 0), entry('mkdir', 1)));
  const nots = parseStraceList(
    'x',
    '#ifdef A\n{ TARGET_NR_x, "x", NULL, NULL, NULL },\n#endif\n#if !defined(A)\n{ TARGET_NR_x, "x", NULL, NULL, NULL },\n#endif\n',
  );
  assert.ok(mutuallyExclusive(nots.entries[0], nots.entries[1]), '#ifdef A and #if !defined(A)');
});

test('problems: unreadable rows and directives, each with its range', () => {
  assert.deepEqual(
    model.problems.map(p => [p.range, p.message]),
    [
      [range(50, 29, 50, 35), 'expected a format (strings and format macros) or NULL, found `%s(%d)`'],
      [
        range(53, 0, 53, 41),
        'expected `{ TARGET_NR_name, "name", format, print function, result function }`, found 4 fields',
      ],
    ],
  );
  const bad = parseStraceList(
    'x',
    [
      '#endif',
      'junk here',
      '#ifdef TARGET_NR_a',
      '{ TARGET_NR_a, "a", NULL, NULL, NULL',
      '#endif',
      '{ a, "a", NULL, NULL, NULL },',
      '{ TARGET_NR_b, "b, NULL, NULL, NULL },',
      '#if defined(TARGET_NR_c)',
      '{ TARGET_NR_c, "c", NULL, NULL, NULL }',
      '{ TARGET_NR_d, "d", NULL, NULL, NULL },',
      '',
    ].join('\n'),
  );
  assert.deepEqual(
    bad.problems.map(p => `${p.line}:${p.range.start.character}-${p.range.end.character}:${p.message}`),
    [
      '0:0-6:`#endif` without `#if`',
      '1:0-9:unexpected `junk here`: expected a row `{ TARGET_NR_name, ... },` or a preprocessor line',
      '3:0-36:row is not closed: expected `}` before the next row or directive',
      '5:2-3:expected a `TARGET_NR_` number, found `a`',
      '6:15-38:string is not closed on its line',
      '8:37-38:expected `,` after the row',
      '7:0-24:`#if defined(TARGET_NR_c)` is not closed (no `#endif`)',
    ],
  );
  assert.deepEqual(
    bad.entries.map(e => [e.name, e.guard?.macro]),
    [
      ['c', 'TARGET_NR_c'],
      ['d', 'TARGET_NR_c'],
    ],
  );
  const binary = parseStraceList('x', '\u0000\u0001\u0002');
  assert.equal(binary.binary, true);
  assert.equal(binary.entries.length, 0);
});

test('findings: every code, on its line', async () => {
  const found = straceFindings(LIST, model, await referenceOf(KERNEL));
  assert.deepEqual(codes(found), [
    '11:strace-format-args:waitid',
    '21:strace-format-args:umask',
    '31:strace-format-args:get_thread_area',
    '38:name-mismatch:getppid',
    '42:name-mismatch:setsid',
    '48:duplicate-entry:mkdir',
    '51:malformed-line:',
    '54:malformed-line:',
    '8:strace-format-args:write',
  ]);
  const by = (code: string, name: string) => found.find(f => f.code === code && f.syscall === name)!;

  const waitid = by('strace-format-args', 'waitid');
  assert.equal(waitid.severity, 'warning');
  assert.deepEqual(waitid.range, entry('waitid').ranges.format);
  assert.match(
    waitid.message,
    /^waitid: the format "%s\(%#x,%d,%p,%#x\)" prints 4 arguments after the name, but the kernel's waitid takes 5 parameters: sys_waitid\(int which, pid_t upid, struct siginfo __user \*infop, int options, struct rusage __user \*ru\)/,
  );
  assert.deepEqual(
    waitid.related.map(r => [path.relative(KERNEL, r.location.file), r.location.range.start.line]),
    [['kernel/exit.c', 2]],
    'the definition, not the declaration',
  );
  assert.deepEqual(
    waitid.fixes.map(f => [f.preferred, f.edits.map(e => e.newText)]),
    [[true, ['"%s(%#x,%d,%p,%#x,%p)"']]],
    'existing conversions kept, %p for the rusage pointer',
  );

  const write = by('strace-format-args', 'write');
  assert.deepEqual(
    write.fixes[0].edits.map(e => e.newText),
    ['"%s(%d,%p,%u)"'],
    '%#x for a pointer becomes %p, size_t is %u',
  );

  const umask = by('strace-format-args', 'umask');
  assert.match(
    umask.message,
    /prints 2 arguments after the name, but the kernel's umask takes 1 parameter: sys_umask\(int mask\); -strace prints arguments the call does not have/,
  );
  assert.deepEqual(umask.fixes, [], 'text besides conversions inside the parentheses: no rewrite');

  const gta = by('strace-format-args', 'get_thread_area');
  assert.equal(gta.range.start.line, 30, "the m68k branch, judged by m68k's prototype; the i386 branch is right");
  assert.deepEqual(
    gta.related.map(r => path.relative(KERNEL, r.location.file)),
    ['arch/m68k/kernel/sys_m68k.c'],
  );
  assert.deepEqual(
    gta.fixes[0].edits.map(e => e.newText),
    ['"%s()"'],
  );

  for (const name of ['read', 'exit', 'fork', 'ftruncate', 'getpid', 'nosuch']) {
    assert.equal(
      found.filter(f => f.syscall === name).length,
      0,
      `${name}: right, skipped (print function) or no prototype`,
    );
  }

  const guard = by('name-mismatch', 'getppid');
  assert.equal(guard.severity, 'warning');
  assert.deepEqual(guard.range, range(37, 7, 37, 23));
  assert.deepEqual(
    guard.fixes.map(f => [f.preferred, f.edits]),
    [[true, [{ range: range(37, 7, 37, 23), newText: 'TARGET_NR_getppid' }]]],
  );
  const str = by('name-mismatch', 'setsid');
  assert.deepEqual(str.range, range(41, 20, 41, 27));
  assert.match(str.message, /prints the name "setsd"/);
  assert.deepEqual(str.fixes[0].edits[0].newText, '"setsid"');

  const dup = by('duplicate-entry', 'mkdir');
  assert.equal(dup.severity, 'error');
  assert.deepEqual(dup.range, range(47, 2, 47, 17));
  assert.match(dup.message, /the first is on line 45/);
  assert.deepEqual(dup.related[0].location.range, entry('mkdir', 0).ranges.row);
  assert.deepEqual(
    dup.fixes.map(f => [f.preferred, f.edits]),
    [[true, [{ range: range(46, 0, 49, 0), newText: '' }]]],
    'the row and its #ifdef/#endif go',
  );
  assert.ok(
    !found.some(f => f.code === 'duplicate-entry' && f.syscall === 'get_thread_area'),
    '#if/#elif rows are not duplicates',
  );
});

test('preferred fixes applied: the findings they answer are gone', async () => {
  const cat = await referenceOf(KERNEL);
  const before = straceFindings(LIST, model, cat);
  const edits = before.flatMap(f => f.fixes.filter(x => x.preferred).flatMap(x => x.edits));
  const fixed = applyEdits(text, edits);
  const after = straceFindings(LIST, parseStraceList(LIST, fixed), cat);
  assert.deepEqual(
    codes(after)
      .map(c => c.replace(/^\d+:/, ''))
      .sort(),
    ['malformed-line:', 'malformed-line:', 'strace-format-args:umask'],
  );
});

test('without a catalogue: no format findings, the others stay', () => {
  const found = straceFindings(LIST, model, undefined);
  assert.equal(found.filter(f => f.code === 'strace-format-args').length, 0);
  assert.equal(found.length, 5);
});
