// strace's syscallent tables: the preprocessor and row parser, and every check on a small
// fixture in the real format (test/fixtures/strace-src: tables and a kernel tree).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits } from '../../server/src/core/edits';
import { buildTable, evalCondition, parseRow } from '../../server/src/families/strace/syscallent/model';
import { rowLike } from '../../server/src/families/strace/syscallent/rules/missing';
import { syscallentFamily } from '../../server/src/families/strace/syscallent/family';
import { readConfig } from '../../server/src/core/config';
import { range } from '../../server/src/core/types';
import { referenceOf } from '../helpers/engine';
import { STRACE_SRC } from '../helpers/paths';

const LINUX = path.join(STRACE_SRC, 'src', 'linux');
const X86 = path.join(LINUX, 'x86_64', 'syscallent.h');
const O32 = path.join(LINUX, 'mips', 'syscallent-o32.h');
const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);

async function check(file: string, text = read(file)!) {
  const ws = {
    kernel: await referenceOf(path.join(STRACE_SRC, 'kernel')),
    config: readConfig(undefined),
    read,
    list: () => [],
  };
  return syscallentFamily.analyze({ file, text }, ws as never);
}
const summary = (fs: { range: { start: { line: number } }; code: string; syscall?: string; severity: string }[]) =>
  fs.map(f => `${f.range.start.line + 1} ${f.code} ${f.severity} ${f.syscall ?? ''}`).sort();

test('rows: index forms, fields and exact ranges', () => {
  const m = new Map([['BASE_NR', '4000']]);
  const raw = '[BASE_NR + 149] = { 4,\t0,\t\tSEN(sysmips),\t\t\t"sysmips"\t\t},';
  const r = parseRow('f', 7, raw, raw, m);
  assert.ok(r && !('message' in r));
  assert.equal(r.index, 4149);
  assert.equal(r.nargs, 4);
  assert.equal(r.name, 'sysmips');
  assert.deepEqual(r.ranges.nargs, range(7, 20, 7, 21));
  assert.equal(raw.slice(r.ranges.name!.start.character, r.ranges.name!.end.character), 'sysmips');
  const e = parseRow('f', 0, '[22 ... 294] = { },', '[22 ... 294] = { },', m);
  assert.ok(e && !('message' in e) && e.index === 22 && e.last === 294 && e.nargs === undefined);
  const x = parseRow(
    'f',
    0,
    '[ 13] = { 4, TS, SEN(printargs), "rt_sigaction#64" },',
    '[ 13] = { 4, TS, SEN(printargs), "rt_sigaction#64" },',
    m,
  );
  assert.ok(x && !('message' in x) && x.hash64 && x.name === 'rt_sigaction');
  const bad = parseRow('f', 0, '[ 1] = { x, 0, SEN(a), "a" },', '[ 1] = { x, 0, SEN(a), "a" },', m);
  assert.ok(bad && 'message' in bad);
});

test('conditions and includes as strace builds them', () => {
  const m = new Map([
    ['LINUX_MIPSO32', '1'],
    ['N', '3'],
  ]);
  assert.equal(evalCondition('defined LINUX_MIPSO32', m), true);
  assert.equal(evalCondition('defined(LINUX_MIPSN32) || N > 4', m), false);
  assert.equal(evalCondition('!defined X && N == 3', m), true);
  const o32 = buildTable(path.join(LINUX, 'mips', 'syscallent.h'), {
    linuxDir: LINUX,
    arch: 'mips',
    defines: { LINUX_MIPSO32: '1' },
    read,
  });
  assert.deepEqual(
    o32.rows.map(r => r.index),
    [4000, 4003, 4149, 4200, 4330],
  );
  assert.deepEqual(o32.problems, []);
  const n64 = buildTable(path.join(LINUX, 'mips', 'syscallent.h'), {
    linuxDir: LINUX,
    arch: 'mips',
    defines: { LINUX_MIPSN64: '1' },
    read,
  });
  assert.deepEqual(n64.rows, [], 'the o32 rows are not n64 rows; the generated stubs are not needed');
  assert.deepEqual(n64.problems, []);
  const x86 = buildTable(X86, { linuxDir: LINUX, arch: 'x86_64', defines: {}, read });
  assert.equal(x86.rows.at(-1)!.name, 'pidfd_send_signal', 'syscallent-common.h found in linux/generic');
  assert.equal(x86.rows.at(-1)!.index, 424);
});

test('x86_64: every check, and strace conventions are not findings', async () => {
  const r = await check(X86);
  assert.deepEqual(summary(r.findings), [
    '12 duplicate-entry warning writev',
    '14 nr-mismatch error pwritev',
    '8 missing-entry warning stat',
    '9 arg-count-mismatch error pread64',
  ]);
  // Fixes: in the table's style; applying them all leaves only the nr-mismatch's choice.
  const text = read(X86)!;
  const add = r.findings.find(f => f.code === 'missing-entry')!.fixes[0].edits[0].newText;
  assert.equal(add, '\n[  4] = { 2,\t0,\t\tSEN(printargs),\t\t\t"stat"\t\t},');
  const edits = r.findings.flatMap(f => f.fixes.filter(x => x.preferred).flatMap(x => x.edits));
  const fixed = applyEdits(text, edits);
  const again = await check(X86, fixed);
  assert.deepEqual(summary(again.findings), ['13 duplicate-entry warning writev', '15 nr-mismatch error pwritev']);
});

test('o32: BASE_NR rows, MA, sysmips, missing rows in BASE_NR style; hover and definition', async () => {
  const r = await check(O32);
  assert.deepEqual(summary(r.findings.filter(f => f.code !== 'not-checked')), [
    '7 arg-count-mismatch warning sysmips',
    '9 missing-entry warning pidfd_send_signal',
  ]);
  const fix = r.findings.find(f => f.code === 'missing-entry')!.fixes[0].edits[0].newText;
  assert.equal(fix, '\n[BASE_NR + 424] = { 4,\t0,\t\tSEN(printargs),\t\t\t"pidfd_send_signal"\t\t},');
  const h = syscallentFamily.hover!(r.model!, { line: 6, character: 3 }, {} as never)!;
  assert.match(h.markdown, /\*\*sysmips\*\* — o32 syscall 4149/);
  assert.match(h.markdown, /\*\*3 argument words on o32\*\*; this row says `4`/);
  const defs = syscallentFamily.definition!(r.model!, { line: 6, character: 3 }, {} as never);
  assert.deepEqual(
    defs.map(d => `${path.relative(STRACE_SRC, d.file)}:${d.range.start.line + 1}`),
    ['kernel/arch/mips/kernel/syscalls/syscall_o32.tbl:4', 'kernel/arch/mips/kernel/syscall.c:2'],
  );
});

test('rowLike keeps the index form and padding', () => {
  const like = { text: '[ 17] = { 3,\tTD,\t\tSEN(pread),\t\t\t"pread64"\t\t},' } as never;
  assert.equal(rowLike(like, 5, 0, '2', 'fstat'), '[  5] = { 2,\t0,\t\tSEN(printargs),\t\t\t"fstat"\t\t},');
});

test('bad input: unreadable rows, stray #endif, unknown arches, no kernel', async () => {
  const text = '[ 1] = { 1, 0, SEN(exit) },\n#endif\n[ 2 ... 1] = { },\n#include "nowhere.h"\n';
  const r = await check(X86, text);
  assert.equal(r.findings.filter(f => f.code === 'malformed-line').length, 4);
  const odd = syscallentFamily.analyze({ file: path.join(LINUX, 'avr32', 'syscallent.h'), text: '[0] = { },' }, {
    config: readConfig(undefined),
    read,
    list: () => [],
  } as never);
  assert.deepEqual(
    odd.findings.map(f => f.code),
    ['not-checked'],
  );
  const none = syscallentFamily.analyze({ file: X86, text: read(X86)! }, {
    config: readConfig(undefined),
    read,
    list: () => [],
  } as never);
  assert.deepEqual(
    none.findings.map(f => f.code),
    ['not-checked'],
  );
});

test('locate: the known paths from a strace checkout', () => {
  const io = { read, list: () => [] };
  const found = syscallentFamily.locate!(STRACE_SRC, io as never).map(f => path.relative(LINUX, f));
  assert.deepEqual(found.sort(), [
    'generic/syscallent-common.h',
    'mips/syscallent-o32.h',
    'mips/syscallent.h',
    'x86_64/syscallent.h',
  ]);
});
