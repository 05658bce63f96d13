// What FreeBSD's `sys/sys/syscall.h` says for a syscalls.master: a `#define SYS_name N` per
// number a program can call, a comment for numbers kept only for old binaries or retired
// (`/* 8 is old creat */`, `/* 11 is obsolete execv */`), nothing for reserved,
// unimplemented and module-slot numbers, and `SYS_MAXSYSCALL`, one past the last number.
// The same lines, with QEMU's prefix and spacing, are what bsd-user's syscall_nr.h copies.
import { compatDefines, compatOf, kindOf, MasterSyscall } from './master';

export interface HeaderLine {
  number: number;
  /** `define`: `#define SYS_<name> N`; `comment`: `/* N is <words> *\/`. */
  kind: 'define' | 'comment';
  /** The defined name (`freebsd13_swapoff`), or the comment's words after the number (`old creat`). */
  name: string;
  /** The syscall as syscalls.master names it, without a compat prefix (`swapoff`). */
  base: string;
  /** The entry it comes from. */
  entry: MasterSyscall;
}

/** The lines syscall.h has for each entry, in the file's order (the first of alternative entries wins). */
export function headerLines(entries: readonly MasterSyscall[]): HeaderLine[] {
  const out: HeaderLine[] = [];
  const seen = new Set<number>();
  for (const e of entries) {
    if (seen.has(e.number)) continue; // an #ifdef alternative: the first branch is the one written
    for (let n = e.number; n <= e.last; n++) seen.add(n);
    const base = e.name ?? '';
    const kind = kindOf(e);
    if (!base && kind !== 'obsolete') continue; // an entry whose name could not be read
    if (kind === 'live') out.push({ number: e.number, kind: 'define', name: base, base, entry: e });
    else if (kind === 'compat') {
      const gen = compatOf(e)!;
      if (compatDefines(gen))
        out.push({ number: e.number, kind: 'define', name: `freebsd${gen}_${base}`, base, entry: e });
      else
        out.push({
          number: e.number,
          kind: 'comment',
          name: `${gen === '' ? 'old' : `freebsd${gen}`} ${base}`,
          base,
          entry: e,
        });
    } else if (kind === 'obsolete')
      out.push({ number: e.number, kind: 'comment', name: base ? `obsolete ${base}` : 'obsolete', base, entry: e });
  }
  return out;
}

/** One past the highest number (`SYS_MAXSYSCALL`); 0 for no entries. */
export const maxSyscall = (entries: readonly MasterSyscall[]) => entries.reduce((m, e) => Math.max(m, e.last + 1), 0);

export interface HeaderStyle {
  /** The macro prefix: `SYS_` (FreeBSD), `TARGET_FREEBSD_NR_` (QEMU). */
  prefix: string;
  /** Expand tabs to spaces at 8-column stops (QEMU's copy). */
  expandTabs: boolean;
  eol: string;
}

export const FREEBSD_STYLE: HeaderStyle = { prefix: 'SYS_', expandTabs: false, eol: '\n' };

/** Tabs to spaces at stops every 8 columns. */
export function expandTabs(line: string): string {
  let out = '';
  for (const c of line) {
    if (c === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += c;
  }
  return out;
}

export function renderLine(
  l: { number: number; kind: 'define' | 'comment'; name: string },
  style: HeaderStyle,
): string {
  const s =
    l.kind === 'define' ? `#define\t${style.prefix}${l.name}\t${l.number}` : `\t\t\t\t/* ${l.number} is ${l.name} */`;
  return style.expandTabs ? expandTabs(s) : s;
}

export const renderMax = (max: number, style: HeaderStyle) =>
  renderLine({ number: max, kind: 'define', name: 'MAXSYSCALL' }, style);

/** The body of the header: every line and SYS_MAXSYSCALL, each ended by the style's line break. */
export function renderBody(entries: readonly MasterSyscall[], style: HeaderStyle): string {
  const lines = headerLines(entries).map(l => renderLine(l, style));
  lines.push(renderMax(maxSyscall(entries), style));
  return lines.map(l => l + style.eol).join('');
}

export const FREEBSD_PREAMBLE =
  '/*\n * System call numbers.\n *\n * DO NOT EDIT-- this file is automatically @generated.\n */\n\n';

/** sys/sys/syscall.h as FreeBSD generates it from syscalls.master. */
export function generateSyscallH(entries: readonly MasterSyscall[]): string {
  return FREEBSD_PREAMBLE + renderBody(entries, FREEBSD_STYLE);
}
