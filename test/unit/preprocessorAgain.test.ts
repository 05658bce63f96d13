// preprocessorLinesAgain: after edits to a line or two, the lines it reuses and redoes equal a
// fresh preprocessorLines of the edited text, whatever the edit touches (comments, directives,
// continuations), on a seeded run of one-character edits to a real-format syscall.c.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { preprocessorLines, preprocessorLinesAgain } from '../../server/src/syntax/c/preprocessor';
import { FIXTURES } from '../helpers/paths';

test('preprocessorLinesAgain equals preprocessorLines after each of 2,000 one-character edits', () => {
  let text = fs.readFileSync(path.join(FIXTURES, 'qemu-rows', 'linux-user', 'syscall.c'), 'utf8');
  let seed = 12345;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  const chars = ['a', '0', ' ', '/', '*', '#', '\\', '"', ';', '\n'];
  preprocessorLinesAgain(text.split('\n'));
  for (let i = 0; i < 2000; i++) {
    const at = rnd(text.length);
    const ch = chars[rnd(chars.length)];
    text = rnd(3) === 0 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + ch + text.slice(at + 1);
    const lines = text.split('\n');
    assert.deepEqual(preprocessorLinesAgain(lines), preprocessorLines(lines), `edit ${i} at ${at}`);
  }
});
