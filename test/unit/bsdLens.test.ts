// The code lens above bsd-user's strace.list: rows, formats that misprint, dead rows, and
// syscalls with no row, counted from the file's own findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { modelOf } from '../../server/src/analysis/analyze';
import { familyById } from '../../server/src/families/registry';
import { analyzeFile } from '../helpers/engine';
import { QEMU_BSD } from '../helpers/paths';

test('bsd-user strace.list: one lens above the first row, with the counts of its findings', async () => {
  const a = await analyzeFile(path.join(QEMU_BSD, 'bsd-user/freebsd/strace.list'));
  const family = familyById('qemu/bsdStrace')!;
  const model = modelOf(a, family) as { entries: { ranges: { row: { start: { line: number } } } }[] };
  assert.ok(model?.entries.length);
  const lenses = family.lenses!(model, a.findings);
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0].line, model.entries[0].ranges.row.start.line);
  const n = (code: string) => a.findings.filter(f => f.code === code).length;
  assert.equal(
    lenses[0].title,
    `${model.entries.length} rows · ${n('strace-format-args')} misprinting · ${n('duplicate-entry')} never used · ${n('not-traced')} syscalls without a row`,
  );
  assert.ok(n('strace-format-args') + n('duplicate-entry') + n('not-traced') > 0, 'the fixture has something to count');
});
