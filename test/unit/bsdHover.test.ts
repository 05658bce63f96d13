// Hover and go to definition on FreeBSD syscall names in bsd-user's C files: FreeBSD's card
// (prototype, number, the word layout per bsd-user target), and the syscalls.master entry
// when a FreeBSD tree is configured; linux-user files keep the Linux card.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyze, cSyntaxOf, parseC } from '../../server/src/analysis/analyze';
import { definitions } from '../../server/src/analysis/definition';
import { hover } from '../../server/src/analysis/hover';
import { readConfig } from '../../server/src/core/config';
import type { Workspace } from '../../server/src/families/family';
import { listDir } from '../../server/src/io/files';
import type { FreeBsdReference } from '../../server/src/reference/freebsd/reference';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { newParser } from '../../server/src/syntax/c/parser';
import { bundledFreeBsd, catalogueOf, fixtureFreeBsd } from '../helpers/engine';
import { FREEBSD_FIXTURE, KERNEL, QEMU, QEMU_BSD } from '../helpers/paths';

const BSD = path.join(QEMU_BSD, 'bsd-user', 'freebsd');
const MASTER = path.join(FREEBSD_FIXTURE, 'sys', 'kern', 'syscalls.master');

/** Hover and definitions at (line, the first character of `word` on it) of a file. */
async function at(file: string, line: number, word: string, freebsd: FreeBsdReference) {
  const text = fs.readFileSync(file, 'utf8');
  const character = text.split('\n')[line].indexOf(word) + 1;
  assert.ok(character > 0, `${word} on line ${line + 1}`);
  const parser = await newParser();
  let parsed: ReturnType<typeof parseC> | undefined;
  const ws: Workspace = {
    kernel: linuxReference(await catalogueOf(KERNEL)),
    freebsd,
    config: readConfig(undefined),
    list: listDir,
    parser,
    read: f => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
  };
  try {
    const a = analyze(file, text, ws, () => (parsed = parseC(parser, text, undefined, cSyntaxOf(file, text)?.wrap)));
    const pos = { line, character };
    return { hover: hover(a, text, pos, ws)?.markdown ?? '', defs: definitions(a, pos, ws) };
  } finally {
    parsed?.tree.delete();
    parser.delete();
  }
}

test('hover on FreeBSD names in os-syscall.c: the case label and the do_bsd_ call', async () => {
  const file = path.join(BSD, 'os-syscall.c');
  for (const word of ['TARGET_FREEBSD_NR_pread', 'do_bsd_pread']) {
    const line = word.startsWith('do_') ? 17 : 16;
    const { hover: md } = await at(file, line, word, fixtureFreeBsd());
    assert.match(md, /\*\*pread\*\* — FreeBSD syscall 11/, word);
    assert.match(md, /ssize_t pread\(/);
    // The fixture tree's bsd-user targets, each with its words (off_t: two on arm and i386).
    for (const arch of ['arm', 'i386', 'x86_64']) assert.match(md, new RegExp(`\\| ${arch} \\| \\d+ \\|`));
  }
});

test('go to definition from an os-syscall.c label and a strace.list row: the syscalls.master entry, with a tree', async () => {
  const label = await at(path.join(BSD, 'os-syscall.c'), 16, 'TARGET_FREEBSD_NR_pread', fixtureFreeBsd());
  assert.deepEqual(label.defs, [
    { file: MASTER, range: { start: { line: 50, character: 0 }, end: { line: 50, character: 0 } } },
  ]);
  const strace = path.join(BSD, 'strace.list');
  const row = fs
    .readFileSync(strace, 'utf8')
    .split('\n')
    .findIndex(l => l.includes('TARGET_FREEBSD_NR_exit,'));
  const r = await at(strace, row, 'TARGET_FREEBSD_NR_exit', fixtureFreeBsd());
  assert.equal(r.defs.length, 1);
  assert.equal(r.defs[0].file, MASTER);
  assert.match(fs.readFileSync(MASTER, 'utf8').split('\n')[r.defs[0].range.start.line], /^1\s+AUE_EXIT/);
  assert.match(r.hover, /\*\*exit\*\*/);
  // The bundled catalogue has no file to open: nothing, as for Linux.
  assert.deepEqual(
    (await at(path.join(BSD, 'os-syscall.c'), 16, 'TARGET_FREEBSD_NR_pread', bundledFreeBsd())).defs,
    [],
  );
});

test('linux-user files keep the Linux card', async () => {
  const file = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');
  const text = fs.readFileSync(file, 'utf8');
  const line = text.split('\n').findIndex(l => /sync_file_range/.test(l));
  const { hover: md } = await at(file, line, 'sync_file_range', fixtureFreeBsd());
  assert.match(md, /sync_file_range/);
  assert.doesNotMatch(md, /FreeBSD/);
});
