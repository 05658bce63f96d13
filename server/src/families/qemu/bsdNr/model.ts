// QEMU's bsd-user/freebsd/syscall_nr.h: FreeBSD's sys/sys/syscall.h with `SYS_` renamed to
// `TARGET_FREEBSD_NR_` and its tabs expanded to spaces: `#define TARGET_FREEBSD_NR_x  N`,
// a comment line for each number kept only for old binaries or retired
// (`/* 8 is old creat */`), and `TARGET_FREEBSD_NR_MAXSYSCALL`. Read as any header of
// numeric defines (the syscall_nr.h reader), plus the number comments and the file's style.
import { LineMap, lineText } from '../../../core/text';
import { Range, range } from '../../../core/types';
import { HeaderStyle } from '../../../reference/freebsd/header';
import { NrDefine, NrProblem, parseSyscallNr } from '../syscallNr/model';

export const BSD_PREFIX = 'TARGET_FREEBSD_NR_';

export const isBsdNr = (file: string) => /(^|[\\/])bsd-user[\\/]freebsd[\\/]syscall_nr\.h$/.test(file);

export interface BsdComment {
  number: number;
  /** The words after `is`: `old creat`, `obsolete execv`, `freebsd4 getfsstat`. */
  words: string;
  line: number;
  range: Range;
}

export interface BsdNrModel {
  file: string;
  /** The syscall defines, MAXSYSCALL aside, in file order. */
  defines: NrDefine[];
  max?: NrDefine;
  comments: BsdComment[];
  problems: NrProblem[];
  binary: boolean;
  map: LineMap;
  style: HeaderStyle;
  /** The first and last line of the numbered lines (defines, number comments, MAXSYSCALL). */
  body?: { first: number; last: number };
}

const COMMENT = /^(\s*)\/\*\s*(\d+)\s+is\s+(.*?)\s*\*\/\s*$/;

export function parseBsdNr(file: string, text: string): BsdNrModel {
  const nr = parseSyscallNr(file, text, { prefixes: [BSD_PREFIX] });
  const model: BsdNrModel = {
    file,
    defines: [],
    comments: [],
    problems: nr.problems,
    binary: nr.binary,
    map: nr.map,
    style: { prefix: BSD_PREFIX, expandTabs: true, eol: nr.style.eol },
  };
  if (nr.binary) return model;
  for (const d of nr.defines) {
    if (d.name === 'MAXSYSCALL') model.max = d;
    else model.defines.push(d);
  }
  const n = nr.map.starts.length;
  let tabs = 0,
    spaces = 0;
  for (let i = 0; i < n; i++) {
    const t = lineText(nr.map, i);
    const m = COMMENT.exec(t);
    if (m) {
      model.comments.push({
        number: Number(m[2]),
        words: m[3],
        line: i,
        range: range(i, m[1].length, i, t.trimEnd().length),
      });
      if (m[1].includes('\t')) tabs++;
      else if (m[1]) spaces++;
    }
  }
  for (const d of model.defines) {
    const t = lineText(nr.map, d.line);
    if (/^#\s*define\t|\t/.test(t)) tabs++;
    else spaces++;
  }
  model.style.expandTabs = spaces >= tabs;
  const lines = [
    ...model.defines.map(d => d.line),
    ...model.comments.map(c => c.line),
    ...(model.max ? [model.max.line] : []),
  ];
  if (lines.length) model.body = { first: Math.min(...lines), last: Math.max(...lines) };
  return model;
}

/** The whole of line `n`, for replacing it. */
export const lineRange = (map: LineMap, n: number): Range => range(n, 0, n, lineText(map, n).length);
