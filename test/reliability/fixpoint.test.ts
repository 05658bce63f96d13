// Fix-all reaches a fix-point: on each corpus file and on seeded fuzzed variants of it, apply
// every preferred quick-fix at once (fixAllEdits + applyEdits), check again: none of the
// fixed findings remain (same code, same syscall), and a second fix-all changes nothing.
// In-process engine only, so hundreds of variants take a few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Analysis } from '../../server/src/analysis/analyze';
import { Catalogue } from '../../server/src/reference/linux/catalogue';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { Finding } from '../../server/src/core/types';
import { analyzeText, catalogueOf } from '../helpers/engine';
import { KERNEL } from '../helpers/paths';
import { applyChange, BASE_SEED, caseSeed, CORPUS, corpusText, STRUCTURAL, mutate, Rng, show } from './fuzzlib';

const VARIANTS = Number(process.env.SYSTAB_FIXPOINT_VARIANTS ?? 150);
const BUDGET_MS = Number(process.env.SYSTAB_FIXPOINT_MS ?? 12_000);

/**
 * A finding's identity across edits: code, syscall and message. (Not the range: fixes move
 * lines. A finding that a fix changed but did not remove has a new message, and then a
 * second fix-all that changes the text again is what catches it.)
 */
const identity = (f: Finding) => `${f.code} ${f.syscall ?? ''}: ${f.message}`;

/** The findings whose preferred fix fix-all takes (fix-all leaves out contested fixes). */
function fixedBy(findings: Finding[]): Finding[] {
  const taken = new Set(fixAllEdits(findings));
  return findings.filter(f => f.fixes.some(x => x.preferred && x.edits.length && x.edits.every(e => taken.has(e))));
}

/** The lines of `b` that are not in `a` and the other way round, briefly. */
function lineDiff(a: string, b: string): string {
  const la = a.split('\n'),
    lb = b.split('\n');
  const sa = new Set(la),
    sb = new Set(lb);
  const out = [...la.filter(l => !sb.has(l)).map(l => `-${l}`), ...lb.filter(l => !sa.has(l)).map(l => `+${l}`)];
  return out.length ? show(out.join('\n'), 800) : '(no line changed)';
}

interface Outcome {
  fixed: number;
  problems: string[];
}

const MIPS_SYS_ROWS = (t: string) => [...t.matchAll(/MIPS_SYS\s*\([^()\n]*\)/g)].map(m => m[0]);

async function fixPoint(file: string, text: string, cat: Catalogue): Promise<Outcome> {
  const problems: string[] = [];
  let a: Analysis;
  try {
    a = await analyzeText(file, text, cat);
  } catch (e) {
    return { fixed: 0, problems: [`the check throws: ${(e as Error).message}`] };
  }
  const fixed = fixedBy(a.findings);
  if (!fixed.length) return { fixed: 0, problems };
  const once = applyEdits(text, fixAllEdits(a.findings));
  let b: Analysis;
  try {
    b = await analyzeText(file, once, cat);
  } catch (e) {
    return { fixed: fixed.length, problems: [`the check of the fixed text throws: ${(e as Error).message}`] };
  }
  // Counted, not just matched: two findings can read the same (three identical rows make two
  // duplicate-entry findings, of which fix-all may take only one).
  const count = (fs: Finding[]) =>
    fs.reduce((m, f) => m.set(identity(f), (m.get(identity(f)) ?? 0) + 1), new Map<string, number>());
  const before = count(a.findings),
    fixedN = count(fixed),
    after = count(b.findings);
  const remain = [...fixedN.keys()].filter(k => (after.get(k) ?? 0) > before.get(k)! - fixedN.get(k)!);
  if (remain.length) problems.push(`still there after fix-all: ${remain.slice(0, 4).join('; ')}`);
  const twice = applyEdits(once, fixAllEdits(b.findings));
  const moreFixes = fixedBy(b.findings).map(identity);
  if (twice !== once) {
    problems.push(`a second fix-all changes the text again (${moreFixes.slice(0, 4).join('; ')})`);
  }
  if (problems.length && process.env.SYSTAB_FIXPOINT_DUMP) {
    const base = path.join(
      process.env.SYSTAB_FIXPOINT_DUMP,
      `${path.basename(file)}-${createHash('sha1').update(text).digest('hex').slice(0, 8)}`,
    );
    fs.writeFileSync(`${base}.0`, text);
    fs.writeFileSync(`${base}.1`, once);
    fs.writeFileSync(`${base}.2`, twice);
  }
  if (problems.length)
    problems.push(`text: ${show(text, 2000)}\nfix-all 1: ${lineDiff(text, once)}\nfix-all 2: ${lineDiff(once, twice)}`);
  return { fixed: fixed.length, problems };
}

for (const corpus of CORPUS) {
  test(`fix-all fix-point: ${corpus.name} and fuzzed variants`, async t => {
    const cat = await catalogueOf(corpus.kernel ?? KERNEL);
    const file = path.join(corpus.tree, corpus.rel);
    const uri = URI.file(file).toString();
    const original = corpusText(corpus);
    const started = Date.now();
    const failures: string[] = [];
    let variants = 0,
      withFixes = 0,
      fixes = 0;
    const base = await fixPoint(file, original, cat);
    if (base.problems.length) failures.push(`the file itself:\n${base.problems.join('\n')}`);
    fixes += base.fixed;
    for (let i = 0; i < VARIANTS && Date.now() - started < BUDGET_MS / CORPUS.length; i++) {
      const seed = caseSeed(BASE_SEED ^ 0xf1f1, i * CORPUS.length + CORPUS.indexOf(corpus));
      const r = new Rng(seed);
      let doc = TextDocument.create(uri, corpus.languageId, 1, original);
      for (let n = r.range(1, 6); n > 0; n--) {
        const mu = mutate(r, doc, original, STRUCTURAL);
        const next = applyChange(doc, mu.change, doc.version + 1);
        doc = next;
      }
      variants++;
      const o = await fixPoint(file, doc.getText(), cat);
      if (o.fixed) withFixes++;
      fixes += o.fixed;
      if (o.problems.length) failures.push(`variant ${i} (seed ${seed}):\n${o.problems.join('\n')}`);
    }
    t.diagnostic(
      `${corpus.name}: ${variants} variants, ${withFixes} with fixes, ${fixes} findings fixed, ${failures.length} failing`,
    );
    assert.deepEqual(
      failures.slice(0, 5),
      [],
      `${failures.length} of ${variants + 1} texts fail:\n\n${failures.slice(0, 5).join('\n\n')}`,
    );
  });
}

// The engine bugs the fuzzing above found, each on a minimal input (all fixed in the engine;
// they stay as regression tests).

async function assertFixPoint(file: string, text: string, expectFixes = true): Promise<void> {
  const o = await fixPoint(file, text, await catalogueOf(KERNEL));
  if (expectFixes) assert.ok(o.fixed > 0, 'the text has fixes');
  assert.deepEqual(o.problems, []);
}

const OLD = CORPUS.find(c => c.name === 'mips-sys')!;
const OLD_FILE = path.join(OLD.tree, OLD.rel);
const STRACE_FILE = path.join(CORPUS.find(c => c.name === 'strace.list')!.tree, 'linux-user/strace.list');

test('fix-point E: marking a MIPS_SYS row unused', async () => {
  await assertFixPoint(
    OLD_FILE,
    corpusText(OLD).replace('MIPS_SYSCALL_NUMBER_UNUSED,     /* 4005 */', 'MIPS_SYS(sys_break      , 0)    /* 4005 */'),
  );
});

test('fix-point H: inserting rows after a MIPS_SYS row without its comma', async () => {
  const text = corpusText(OLD).replace(/(MIPS_SYS\(sys_write {6}3\)\n)[^]*?\n(};)/, '$1$2');
  assert.match(text, /sys_write {6}3\)\n};/);
  const a = await analyzeText(OLD_FILE, text, await catalogueOf(KERNEL));
  const once = applyEdits(text, fixAllEdits(a.findings));
  assert.deepEqual(
    MIPS_SYS_ROWS(once).filter(r => !/,/.test(r) && r !== 'MIPS_SYS(sys_write      3)'),
    [],
    'every inserted row has a name, a comma and a count',
  );
  await assertFixPoint(OLD_FILE, text);
});

test('fix-point F: one #ifdef guarding two strace.list rows', async () => {
  // Was: fix-all renamed the guard to suit one row, the next fix-all renamed it back, forever.
  await assertFixPoint(
    STRACE_FILE,
    '#ifdef TARGET_NR_exit\n{ TARGET_NR_exit, "exit" , "%s(%d)", NULL, NULL },\n{ TARGET_NR_write, "write" , "%s(%d,%#x,%d)", NULL, NULL },\n#endif\n',
    false,
  );
});

test('fix-point G: a strace.list row whose TARGET_NR_ name is another syscall', async () => {
  // Was: fix-all renumbered the row to TARGET_NR_read but kept the format checked against
  // sync_file_range; only a second fix-all fixed it for read.
  await assertFixPoint(
    STRACE_FILE,
    '#ifdef TARGET_NR_read\n{ TARGET_NR_sync_file_range, "read" , "%s(%d,%lld,%lld,%d)", NULL, NULL },\n#endif\n',
    false,
  );
});

test('fix-point I: a duplicate strace.list row that prints another name', async () => {
  // The second row is dead (the first wins): fix-all leaves it to the user rather than
  // renaming its string now and deleting it on a second pass.
  await assertFixPoint(
    STRACE_FILE,
    '{ TARGET_NR_sync_file_range, "sync_file_range" , "%s(%d,%lld,%lld,%d)", NULL, NULL },\n#ifdef TARGET_NR_sync_file_range\n{ TARGET_NR_sync_file_range, "mmap" , "%s(%d,%lld,%lld,%d)", NULL, NULL },\n#endif\n',
    false,
  );
});

test('fix-point J: a MIPS_SYS row whose first argument is not a name', async () => {
  await assertFixPoint(
    OLD_FILE,
    corpusText(OLD).replace('MIPS_SYSCALL_NUMBER_UNUSED,     /* 4005 */', 'MIPS_SYS(sys_break-1   , 0)    /* 4005 */'),
  );
});

test('fix-point K: a dead strace.list row whose format fix-all would make equal to the first', async () => {
  // Was: fix-all rewrote both rows' formats (both wrong, differently) to the same text, and
  // only a second fix-all deleted the dead row, which then said nothing the first did not.
  await assertFixPoint(
    STRACE_FILE,
    '{ TARGET_NR_fork, "fork" , "%s(%d,%d)", NULL, NULL },\n#ifdef TARGET_NR_fork\n{ TARGET_NR_fork, "fork" , "%s(%d)", NULL, NULL },\n#endif\n',
  );
});

test('fix-point L: a dead strace.list row equal to the first once fix-all fixed the first', async () => {
  // The first row's format and printed name are fixed; the dead row already says that.
  await assertFixPoint(
    STRACE_FILE,
    '{ TARGET_NR_fork, "frk" , "%s(%d)", NULL, NULL },\n#ifdef TARGET_NR_fork\n{ TARGET_NR_fork, "fork" , "%s()", NULL, NULL },\n#endif\n',
  );
});
