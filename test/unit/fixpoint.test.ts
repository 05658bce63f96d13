// The fix-point: on every corpus file and on seeded variants of them, applying every
// preferred quick-fix removes the findings it addressed, and applying again changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { Finding } from '../../server/src/core/types';
import { analyzeText, catalogueOf } from '../helpers/engine';
import { FIXTURES, KERNEL, QEMU, QEMU_OLD } from '../helpers/paths';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Line-level edits a person makes to a table: drop, duplicate, swap, change a digit, cut. */
function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const pick = () => Math.floor(r() * lines.length);
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const i = pick(),
      op = Math.floor(r() * 5);
    if (op === 0) lines.splice(i, 1);
    else if (op === 1) lines.splice(i, 0, lines[i] ?? '');
    else if (op === 2) {
      const j = pick();
      [lines[i], lines[j]] = [lines[j], lines[i]];
    } else if (op === 3)
      lines[i] = (lines[i] ?? '').replace(/\d/, d => String((Number(d) + 1 + Math.floor(r() * 8)) % 10));
    else lines.splice(i + 1);
  }
  return lines.join('\n');
}

const CORPUS = [
  path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc'),
  path.join(QEMU_OLD, 'linux-user/mips/cpu_loop.c'),
  path.join(QEMU, 'linux-user/mips/syscall_o32.tbl'),
  path.join(FIXTURES, 'strace/strace.list').replace('/strace/', '/strace/'),
];
const key = (f: Finding) => `${f.code}|${f.syscall ?? ''}|${f.message}`;

test('fix-point on the corpus and 150 seeded variants of each file', async () => {
  const cat = await catalogueOf(KERNEL);
  const r = rng(20261122);
  let variants = 0,
    fixed = 0;
  for (const file of CORPUS) {
    const original = fs.readFileSync(file, 'utf8');
    // The strace fixture is checked where its checks look for it: as linux-user/strace.list.
    const as = file.endsWith('strace.list') ? path.join(QEMU, 'linux-user/strace.list') : file;
    for (let v = 0; v <= 150; v++) {
      const text = v === 0 ? original : mutate(original, r);
      const before = await analyzeText(as, text, cat);
      const edits = fixAllEdits(before.findings);
      if (!edits.length) continue;
      variants++;
      const once = applyEdits(text, edits);
      const after = await analyzeText(as, once, cat);
      const addressed = new Set(before.findings.filter(f => f.fixes.some(x => x.preferred)).map(key));
      const left = after.findings.filter(f => addressed.has(key(f)) && f.fixes.some(x => x.preferred));
      assert.deepEqual(left.map(key), [], `${path.basename(file)} variant ${v}: fixed findings remain`);
      const twice = applyEdits(once, fixAllEdits(after.findings));
      assert.equal(twice, once, `${path.basename(file)} variant ${v}: a second fix changed the text`);
      fixed += addressed.size;
    }
  }
  assert.ok(variants > 50, `only ${variants} variants had fixes`);
  console.log(`# fix-point: ${variants} texts with fixes, ${fixed} findings fixed`);
});
