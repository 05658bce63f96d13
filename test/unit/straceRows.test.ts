// strace.list against the tree it is compiled in (test/fixtures/qemu-rows): rows missing for
// syscalls a target defines and syscall.c dispatches (not-traced, with a fix that inserts
// the row in the file's order and style), and rows no target compiles (dead-row).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { Finding } from '../../server/src/core/types';
import { parseStraceList } from '../../server/src/families/qemu/straceList/model';
import { insertionLine, newRowText, orderKey } from '../../server/src/families/qemu/straceList/rules/rows';
import { modelOf } from '../../server/src/analysis/analyze';
import { straceListFamily } from '../../server/src/families/qemu/straceList/family';
import { analyzeText, catalogueOf } from '../helpers/engine';
import { KERNEL, QEMU_ROWS, tmpDir } from '../helpers/paths';

const LIST = path.join(QEMU_ROWS, 'linux-user/strace.list');
const TEXT = fs.readFileSync(LIST, 'utf8');
const ours = (fs: Finding[]) => fs.filter(f => f.code === 'not-traced' || f.code === 'dead-row');
const brief = (fs: Finding[]) => ours(fs).map(f => `${f.range.start.line + 1} ${f.code} ${f.severity} ${f.syscall}`);

async function check(text: string, file = LIST) {
  return (await analyzeText(file, text, await catalogueOf(KERNEL))).findings;
}

test('not-traced and dead-row on the fixture: each where the row would go or is, with its evidence', async () => {
  const found = await check(TEXT);
  assert.deepEqual(brief(found), [
    '9 dead-row information futex_waitv',
    '12 dead-row information osf_gone',
    '22 dead-row warning sync_file_rang',
    '6 not-traced information fallocate',
    '18 not-traced information pwrite64',
    '21 not-traced information readahead',
    '24 not-traced information truncate64',
  ]);
  const nt = ours(found).find(f => f.syscall === 'pwrite64')!;
  assert.match(nt.message, /pwrite64 has no row: syscall\.c dispatches it \(line 57\) for mips, mipsel/);
  assert.match(nt.message, /"Unknown syscall N"/);
  // Evidence: syscall.c's case, and the .tbl line both targets read.
  assert.deepEqual(
    nt.related.map(r => [path.relative(QEMU_ROWS, r.location.file), r.location.range.start.line + 1, r.message]),
    [
      ['linux-user/syscall.c', 57, 'case TARGET_NR_pwrite64: in syscall.c'],
      ['linux-user/mips/syscall_o32.tbl', 13, 'TARGET_NR_pwrite64 for mips, mipsel (syscall_o32.tbl)'],
    ],
  );
  assert.equal(
    fs.readFileSync(path.join(QEMU_ROWS, 'linux-user/syscall.c'), 'utf8').split('\n')[56].trim(),
    'case TARGET_NR_pwrite64:',
  );
  // The insertion: guard, row and #endif in the file's spacing, before the row that follows in order.
  assert.deepEqual(nt.fixes[0].edits, [
    {
      range: { start: { line: 17, character: 0 }, end: { line: 17, character: 0 } },
      newText: '#ifdef TARGET_NR_pwrite64\n{ TARGET_NR_pwrite64, "pwrite64" , NULL, NULL, NULL },\n#endif\n',
      order: nt.fixes[0].edits[0].order,
    },
  ]);
  // A misspelt row is renamed (guard, number, string), and its syscall gets no second row.
  const typo = ours(found).find(f => f.syscall === 'sync_file_rang')!;
  assert.match(typo.message, /spelt like sync_file_range, which syscall\.c dispatches and no row prints/);
  assert.equal(
    applyEdits(TEXT, typo.fixes[0].edits).split('\n').slice(20, 23).join('\n'),
    '#ifdef TARGET_NR_sync_file_range\n{ TARGET_NR_sync_file_range, "sync_file_range" , NULL, NULL, NULL },\n#endif',
  );
  assert.ok(!ours(found).some(f => f.code === 'not-traced' && f.syscall === 'sync_file_range'));
  // A syscall the kernel has nowhere is deleted by fix-all; one it has on another ABI is only offered.
  const gone = ours(found).find(f => f.syscall === 'osf_gone')!;
  assert.match(gone.message, /the kernel has no syscall osf_gone either/);
  assert.equal(gone.fixes[0].preferred, true);
  const waits = ours(found).find(f => f.syscall === 'futex_waitv')!;
  assert.match(waits.message, /the kernel has futex_waitv on an ABI no QEMU target of this tree uses/);
  assert.equal(waits.fixes[0].preferred, false);
});

test('the code lens above the first row counts rows, dead rows and syscalls without a row', async () => {
  const a = await analyzeText(LIST, TEXT, await catalogueOf(KERNEL));
  const lenses = straceListFamily.lenses!(modelOf(a, straceListFamily)!, a.findings);
  assert.deepEqual(
    lenses.map(l => [l.line, l.title]),
    [[6, '7 rows · 0 misprinting · 4 never used · 4 syscalls without a row']],
  );
});

test('fix-all: rows inserted in order, dead rows gone or renamed; a second fix-all changes nothing', async () => {
  const once = applyEdits(TEXT, fixAllEdits(await check(TEXT)));
  const names = parseStraceList(LIST, once).entries.map(e => e.name);
  assert.deepEqual(names, [
    'fallocate',
    'ftruncate64',
    'futex_waitv',
    'pread64',
    'pwrite64',
    'read',
    'readahead',
    'sync_file_range',
    'truncate64',
  ]);
  // Every row under its own #ifdef, nothing left between blocks.
  assert.match(once, /^(\/\*[^]*?\*\/\n)((#ifdef TARGET_NR_(\w+)\n\{ TARGET_NR_\4, .*\n#endif\n)+)$/);
  const after = await check(once);
  assert.deepEqual(brief(after), ['12 dead-row information futex_waitv']);
  assert.equal(applyEdits(once, fixAllEdits(after)), once);
});

test('the new row follows the file: its spacing, guard form and line ends', async () => {
  const crlf = [
    '# ifdef TARGET_NR_ftruncate64',
    '{TARGET_NR_ftruncate64, "ftruncate64", NULL, NULL, NULL},',
    '# endif',
    '# ifdef TARGET_NR_read',
    '{TARGET_NR_read, "read", NULL, NULL, NULL},',
    '# endif',
    '',
  ].join('\r\n');
  const model = parseStraceList(LIST, crlf);
  assert.equal(
    newRowText(model, 'pread64'),
    '# ifdef TARGET_NR_pread64\r\n{TARGET_NR_pread64, "pread64", NULL, NULL, NULL},\r\n# endif\r\n',
  );
  const found = await check(crlf);
  const once = applyEdits(crlf, fixAllEdits(found));
  assert.ok(
    once.includes(
      '# endif\r\n# ifdef TARGET_NR_pread64\r\n{TARGET_NR_pread64, "pread64", NULL, NULL, NULL},\r\n# endif\r\n# ifdef TARGET_NR_pwrite64\r\n',
    ),
  );
  assert.ok(!/[^\r]\n/.test(once), 'no bare newline');
});

test('order: case and underscores do not count, and a row out of place does not pull a new row after it', () => {
  assert.ok(orderKey('_exit') < orderKey('exit_group'));
  assert.ok(orderKey('get_thread_area') < orderKey('gettid'));
  const text = ['accept', 'bind', 'zzz_late', 'close', 'dup']
    .map(n => `#ifdef TARGET_NR_${n}\n{ TARGET_NR_${n}, "${n}" , NULL, NULL, NULL },\n#endif\n`)
    .join('');
  const model = parseStraceList(LIST, text);
  // "chdir" goes before close (line 9), not after zzz_late; "exit" after dup, at the end.
  assert.equal(insertionLine(model, 'chdir'), 9);
  assert.equal(insertionLine(model, 'exit'), 15);
  assert.equal(insertionLine(model, 'aaa'), 0);
});

test('a dead row with no #ifdef of its own breaks every build: an error', async () => {
  const found = await check(TEXT + '{ TARGET_NR_osf_other, "osf_other" , NULL, NULL, NULL },\n');
  const f = ours(found).find(x => x.syscall === 'osf_other')!;
  assert.equal(f.severity, 'error');
  assert.match(f.message, /no target defines TARGET_NR_osf_other: a build compiling it fails/);
  assert.deepEqual(f.fixes, [], 'no block of its own to delete');
});

test('strace.list outside a QEMU tree: the tree checks are not-checked, saying what is missing', async () => {
  const lone = path.join(tmpDir('lone'), 'linux-user', 'strace.list');
  fs.mkdirSync(path.dirname(lone), { recursive: true });
  fs.writeFileSync(lone, TEXT);
  const found = await check(TEXT, lone);
  assert.deepEqual(ours(found), []);
  const nc = found.filter(f => f.code === 'not-checked');
  assert.equal(nc.length, 1);
  assert.match(
    nc[0].message,
    /rows missing .* are not looked for: no configs\/targets\/\*-linux-user\.mak is readable beside it/,
  );
});

test('a table that cannot be read leaves dead rows unjudged (its names may be there)', async () => {
  const tbl = path.join(QEMU_ROWS, 'linux-user/mips/syscall_o32.tbl');
  const a = await analyzeText(LIST, TEXT, await catalogueOf(KERNEL), {});
  assert.ok(ours(a.findings).some(f => f.code === 'dead-row'));
  // Without the .tbl the targets read, no name is known defined: nothing is called dead.
  const copy = tmpDir('notbl');
  fs.cpSync(QEMU_ROWS, copy, { recursive: true });
  fs.rmSync(path.join(copy, path.relative(QEMU_ROWS, tbl)));
  const b = await check(TEXT, path.join(copy, 'linux-user/strace.list'));
  assert.deepEqual(
    ours(b).filter(f => f.code === 'dead-row'),
    [],
  );
});
