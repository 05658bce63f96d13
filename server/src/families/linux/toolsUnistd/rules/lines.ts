// copy-drift: a tools/ copy of a uapi unistd header against its original in the same tree,
// line by line (comments and spacing aside): every run of lines that differs is one
// finding, told in names and numbers, whose fix puts the original's lines in their place.
import { diffArrays } from 'diff';
import { rangeOf } from '../../../../core/text';
import { Finding, range, Related, TextEdit } from '../../../../core/types';
import type { Rule } from '../../../family';
import { HeaderLine, HeaderModel, showItem } from '../model';

export interface LinesContext {
  copy: HeaderModel;
  original: HeaderModel;
  /** The original's path relative to the tree's root, for messages. */
  rel: string;
}

/** Past this many differing lines the two files are not copies of each other: one finding, no line diff. */
const MAX_EDITS = 4000;

const list = (xs: string[]) =>
  xs.length <= 4 ? xs.join(', ') : `${xs.slice(0, 3).join(', ')} and ${xs.length - 3} more`;

const syscallOf = (ls: HeaderLine[]) => {
  for (const l of ls) {
    const name = l.item.kind === 'define' ? l.item.define.macro : l.item.kind === 'invocation' ? l.item.args[0] : '';
    if (name.startsWith('__NR_')) return name.slice('__NR_'.length);
  }
  return undefined;
};

function describe(mine: HeaderLine[], theirs: HeaderLine[], ctx: LinesContext): string {
  const byKey = new Map(theirs.map(l => [l.item.key, l] as const));
  const paired = new Set<HeaderLine>();
  const parts: string[] = [];
  const extra: string[] = [];
  for (const l of mine) {
    const o = byKey.get(l.item.key);
    if (o && !paired.has(o) && l.item.kind !== 'other' && l.item.kind !== 'conditional' && l.item.kind !== 'include') {
      paired.add(o);
      parts.push(`${showItem(l, ctx.copy.values)} here, ${showItem(o, ctx.original.values)} there`);
    } else extra.push(showItem(l, ctx.copy.values));
  }
  const missing = theirs.filter(o => !paired.has(o)).map(o => showItem(o, ctx.original.values));
  if (missing.length) parts.push(`${list(missing)} ${missing.length === 1 ? 'is' : 'are'} missing`);
  if (extra.length) parts.push(`${list(extra)} ${extra.length === 1 ? 'is' : 'are'} not in the original`);
  const includes = (ls: HeaderLine[], re: RegExp) => ls.some(l => l.item.kind === 'include' && re.test(l.text));
  // Linux 6.11 moved these headers to the generated list: say so, or the finding reads as noise.
  const newer =
    includes(theirs, /<asm\/unistd_(32|64)\.h>/) && includes([...mine, ...ctx.copy.lines], /<asm-generic\/unistd\.h>/)
      ? " (the original includes the asm/unistd_NN.h the build writes from scripts/syscall.tbl, Linux 6.11 on, its `__ARCH_WANT_*` switches now ABI tags in the arch's Makefile.syscalls: this copy is of the older form)"
      : '';
  return `this copy differs from its original ${ctx.rel}: ${list(parts)}${newer}`;
}

function lineDrift(ctx: LinesContext): Finding[] {
  const { copy, original } = ctx;
  const nl = copy.map.text.includes('\r\n') ? '\r\n' : '\n';
  const changes = diffArrays(
    copy.lines.map(l => l.text),
    original.lines.map(l => l.text),
    { maxEditLength: MAX_EDITS },
  );
  const lineStart = (m: HeaderModel, n: number) => m.map.starts[n] ?? m.map.text.length;
  const lineEnd = (m: HeaderModel, n: number) => {
    const next = m.map.starts[n + 1];
    if (next === undefined) return m.map.text.length;
    return m.map.text[next - 2] === '\r' ? next - 2 : next - 1;
  };
  /** The original's text from its line `a` to the end of its line `b`, in the copy's line breaks. */
  const originalText = (a: number, b: number) =>
    original.map.text.slice(lineStart(original, a), lineEnd(original, b)).replace(/\r?\n/g, nl);
  const related = (ls: HeaderLine[]): Related[] =>
    ls.slice(0, 20).map(l => ({
      location: { file: original.file, range: range(l.line, 0, l.line, 0) },
      message: `${ctx.rel}:${l.line + 1}: ${l.code}`,
    }));
  if (!changes) {
    return [
      {
        file: copy.file,
        range: range(0, 0, 0, 0),
        severity: 'warning',
        code: 'copy-drift',
        message: `this copy and its original ${ctx.rel} differ in more than ${MAX_EDITS} lines: not compared line by line`,
        related: [],
        fixes: [],
      },
    ];
  }
  const out: Finding[] = [];
  let ci = 0,
    oi = 0;
  for (let k = 0; k < changes.length;) {
    if (!changes[k].added && !changes[k].removed) {
      ci += changes[k].count;
      oi += changes[k].count;
      k++;
      continue;
    }
    // One hunk: the removed and added runs between two unchanged ones.
    const mine: HeaderLine[] = [],
      theirs: HeaderLine[] = [];
    const before = copy.lines[ci - 1];
    const theirsBefore = original.lines[oi - 1];
    for (; k < changes.length && (changes[k].added || changes[k].removed); k++) {
      const c = changes[k];
      if (c.removed) mine.push(...copy.lines.slice(ci, (ci += c.count)));
      else theirs.push(...original.lines.slice(oi, (oi += c.count)));
    }
    const after = copy.lines[ci];
    let edit: TextEdit;
    let r: Finding['range'];
    if (mine.length) {
      const a = mine[0].line,
        b = mine[mine.length - 1].line;
      r = range(a, mine[0].range.start.character, b, mine[mine.length - 1].range.end.character);
      edit = theirs.length
        ? {
            range: rangeOf(copy.map, lineStart(copy, a), lineEnd(copy, b)),
            newText: originalText(theirs[0].line, theirs[theirs.length - 1].line),
          }
        : // Lines only the copy has go whole, line break and all.
          { range: rangeOf(copy.map, lineStart(copy, a), lineStart(copy, b + 1)), newText: '' };
    } else {
      const text = originalText(theirs[0].line, theirs[theirs.length - 1].line);
      if (before) {
        const at = rangeOf(copy.map, lineEnd(copy, before.line), lineEnd(copy, before.line));
        // With the blank lines and comments the original has above them.
        const lead = theirsBefore
          ? original.map.text
              .slice(lineEnd(original, theirsBefore.line), lineStart(original, theirs[0].line))
              .replace(/\r?\n/g, nl)
          : nl;
        edit = { range: at, newText: lead + text };
        r = before.range;
      } else {
        const off = after ? lineStart(copy, after.line) : copy.map.text.length;
        const at = rangeOf(copy.map, off, off);
        const needsBreak = !after && off > 0 && !copy.map.text.endsWith('\n');
        edit = { range: at, newText: after ? text + nl : (needsBreak ? nl : '') + text + nl };
        r = after ? after.range : at;
      }
    }
    const what = describe(mine, theirs, ctx);
    out.push({
      file: copy.file,
      range: r,
      severity: 'warning',
      code: 'copy-drift',
      message: what,
      related: related(theirs),
      fixes: [
        {
          title: theirs.length
            ? `Take ${theirs.length === 1 ? 'this line' : `these ${theirs.length} lines`} from ${ctx.rel}`
            : `Remove ${mine.length === 1 ? 'this line' : `these ${mine.length} lines`} (not in ${ctx.rel})`,
          preferred: true,
          edits: [edit],
        },
      ],
      syscall: syscallOf([...mine, ...theirs]),
    });
  }
  return out;
}

export const rule: Rule<LinesContext> = {
  codes: ['copy-drift'],
  about:
    "A copy the kernel tree keeps for its tools (`tools/include/uapi/asm-generic/unistd.h`, `tools/arch/<arch>/include/uapi/asm/unistd*.h`) against its original in the same tree (`include/uapi/asm-generic/unistd.h`, `arch/<arch>/include/uapi/asm/`), line by line with comments and spacing aside: numbers, names, entry points, `__ARCH_WANT_*` switches, includes and conditions. Each run of differing lines is one finding that says which defines and `__SYSCALL` lines changed, are missing or are extra; its fix puts the original's lines in their place, so after fix-all the copy's lines are the original's.",
  run: lineDrift,
};
