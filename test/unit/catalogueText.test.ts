// The catalogue's laid-out JSON: still JSON, read back equal to what was written (keys in
// order, values parsed on first use), any other JSON read whole, and a damaged member a
// clear error when it is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { layOut, parseLaidOut } from '../../server/src/io/catalogueText';
import { loadCatalogueFile } from '../../server/src/io/catalogueFile';
import { serializeCatalogue } from '../../server/src/io/catalogueWrite';
import { ROOT } from '../helpers/paths';

const sample = {
  archConfig: { mips: ['ARCH_32BIT_OFF_T'], x86: [] },
  format: 1,
  kernel: { release: '6.12.0' },
  prototypes: {
    sys_read: [
      { entry: 'sys_read', params: [{ type: 'unsigned int', name: 'fd' }], file: 'fs/read_write.c', line: 621 },
    ],
    'sys_"quoted\\name': [],
    compat_sys_x: [{ entry: 'compat_sys_x', params: [], file: 'a\nb.c', line: 1 }],
  },
  tables: { 'arch/mips/kernel/syscalls/syscall_o32.tbl': [{ number: 4000, abi: 'o32', name: 'syscall' }] },
  empty: {},
};

test('laid out, a catalogue is still JSON, its big records one member per line', () => {
  const text = layOut(sample);
  assert.deepEqual(JSON.parse(text), sample);
  assert.ok(text.split('\n').length >= 7, 'a line per prototype and per table');
});

test('read back: equal, keys in order, values parsed when read, records still writable', () => {
  const back = parseLaidOut(layOut(sample)) as typeof sample & Record<string, unknown>;
  assert.deepEqual(Object.keys(back.prototypes), Object.keys(sample.prototypes));
  assert.ok('sys_read' in back.prototypes && !('sys_write' in back.prototypes));
  assert.equal(JSON.stringify(back), JSON.stringify(sample));
  assert.deepEqual(back, sample);
  const protos = back.prototypes as Record<string, unknown[]>;
  (protos.sys_write ??= []).push('added');
  protos.sys_read.push('more');
  assert.deepEqual(protos.sys_write, ['added']);
  assert.equal(protos.sys_read.length, 2);
  delete protos.compat_sys_x;
  assert.deepEqual(Object.keys(protos), ['sys_read', 'sys_"quoted\\name', 'sys_write']);
});

test('other JSON is read whole: one line, pretty-printed, or a layout that does not hold', () => {
  for (const text of [
    JSON.stringify(sample),
    JSON.stringify(sample, null, 2),
    layOut(sample).replace('\n"sys_read"', '\n  "sys_read"'),
  ])
    assert.deepEqual(parseLaidOut(text), sample);
  assert.throws(() => parseLaidOut(layOut(sample).slice(0, -3)), SyntaxError, 'a truncated file is not JSON');
});

test('a damaged member: an error naming it, when it is read', () => {
  const text = layOut(sample).replace('"sys_read":[', '"sys_read":[[');
  const back = parseLaidOut(text) as typeof sample;
  assert.deepEqual(back.tables, sample.tables, 'the rest reads');
  assert.throws(() => back.prototypes.sys_read, /the catalogue is damaged: prototypes "sys_read" is not JSON/);
});

test('the bundled catalogue is laid out, and reads back as written', () => {
  const cat = loadCatalogueFile(path.join(ROOT, 'data', 'catalogue.json.gz'));
  assert.ok(Object.keys(cat.prototypes).length > 1000);
  assert.equal(serializeCatalogue(cat), serializeCatalogue(JSON.parse(JSON.stringify(cat))));
});
