import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseC } from '../../server/src/analysis/analyze';
import { o32Family } from '../../server/src/families/qemu/o32/family';
import { newParser } from '../../server/src/syntax/c/parser';
import { parseO32Table } from '../../server/src/families/qemu/o32/table';

async function table(text: string) {
  const parser = await newParser();
  const parsed = parseC(parser, text, undefined, o32Family.wrap!('', text))!;
  try {
    return parseO32Table(text, parsed.tree, parsed.prefixLength);
  } finally {
    parsed.tree.delete();
    parser.delete();
  }
}

test('designated rows: number, value, name and exact ranges', async () => {
  const text = '    [   0] = 7, /* syscall */\n    [   1] = 1, /* exit */\n    [ 279] = MIPS_SYSCALL_NUMBER_UNUSED,\n';
  const t = (await table(text))!;
  assert.equal(t.style, 'designated');
  assert.deepEqual(
    t.rows.map(r => [r.number, r.value, r.name]),
    [
      [0, 7, 'syscall'],
      [1, 1, 'exit'],
      [279, 'unused', undefined],
    ],
  );
  const exit = t.rows[1];
  assert.equal(text.slice(exit.value_.start, exit.value_.end), '1');
  assert.equal(text.slice(exit.name_!.start, exit.name_!.end), 'exit');
});

test('MIPS_SYS rows are numbered by position, even with a missing comma', async () => {
  const text =
    'static const uint8_t mips_syscall_args[] = {\n\tMIPS_SYS(sys_syscall\t, 8)\t/* 4000 */\n\tMIPS_SYS(sys_exit 1)\n\tMIPS_SYSCALL_NUMBER_UNUSED,\n\tMIPS_SYS(sys_read, 3)\n};\n';
  const t = (await table(text))!;
  assert.equal(t.style, 'mips-sys');
  assert.deepEqual(
    t.rows.map(r => [r.number, r.value, r.name]),
    [
      [0, 8, 'sys_syscall'],
      [1, 1, 'sys_exit'],
      [2, 'unused', undefined],
      [3, 3, 'sys_read'],
    ],
  );
  assert.equal(t.rows[0].trailingNumber?.value, 4000);
});

test('a truncated row is reported, the rows after it still read', async () => {
  const text =
    'static const int8_t mips_syscall_args[] = {\n        MIPS_SYS(sys_exit       , 1)\n        MIPS_SYS(sys_fork,\n        MIPS_SYS(sys_read       , 3)\n};\n';
  const t = (await table(text))!;
  assert.ok(t.problems.length >= 1, 'the broken row is a problem');
  assert.ok(
    t.rows.some(r => r.name === 'sys_read' && r.value === 3),
    'the next row is found',
  );
});

test('a designated row with an unreadable value is a problem', async () => {
  const t = (await table('    [   0] = 7, /* syscall */\n    [   1] = FOO, /* exit */\n'))!;
  assert.equal(t.rows[1].value, undefined);
  assert.equal(t.problems.length, 1);
});

test('empty and binary input give no table, not an exception', async () => {
  assert.equal(await table(''), undefined);
  assert.equal(await table('\u0000\u0001\u0002ELF'), undefined);
  assert.equal(await table('int main(void) { return 0; }\n'), undefined);
});
