// conditionalLines looks only where a `#` is: it must find exactly what the line pattern it
// replaces finds, on the fixtures' C files and on random texts built from directive pieces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { conditionalLines } from '../../server/src/syntax/c/preprocessor';
import { FIXTURES } from '../helpers/paths';

const PATTERN = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/gm;
const byPattern = (text: string) =>
  [...text.matchAll(PATTERN)].map(m => ({ at: m.index!, directive: m[1], rest: m[2] }));

function cFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? cFiles(p) : /\.(c|h|inc)$/.test(e.name) ? [p] : [];
  });
}

test('conditionalLines finds what the line pattern finds: the fixtures', () => {
  const files = cFiles(FIXTURES);
  assert.ok(files.length > 50);
  let found = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'latin1');
    const want = byPattern(text);
    assert.deepEqual(conditionalLines(text), want, f);
    found += want.length;
  }
  assert.ok(found > 100, `${found} directives`);
});

test('conditionalLines finds what the line pattern finds: 5,000 random texts', () => {
  const pieces = [
    '#',
    ' ',
    '\t',
    '\n',
    '\r\n',
    '\r',
    '\u2028',
    'if',
    'ifdef',
    'ifndef',
    'elif',
    'else',
    'endif',
    'x',
    '0',
    '(',
    'CONFIG_A',
    '/*',
    '"#if"',
    '##',
    'include',
  ];
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  for (let i = 0; i < 5000; i++) {
    const text = Array.from({ length: 1 + rand(40) }, () => pieces[rand(pieces.length)]).join('');
    assert.deepEqual(conditionalLines(text), byPattern(text), JSON.stringify(text));
  }
});
