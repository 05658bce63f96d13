// ARM's calls.S and unistd.h in the real trees of ../shared/data/linux-legacy/arm (2.6.11,
// 2.6.32, 3.6, 4.4, 4.9 and a vendor's 3.6 copy with CRLF line endings): each reads as one
// consistent table with no finding; copies mutated in memory (a row inserted without
// renumbering, each marker off by one, each unistd.h number changed) give the finding each
// time; 4.9's calls.S table equals 4.10's first syscall.tbl; Linux 6.1 and 6.12 number ARM
// in syscall.tbl, and their unistd.h keeps only the private calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, fixAllEdits } from '../../server/src/core/edits';
import { readConfig } from '../../server/src/core/config';
import type { Finding } from '../../server/src/core/types';
import { armCallsFamily } from '../../server/src/families/linux/armCalls/family';
import { armCallsTables } from '../../server/src/io/kernelIndex';
import { abiById } from '../../server/src/reference/linux/abis';
import { ARM_CALLS, ARM_TBL, ARM_UNISTD, parseArmUnistd, parseCallsS } from '../../server/src/reference/linux/armCalls';
import { emptyCatalogue } from '../../server/src/reference/linux/catalogue';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { parseTbl } from '../../server/src/reference/linux/tbl';
import { realData, ROOT, tmpDir, tracerData } from '../helpers/paths';
import { indexKernel } from '../../server/src/io/kernelIndex';
import { syscallentFamily } from '../../server/src/families/strace/syscallent/family';

const DATA = path.join(ROOT, '..', 'shared', 'data', 'linux-legacy', 'arm');
const skip = fs.existsSync(DATA) ? false : `${DATA} not available: the legacy ARM trees are kept beside the repository`;
const TREES = skip ? [] : fs.readdirSync(DATA).filter(t => fs.existsSync(path.join(DATA, t, ARM_CALLS)));

interface Tree {
  name: string;
  root: string;
  files: Record<string, string>;
  /** The unistd.h that numbers the syscalls. */
  header: string;
}

function load(name: string): Tree {
  const root = path.join(DATA, name);
  const files: Record<string, string> = {};
  for (const rel of [ARM_CALLS, ...ARM_UNISTD]) {
    const f = path.join(root, rel);
    if (fs.existsSync(f)) files[rel] = fs.readFileSync(f, 'latin1');
  }
  const header = ARM_UNISTD.find(rel => files[rel] && parseArmUnistd(files[rel]).numbers.length)!;
  return { name, root, files, header };
}

function check(t: Tree, rel: string, over: Record<string, string> = {}): Finding[] {
  const files = { ...t.files, ...over };
  const ws = {
    config: readConfig(undefined),
    read: (f: string) => files[path.relative(t.root, f)],
    list: () => [],
  };
  return armCallsFamily.analyze({ file: path.join(t.root, rel), text: files[rel] }, ws as never).findings;
}
const show = (fs: Finding[]) => fs.map(f => `${f.range.start.line + 1}: ${f.code}: ${f.message}`);
const eol = (t: string) => (t.includes('\r\n') ? '\r\n' : '\n');

test('every legacy ARM tree reads as one consistent table: no finding', { skip }, () => {
  assert.ok(TREES.length >= 6, `the trees: ${TREES.join(', ')}`);
  for (const name of TREES) {
    const t = load(name);
    const calls = parseCallsS(t.files[ARM_CALLS]);
    const u = parseArmUnistd(t.files[t.header]);
    assert.ok(
      calls.rows.length > 280 && u.numbers.length > 240,
      `${name}: ${calls.rows.length} rows, ${u.numbers.length} numbers`,
    );
    assert.deepEqual(calls.problems, [], name);
    assert.deepEqual(show([...check(t, ARM_CALLS), ...check(t, t.header)]), [], name);
  }
});

test("the vendor's CRLF copy of 3.6 reads as 3.6 itself", { skip }, () => {
  const crlf = load('vendor-3.6-crlf');
  const plain = load('linux-3.6');
  assert.ok(crlf.files[ARM_CALLS].includes('\r\n'), 'the copy has CRLF line endings');
  const tables = (t: Tree) => {
    const cat = emptyCatalogue();
    armCallsTables(cat, new Map(Object.entries(t.files)));
    return cat.tables[ARM_CALLS];
  };
  assert.deepEqual(tables(crlf), tables(plain));
  assert.equal(tables(plain).filter(e => e.abi === 'arm-oabi').length, 345);
});

test('a row inserted without renumbering: one row-misnumbered where it is, in every tree', { skip }, () => {
  for (const name of TREES) {
    const t = load(name);
    const calls = t.files[ARM_CALLS];
    const rows = parseCallsS(calls).rows;
    const lines = calls.split(eol(calls));
    let tried = 0;
    for (let k = 1; k < rows.length - 1; k += 23) {
      const ls = [...lines];
      const row = /\.long/.test(lines[rows[k].line]) ? '\t\t.long\tsys_vendor_call' : '\t\tCALL(sys_vendor_call)';
      ls.splice(rows[k].line, 0, row);
      const text = ls.join(eol(calls));
      const fs = check(t, ARM_CALLS, { [ARM_CALLS]: text });
      const mis = fs.filter(f => f.code === 'row-misnumbered');
      assert.equal(mis.length, 1, `${name}, a row before row ${k}: ${show(fs).join('\n')}`);
      assert.ok(
        mis[0].range.start.line <= rows[k].line && rows[k].line <= mis[0].range.end.line,
        `${name}, before row ${k}: the finding covers the inserted line (${show(mis)})`,
      );
      assert.deepEqual(
        show(fs.filter(f => f.code !== 'row-misnumbered' && f.code !== 'table-size')),
        [],
        `${name} ${k}`,
      );
      assert.deepEqual(show(check(t, t.header, { [ARM_CALLS]: text })), [], `${name} ${k}: unistd.h is right`);
      tried++;
    }
    assert.ok(tried >= 12, `${name}: ${tried} insertions`);
  }
});

test('each /* N */ marker off by one: marker-mismatch, and its fix gives the file back', { skip }, () => {
  for (const name of TREES) {
    const t = load(name);
    const calls = t.files[ARM_CALLS];
    const rows = parseCallsS(calls).rows.filter(r => r.marker);
    const lines = calls.split(eol(calls));
    assert.ok(rows.length > 50, `${name}: ${rows.length} markers`);
    for (const r of rows) {
      const ls = [...lines];
      const mk = r.marker!.range;
      const l = ls[r.line];
      ls[r.line] = l.slice(0, mk.start.character) + String(r.marker!.number + 1) + l.slice(mk.end.character);
      const text = ls.join(eol(calls));
      const fs = check(t, ARM_CALLS, { [ARM_CALLS]: text });
      assert.deepEqual(
        fs.map(f => `${f.range.start.line} ${f.code}`),
        [`${r.line} marker-mismatch`],
        `${name}, marker ${r.marker!.number}`,
      );
      assert.equal(applyEdits(text, fixAllEdits(fs)), calls, `${name}, marker ${r.marker!.number}: the fix`);
    }
  }
});

test(
  'each unistd.h number changed: a finding on that define; where certain, a fix that gives it back',
  { skip },
  () => {
    for (const name of TREES) {
      const t = load(name);
      const header = t.files[t.header];
      const u = parseArmUnistd(header);
      const lines = header.split(eol(header));
      const free = Math.max(...u.numbers.map(n => n.number)) + 7;
      let fixed = 0;
      // Every third define (another third in each tree), changed two ways.
      const some = u.numbers.filter((_, i) => i % 3 === TREES.indexOf(name) % 3);
      for (const d of some) {
        if (!d.ranges.number) continue;
        for (const to of [free, d.number + 1]) {
          const ls = [...lines];
          const at = d.ranges.number;
          ls[d.line] = ls[d.line].slice(0, at.start.character) + String(to) + ls[d.line].slice(at.end.character);
          const text = ls.join(eol(header));
          const fs = check(t, t.header, { [t.header]: text });
          assert.ok(
            fs.some(f => f.range.start.line === d.line),
            `${name}, ${d.macro} ${d.number} -> ${to}: ${show(fs).join('\n')}`,
          );
          const back = applyEdits(text, fixAllEdits(fs));
          if (back === header) fixed++;
          else assert.equal(back, text, `${name}, ${d.macro} -> ${to}: a fix is the way back or none`);
        }
      }
      assert.ok(fixed > some.length, `${name}: ${fixed} of ${2 * some.length} changes fixed back`);
    }
  },
);

test("4.9's calls.S table equals 4.10's first syscall.tbl, per ABI", { skip }, () => {
  const t = load('linux-4.9.52-rpi');
  const cat = emptyCatalogue();
  armCallsTables(cat, new Map(Object.entries(t.files)));
  const tbl = parseTbl(ARM_TBL, fs.readFileSync(path.join(DATA, 'linux-4.10.17', ARM_TBL), 'utf8'));
  cat.tables[ARM_TBL] = tbl.entries;
  const ref = linuxReference(cat);
  for (const id of ['arm-eabi', 'arm-oabi']) {
    const abi = abiById(id)!;
    const row = (e: { number: number; name: string; entry?: string; compat?: string }) =>
      `${e.number} ${e.name} ${e.entry ?? '-'} ${e.compat ?? '-'}`;
    const fromTbl = ref.entries(abi)!.map(row);
    const fromCalls = ref.entries({ ...abi, table: 'none', older: abi.older })!.map(row);
    assert.equal(fromTbl.length, id === 'arm-eabi' ? 352 : 364);
    assert.deepEqual(fromCalls, fromTbl, id);
  }
});

test('Linux 6.1 and 6.12: ARM numbers come from syscall.tbl; unistd.h keeps the private calls', () => {
  const real = realData();
  const roots = [real?.linux, real?.linux612].filter(
    (r): r is string => !!r && fs.existsSync(path.join(r, ARM_UNISTD[0])),
  );
  if (!roots.length) return void test.skip('Linux 6.1/6.12 from Debian not available: run scripts/fetch-real-data.sh');
  for (const root of roots) {
    const file = path.join(root, ARM_UNISTD[0]);
    const text = fs.readFileSync(file, 'utf8');
    const u = parseArmUnistd(text);
    assert.equal(u.numbers.length, 0);
    assert.equal(u.generated, true);
    assert.deepEqual(
      u.private.map(p => `${p.name}=${p.number}`),
      ['breakpoint=1', 'cacheflush=2', 'usr26=3', 'usr32=4', 'set_tls=5', 'get_tls=6'],
    );
    assert.equal(armCallsFamily.claims(file, text), false, 'not a legacy table');
    assert.ok(fs.existsSync(path.join(root, ARM_TBL)) && !fs.existsSync(path.join(root, ARM_CALLS)));
  }
});

test("strace 6.1's arm table against a 4.9 tree: the calls.S tables stand in for syscall.tbl", async t => {
  const strace = tracerData().strace;
  if (skip || !strace) return void t.skip(skip || 'strace 6.1 not available: run scripts/fetch-real-data.sh');
  // The 4.9 files as a tree the indexer takes (it wants include/linux/syscalls.h).
  const root = tmpDir('arm49');
  for (const [rel, text] of Object.entries(load('linux-4.9.52-rpi').files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  fs.mkdirSync(path.join(root, 'include', 'linux'), { recursive: true });
  fs.writeFileSync(path.join(root, 'include', 'linux', 'syscalls.h'), '/* no prototypes: numbers only */\n');
  const ref = linuxReference(await indexKernel(root));
  assert.equal(ref.entries(abiById('arm-eabi')!)!.length, 352);
  const file = path.join(strace, 'src', 'linux', 'arm', 'syscallent.h');
  const ws = {
    kernel: ref,
    config: readConfig(undefined),
    read: (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
    list: () => [],
  };
  const r = syscallentFamily.analyze({ file, text: fs.readFileSync(file, 'utf8') }, ws as never);
  const codes = new Set(r.findings.map(f => f.code));
  for (const c of ['nr-mismatch', 'missing-entry', 'not-checked'] as const)
    assert.ok(
      !codes.has(c),
      `${c}: ${show(r.findings.filter(f => f.code === c))
        .slice(0, 3)
        .join('\n')}`,
    );
  assert.ok(r.model && (r.model as { contexts: unknown[] }).contexts.length > 0, 'checked against the EABI table');
});
