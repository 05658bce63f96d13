// A uapi unistd header as a list of its meaningful lines: every line with code once comments
// are blanked, spacing normalised (`#define __NR_x\t\t1` and `# define __NR_x 1` are one
// line), each read as what it is (a define with its value, an invocation of the generic
// header's `__SYSCALL` family, an include, a conditional), so two copies compare line by
// line and a difference is told in names and numbers.
import { lineMap, LineMap, splitLines } from '../../../core/text';
import { range, Range } from '../../../core/types';
import { readInvocation } from '../../../reference/linux/genericUnistd';
import { CDefine, readDefines } from '../../../syntax/c/defines';
import { preprocessorLines } from '../../../syntax/c/preprocessor';

export type HeaderItem =
  | { kind: 'define'; key: string; define: CDefine }
  | { kind: 'invocation'; key: string; macro: string; args: string[] }
  | { kind: 'include' | 'undef' | 'conditional' | 'other'; key: string };

export interface HeaderLine {
  /** Zero-based line number. */
  line: number;
  /** The line's code, spacing normalised: what two copies are compared by. */
  text: string;
  /** The code as written (comments out, ends trimmed), for messages. */
  code: string;
  range: Range;
  item: HeaderItem;
}

export interface HeaderModel {
  file: string;
  map: LineMap;
  lines: HeaderLine[];
  /** The numbers of the `#define`s once evaluated over the file. */
  values: Map<string, number>;
  /** The original it was compared with, with its path relative to the tree's root. */
  original?: { model: HeaderModel; rel: string };
}

/** Spacing that does not matter to the preprocessor, out. */
const normalise = (code: string) =>
  code
    .trim()
    .replace(/^#\s+/, '#')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1');

export function readHeader(file: string, text: string): HeaderModel {
  const lines = splitLines(text);
  const defines = readDefines(lines);
  const byLine = new Map(defines.defines.map(d => [d.line, d] as const));
  const out: HeaderLine[] = [];
  for (const l of preprocessorLines(lines)) {
    const code = l.code.trim();
    if (!code) continue;
    const start = l.code.length - l.code.trimStart().length;
    const r = range(l.line, start, l.line, l.code.trimEnd().length);
    const t = normalise(l.code);
    const d = byLine.get(l.line);
    const inv = !l.directive ? readInvocation(l.code) : undefined;
    const dir = l.directive?.name;
    const word = l.directive?.rest.trim().split(/[\s(]/)[0] ?? '';
    const item: HeaderItem = d
      ? { kind: 'define', key: `define ${d.macro}`, define: d }
      : inv
        ? { kind: 'invocation', key: `call ${inv.args[0]}`, macro: inv.macro, args: inv.args }
        : dir === 'include'
          ? { kind: 'include', key: t }
          : dir === 'undef'
            ? { kind: 'undef', key: `undef ${word}` }
            : dir && /^(if|ifdef|ifndef|elif|else|endif)$/.test(dir)
              ? { kind: 'conditional', key: t }
              : // A guard's own `#define G` and anything else: compared as written.
                { kind: 'other', key: t };
    out.push({ line: l.line, text: t, code, range: r, item });
  }
  return { file, map: lineMap(text), lines: out, values: defines.values };
}

/** A line as a message shows it: `#define __NR_riscv_flush_icache (__NR_arch_specific_syscall + 15)` (259). */
export function showItem(l: HeaderLine, values: Map<string, number>): string {
  const it = l.item;
  if (it.kind === 'define') {
    const d = it.define;
    const n = d.number ?? values.get(d.macro);
    const shown = d.value ? `\`#define ${d.macro} ${d.value}\`` : `\`#define ${d.macro}\``;
    return n !== undefined && d.value && String(n) !== d.value ? `${shown} (${n})` : shown;
  }
  return `\`${l.code.length > 120 ? l.code.slice(0, 117) + '...' : l.code}\``;
}
