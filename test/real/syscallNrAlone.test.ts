// QEMU 7.2's hand-written syscall_nr.h headers (those on disk: 7.2 generates the rest at
// build time), checked inside the tree and as a copy alone under an empty
// <dir>/linux-user/<target>/: the same disagreements with the bundled catalogue either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { realData, ROOT, tmpDir } from '../helpers/paths';
import { analyzeText } from '../helpers/engine';
import { loadCatalogueFile } from '../../server/src/io/catalogueFile';
import { Finding } from '../../server/src/core/types';

const real = realData();
const skip = real ? false : 'real QEMU/Linux trees not fetched (scripts/fetch-real-data.sh)';
const cat = loadCatalogueFile(path.join(ROOT, 'data', 'catalogue.json.gz'));

/** What a finding says, without where the file is or what syscall.c beside it has. */
const key = (f: Finding) => `${f.range.start.line + 1} ${f.code} ${f.syscall ?? ''}`;

test('QEMU 7.2: each syscall_nr.h on disk finds the same disagreements alone as in the tree', { skip }, async () => {
  const lu = path.join(real!.qemu, 'linux-user');
  const headers = fs
    .readdirSync(lu)
    .flatMap(d =>
      fs.statSync(path.join(lu, d)).isDirectory()
        ? fs
            .readdirSync(path.join(lu, d))
            .filter(n => /^syscall\w*_nr\.h$/.test(n))
            .map(n => `${d}/${n}`)
        : [],
    )
    .sort();
  assert.ok(headers.length >= 10, headers.join(' '));
  const counts: Record<string, Record<string, number>> = {};
  for (const rel of headers) {
    const file = path.join(lu, rel);
    const text = fs.readFileSync(file, 'utf8');
    const inTree = (await analyzeText(file, text, cat)).findings;
    const copy = path.join(tmpDir('nr-alone'), 'linux-user', rel);
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.writeFileSync(copy, text);
    const alone = (await analyzeText(copy, text, cat)).findings;
    assert.deepEqual(alone.map(key).sort(), inTree.map(key).sort(), rel);
    for (const f of inTree) (counts[rel] ??= {})[f.code] = (counts[rel]?.[f.code] ?? 0) + 1;
  }
  // Not vacuous: hexagon's sync_file_range at 84, where Linux's hexagon has sync_file_range2,
  // and the rows Linux 6.12 added after QEMU 7.2.
  assert.equal(counts['hexagon/syscall_nr.h']?.['name-mismatch'], 1);
  assert.ok(counts['aarch64/syscall_nr.h']?.['missing-entry'] >= 1);
  assert.equal(counts['cris/syscall_nr.h']?.['not-checked'], 1, 'Linux dropped cris: said once');
  // The stubs that include generated headers say nothing in either place.
  for (const stub of ['i386/syscall_nr.h', 'mips/syscall_nr.h', 'mips64/syscall_nr.h', 'x86_64/syscall_nr.h'])
    if (headers.includes(stub)) assert.equal(counts[stub], undefined, stub);
  console.log(JSON.stringify(counts));
});

test(
  'QEMU 7.2 hexagon alone: the name-mismatch names what any syscall.c case does; in the tree, its line',
  { skip },
  async () => {
    const file = path.join(real!.qemu, 'linux-user', 'hexagon', 'syscall_nr.h');
    const text = fs.readFileSync(file, 'utf8');
    const inTree = (await analyzeText(file, text, cat)).findings.find(f => f.code === 'name-mismatch')!;
    const c = fs.readFileSync(path.join(real!.qemu, 'linux-user', 'syscall.c'), 'utf8').split('\n');
    const line = c.findIndex(l => /^\s*case TARGET_NR_sync_file_range2:/.test(l));
    assert.ok(line > 0);
    assert.match(inTree.message, new RegExp(`case TARGET_NR_sync_file_range2:\` \\(line ${line + 1}\\) never runs`));
    const copy = path.join(tmpDir('nr-hexagon'), 'linux-user', 'hexagon', 'syscall_nr.h');
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.writeFileSync(copy, text);
    const alone = (await analyzeText(copy, text, cat)).findings.find(f => f.code === 'name-mismatch')!;
    assert.match(alone.message, /any `case TARGET_NR_sync_file_range2:` in syscall\.c never runs/);
  },
);
