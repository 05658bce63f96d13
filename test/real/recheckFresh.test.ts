// A re-check of QEMU 7.2's linux-user/syscall.c (13,000 lines) after an edit gives exactly what
// a check from nothing gives: 90 seeded edits, compared after every third (skipped when the
// real trees are absent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { newParser } from '../../server/src/syntax/c/parser';
import { realData } from '../helpers/paths';
import { bundledWorkspace } from '../helpers/engine';
import { recheckEqualsFresh } from '../helpers/recheck';

const real = realData();
const skip = real
  ? false
  : 'real QEMU/Linux trees not available (Debian archive unreachable?): run scripts/fetch-real-data.sh';

test("re-checks of QEMU's syscall.c equal fresh checks over 90 seeded edits", { skip }, async () => {
  const file = path.join(real!.qemu, 'linux-user', 'syscall.c');
  const parser = await newParser();
  const ws = bundledWorkspace(parser, f => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined));
  const findings = recheckEqualsFresh(file, fs.readFileSync(file, 'utf8'), ws, parser, 90, 3, 777);
  assert.ok(findings > 0, 'the checks found something to compare');
  parser.delete();
});
