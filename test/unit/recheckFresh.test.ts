// A re-check of syscall.c after an edit (incremental parse, what was read from the text before
// kept where the edit did not reach) gives exactly what a check from nothing gives: 600 seeded
// edits to the qemu-rows fixture, compared after every second one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readConfig } from '../../server/src/core/config';
import { listDir } from '../../server/src/io/files';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { newParser } from '../../server/src/syntax/c/parser';
import { catalogueOf } from '../helpers/engine';
import { KERNEL, QEMU_ROWS } from '../helpers/paths';
import { recheckEqualsFresh } from '../helpers/recheck';

test('re-checks of the qemu-rows syscall.c (and of it with longer helpers) equal fresh checks over 1,000 seeded edits each', async () => {
  const file = path.join(QEMU_ROWS, 'linux-user', 'syscall.c');
  const parser = await newParser();
  const ws = {
    kernel: linuxReference(await catalogueOf(KERNEL)),
    config: readConfig(undefined),
    list: listDir,
    parser,
    read: (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
  };
  const text = fs.readFileSync(file, 'utf8');
  // And with the helpers' reads far below their heads, as in QEMU's syscall.c: an edit there
  // leaves the functions' lines as they were, and only the readings through them change.
  const padded = text.replace(/\n(\s+)return get_errno\((f?truncate64)/g, (_, indent, name) => {
    return `\n${`${indent}(void)0;\n`.repeat(20)}${indent}return get_errno(${name}`;
  });
  assert.notEqual(padded, text);
  for (const t of [text, padded]) {
    const findings = recheckEqualsFresh(file, t, ws, parser, 1000, 2);
    assert.ok(findings > 0, 'the checks found something to compare');
  }
  parser.delete();
});
