// syscall.c's 64-bit arguments on an ABI that aligns register pairs (test/fixtures/qemu-rows,
// MIPS o32): the cases that handle the padding word stay silent, the others are
// unaligned-pair with each ABI's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Finding } from '../../server/src/core/types';
import { caseLabels } from '../../server/src/families/qemu/dispatch/labels';
import {
  activeLines,
  alignedPairs,
  pairMisreads,
  PairMisread,
  pairTargets,
} from '../../server/src/families/qemu/dispatch/pairs';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { preprocessorLines } from '../../server/src/syntax/c/preprocessor';
import { newParser } from '../../server/src/syntax/c/parser';
import { listDir } from '../../server/src/io/files';
import { analyze, cSyntaxOf, parseC } from '../../server/src/analysis/analyze';
import { readConfig } from '../../server/src/core/config';
import { analyzeText, catalogueOf } from '../helpers/engine';
import { KERNEL, QEMU_ROWS } from '../helpers/paths';

const FILE = path.join(QEMU_ROWS, 'linux-user/syscall.c');
const TEXT = fs.readFileSync(FILE, 'utf8');
const reader = {
  read: (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
  list: listDir,
};
const pairs = (fs: Finding[]) => fs.filter(f => f.code === 'unaligned-pair');

async function readings(text = TEXT) {
  const parser = await newParser();
  const tree = parser.parse(text)!;
  const labels = caseLabels(text, tree);
  tree.delete();
  parser.delete();
  const ref = linuxReference(await catalogueOf(KERNEL));
  const checked: PairMisread[] = [];
  const bad = pairMisreads(text, labels, pairTargets(QEMU_ROWS, reader, text), ref, checked);
  return { checked, bad };
}

test('which cases read 64-bit arguments on o32, and from which words', async () => {
  const { checked, bad } = await readings();
  const row = (m: PairMisread) =>
    `${m.target} ${m.name} ${m.uses.map(u => `${u.param}:${u.want.join('/')}<-${u.read?.join('/') ?? '-'}`).join(' ')}`;
  assert.deepEqual(checked.filter(m => m.target === 'mips').map(row), [
    // regpairs_aligned() then target_offset64(arg4, arg5): the shifted pair.
    'mips pread64 pos:5/6<-5/6',
    'mips pwrite64 pos:5/6<-4/5',
    // Through the helper, which shifts.
    'mips truncate64 length:3/4<-3/4',
    // Through the helper, which does not.
    'mips ftruncate64 length:3/4<-2/3',
    // The #if for 32-bit ABIs reads the unshifted pair.
    'mips readahead offset:3/4<-2/3',
    // The TARGET_MIPS branch reads the shifted pairs.
    'mips sync_file_range offset:3/4<-3/4 nbytes:5/6<-5/6',
    // No padding: the pairs start on even words already.
    'mips fallocate offset:3/4<-3/4 len:5/6<-5/6',
  ]);
  assert.deepEqual([...new Set(bad.map(m => m.name))], ['pwrite64', 'ftruncate64', 'readahead']);
});

test('unaligned-pair: once per syscall at its case, with the prototype and the ABI words', async () => {
  const a = await analyzeText(FILE, TEXT, await catalogueOf(KERNEL));
  const found = pairs(a.findings);
  assert.deepEqual(
    found.map(f => `${f.range.start.line + 1}:${f.range.start.character} ${f.syscall} ${f.severity}`),
    ['57:9 pwrite64 error', '71:9 ftruncate64 error', '75:9 readahead error'],
  );
  const rd = found.find(f => f.syscall === 'readahead')!;
  assert.equal(
    rd.message,
    "case TARGET_NR_readahead: on o32 this case reads offset from arg2/arg3 where the kernel passes it in arg3/arg4; on o32 a 64-bit argument starts on an even word: test regpairs_aligned(cpu_env, num) and move the pair down a word (as pread64's case does), or read the shifted pair under an #if for those targets",
  );
  assert.equal(rd.related.length, 1);
  assert.equal(
    rd.related[0].message,
    'o32 (mips, mipsel): sys_readahead(int fd, loff_t offset, size_t count): arg1=a0: fd, arg2=a1: padding, arg3=a2: offset (1st half), arg4=a3: offset (2nd half), arg5=sp+16: count',
  );
  assert.match(rd.related[0].location.file, /include[\\/]linux[\\/]syscalls\.h$/);
  assert.equal(rd.related[0].location.range.start.line + 1, 18);
});

test('a case fixed the way pread64 is goes silent', async () => {
  const fixed = TEXT.replace(
    '        /* Not handled: the pair is read from arg4/arg5. */\n',
    '        if (regpairs_aligned(cpu_env, num)) {\n            arg4 = arg5;\n            arg5 = arg6;\n        }\n',
  );
  assert.notEqual(fixed, TEXT);
  const a = await analyzeText(FILE, fixed, await catalogueOf(KERNEL));
  assert.deepEqual(
    pairs(a.findings).map(f => f.syscall),
    ['ftruncate64', 'readahead'],
  );
});

test("each target's preprocessor: its .mak macros, TARGET_ABI_BITS, its header's names, host CONFIG_ present", () => {
  const [mips] = pairTargets(QEMU_ROWS, reader, TEXT);
  assert.equal(mips.target, 'mips');
  assert.equal(mips.abi.id, 'o32');
  for (const m of ['TARGET_MIPS', 'TARGET_ABI_MIPSO32', 'TARGET_BIG_ENDIAN', 'TARGET_NR_readahead'])
    assert.ok(mips.defined.has(m), m);
  assert.ok(!mips.defined.has('TARGET_ABI_MIPSN32'));
  const lines = TEXT.split('\n');
  const { active: on, unsure } = activeLines(preprocessorLines(lines), mips);
  assert.ok(!unsure.some(u => u), 'every test in the fixture is decided');
  const at = (s: string) => lines.findIndex(l => l.includes(s));
  assert.equal(on[at('target_offset64(arg3, arg4),')], true, 'the TARGET_MIPS branch');
  assert.equal(on[at('sync_file_range(arg1, target_offset64(arg2, arg3)')], false, 'the other 32-bit ABIs');
  assert.equal(on[at('readahead(arg1, arg2, arg3)')], false, 'the 64-bit #else');
  assert.equal(on[at('case TARGET_NR_fallocate:')], true, 'CONFIG_FALLOCATE taken as present');
});

test('a case whose body turns on a macro no target config decides (a host macro) is not judged', async () => {
  const host = TEXT.replace(
    '        /* Not handled: the pair is read from arg4/arg5. */\n',
    '#if defined(__mips__)\n        arg4 = arg5;\n        arg5 = arg6;\n#endif\n',
  );
  assert.notEqual(host, TEXT);
  const { bad, checked } = await readings(host);
  assert.ok(!checked.some(m => m.name === 'pwrite64'), 'pwrite64 is not read');
  assert.deepEqual([...new Set(bad.map(m => m.name))], ['ftruncate64', 'readahead']);
});

test('alignedPairs: the 64-bit parameters that follow a padding word', async () => {
  const { checked } = await readings();
  const pw = checked.find(m => m.name === 'pwrite64')!;
  assert.deepEqual(alignedPairs(pw.side), [{ param: 3, word: 4 }]);
  const fa = checked.find(m => m.name === 'fallocate')!;
  assert.deepEqual(alignedPairs(fa.side), []);
});

test('no kernel: the pair check says it is not done', async () => {
  const parser = await newParser();
  let parsed: ReturnType<typeof parseC> | undefined;
  const a = analyze(
    FILE,
    TEXT,
    { config: readConfig(undefined), parser, ...reader },
    () => (parsed = parseC(parser, TEXT, undefined, cSyntaxOf(FILE, TEXT)?.wrap)),
  );
  parsed?.tree.delete();
  parser.delete();
  assert.deepEqual(pairs(a.findings), []);
  assert.ok(a.findings.some(f => f.code === 'not-checked' && /64-bit arguments are not compared/.test(f.message)));
});
