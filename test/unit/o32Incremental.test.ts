// An edit inside one designated row's count re-reads that row only (parseO32Table keeps the
// last tables): the table must equal a fresh read from the tree after every such edit, and
// any other edit must fall back to the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parseC } from '../../server/src/analysis/analyze';
import { o32Family } from '../../server/src/families/qemu/o32/family';
import { parseO32Table, parseO32TableFresh } from '../../server/src/families/qemu/o32/table';
import { newParser, Parser } from '../../server/src/syntax/c/parser';
import { QEMU, realData } from '../helpers/paths';

function both(parser: Parser, text: string) {
  const parsed = parseC(parser, text, undefined, o32Family.wrap!('', text))!;
  try {
    return {
      kept: parseO32Table(text, parsed.tree, parsed.prefixLength),
      fresh: parseO32TableFresh(text, parsed.tree, parsed.prefixLength),
    };
  } finally {
    parsed.tree.delete();
  }
}

/** Deterministic edits: counts and slots retyped, lengthened, shortened, made -1 or unreadable; names, lines. */
function edits(text: string): ((t: string) => string)[] {
  const counts = [...text.matchAll(/\]\s*=\s*(-?\d+)/g)].map(m => m.index! + m[0].length - m[1].length);
  const out: ((t: string) => string)[] = [];
  for (let k = 0; k < 40; k++) {
    const at = counts[(k * 7919) % counts.length];
    const len = /^-?\d+/.exec(text.slice(at))![0].length;
    const put = (s: string) => (t: string) => t.slice(0, at) + s + t.slice(at + len);
    out.push([put('9'), put('12'), put('-1'), put('0x5'), put(''), put('3 4'), put('7,'), put('5')][k % 8]);
  }
  // Slots: retyped, lengthened, made to collide with another row's.
  const slots = [...text.matchAll(/\[\s*(\d+)\s*\]/g)].map(m => m.index! + m[0].indexOf(m[1]));
  for (let k = 0; k < 16; k++) {
    const at = slots[(k * 104729) % slots.length];
    const len = /^\d+/.exec(text.slice(at))![0].length;
    const put = (s: string) => (t: string) => t.slice(0, at) + s + t.slice(at + len);
    out.push([put('7'), put('4000'), put('1'), put('x')][k % 4]);
  }
  // Not counts: the kept table must not be used for these.
  out.push(t => t.replace('/* exit */', '/* quit */'));
  out.push(t => t.replace(/\[\s*1\]/, '[ 2]'));
  out.push(t => t.replace('\n', '\n\n'));
  return out;
}

for (const [label, file] of [
  ['fixture', path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc')],
  ['QEMU 7.2', realData() && path.join(realData()!.qemu, 'linux-user/mips/syscall-args-o32.c.inc')],
] as const) {
  test(
    `${label} o32 table: after each edit the kept table equals a fresh read`,
    { skip: !file && 'no QEMU tree' },
    async () => {
      const parser = await newParser();
      try {
        const base = fs.readFileSync(file!, 'utf8');
        both(parser, base);
        let text = base;
        for (const edit of edits(base)) {
          // Chains of edits (each from the last text), then back to the original.
          for (const next of [edit(text), base]) {
            text = next;
            const { kept, fresh } = both(parser, text);
            assert.deepEqual(kept, fresh);
          }
        }
      } finally {
        parser.delete();
      }
    },
  );
}
