// What is redone only where a text changed (textChange, linesAgain, lineMap after an edit)
// equals what is read from the whole text, over seeded chains of random edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineMap } from '../../server/src/core/text';
import { linesAgain, MatchMemo, textChange } from '../../server/src/core/textChange';

function edits(steps: number, pieces: string[], check: (before: string, text: string) => void) {
  let seed = 4242;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  let text = 'int a;\nint b;\n\n/* c */\nvoid f(void)\n{\n}\n';
  for (let i = 0; i < steps; i++) {
    const before = text;
    const at = rnd(text.length + 1);
    text = text.slice(0, at) + pieces[rnd(pieces.length)] + text.slice(at + rnd(4));
    if (text.length > 400) text = text.slice(rnd(200));
    check(before, text);
  }
}

test('textChange: the rest of both texts is the same and the spans are as short as can be', () => {
  edits(5000, ['a', '\n', '', 'ab\ncd', 'a'], (a, b) => {
    const c = textChange(a, b);
    assert.equal(a.slice(0, c.start), b.slice(0, c.start));
    assert.equal(a.slice(c.aEnd), b.slice(c.bEnd));
    assert.ok(c.start <= c.aEnd && c.start <= c.bEnd);
    // Not one character more could be common.
    if (c.start < c.aEnd && c.start < c.bEnd) assert.notEqual(a[c.start], b[c.start]);
    if (c.aEnd > c.start && c.bEnd > c.start) assert.notEqual(a[c.aEnd - 1], b[c.bEnd - 1]);
  });
});

test("linesAgain and lineMap after each edit equal the whole text's", () => {
  // Line starts as LSP counts them: after \n, \r\n and a lone \r.
  const starts = (t: string) => [0, ...[...t.matchAll(/\r\n|\r|\n/g)].map(m => m.index! + m[0].length)];
  edits(5000, ['a', '\n', '', 'x\ny\n', ' ', '\n\n'], (_, text) => {
    assert.deepEqual(linesAgain(text), text.split('\n'));
    assert.deepEqual(lineMap(text).starts, starts(text));
  });
  // Carriage returns come and go: the map is read afresh around them.
  edits(3000, ['a', '\n', '\r', '\r\n', ''], (_, text) => assert.deepEqual(lineMap(text).starts, starts(text)));
});

test("MatchMemo's matches after each edit equal a scan of the whole text", () => {
  const memo = new MatchMemo();
  const re = /\bcase\s+TARGET_NR_(\w+)\s*:/g;
  const pieces = ['case TARGET_NR_read:', 'case', ' TARGET_NR_', 'x', ':', ';', '}', ' ', '\n', '', 'a'];
  let seen = 0;
  edits(8000, pieces, (_, text) => {
    const all = [...text.matchAll(new RegExp(re))].map(m => ({ index: m.index!, text: m[0], group: m[1] }));
    assert.deepEqual(memo.matches(text, re), all);
    seen += all.length;
  });
  assert.ok(seen > 1000, 'the edits made matches');
});
