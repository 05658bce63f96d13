// QEMU's MIPS o32 argument-count table, in either of its two styles:
//   designated  `[ 442] = 5, /* mount_setattr */`      (syscall-args-o32.c.inc)
//   mips-sys    `MIPS_SYS(sys_exit, 1)` numbered by position (older cpu_loop.c / main.c)
// Rows are read from tree-sitter's tree; rows tree-sitter buried in ERROR nodes are still
// found, and every row keeps exact offsets so edits touch only what they must.
import type { Node, Tree } from 'web-tree-sitter';
import { LineMap, lineMap, looksBinary, positionAt, rangeOf } from '../../../core/text';
import { Range } from '../../../core/types';

export type O32Style = 'designated' | 'mips-sys';
export const UNUSED_MARKER = 'MIPS_SYSCALL_NUMBER_UNUSED';

export interface Span {
  start: number;
  end: number;
}

export interface O32Row {
  /** The table slot: the syscall number less the o32 base (abis.ts). */
  number: number;
  /** The count, 'unused' for the marker or -1, undefined when it cannot be read. */
  value: number | 'unused' | undefined;
  valueText: string;
  name?: string;
  /** Offsets into the document text. */
  row: Span;
  value_: Span;
  name_?: Span;
  number_?: Span;
  /** Offset of the start and end (before the line break) of the row's line. */
  lineStart: number;
  lineEnd: number;
  /** A trailing `/* 4005 *\/` comment (mips-sys style). */
  trailingNumber?: { value: number; column: number };
}

export interface O32Problem {
  span: Span;
  message: string;
}

export interface O32Table {
  style: O32Style;
  rows: O32Row[];
  problems: O32Problem[];
  map: LineMap;
}

// The `, /* name */` after a designated row (sticky: matched at the row's end).
const TRAILING_NAME = /(\s*,?\s*\/\*\s*)(\w+)(\s*\*\/)/y;

export const ROW_WRAP_PREFIX = 'static const signed char systab_o32_args[] = {';
export const ROW_WRAP_SUFFIX = '\n};\n';

/** Does this file hold (or is it) an o32 table? Cheap textual test before parsing. */
export function mayHoldO32Table(file: string, text: string): boolean {
  const base = file.replace(/\\/g, '/').split('/').pop() ?? '';
  // One pass over the text: this runs on every edit of every C file (syscall.c is 13k lines).
  return /syscall-args-o32/.test(base) || /mips_syscall_args|\bMIPS_SYS\s*\(/.test(text);
}

/**
 * A bare `.inc` holds only rows; it is parsed inside a wrapper declaration so tree-sitter
 * sees an initializer list. Returns the prefix to prepend ('' when the file is whole C).
 */
export function wrapPrefixFor(text: string): string {
  if (/\bmips_syscall_args\s*\[\s*\]\s*=/.test(text)) return '';
  // Bare rows: the first line of code (after comments and #lines) is a row.
  const first = /^(?:\s*(?:\/\*[\s\S]*?\*\/|\/\/[^\n]*|#[^\n]*))*\s*(\S)/.exec(text);
  return first && (first[1] === '[' || text.startsWith('MIPS_SYS', first.index + first[0].length - 1))
    ? ROW_WRAP_PREFIX
    : '';
}

function valueOf(text: string): number | 'unused' | undefined {
  const t = text.replace(/\s+/g, '');
  if (t === UNUSED_MARKER || t === '-1') return 'unused';
  if (/^\d+$/.test(t)) return Number(t);
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return Number(t);
  return undefined;
}

/** The initializer list holding the table, or the root when the text was wrapped. */
function tableNode(root: Node, wrapped: boolean): Node | undefined {
  if (wrapped) return root;
  for (const decl of root.descendantsOfType('init_declarator')) {
    if (!decl) continue;
    const d = decl.childForFieldName('declarator');
    const v = decl.childForFieldName('value');
    if (d && v && /\bmips_syscall_args\b/.test(d.text) && v.type === 'initializer_list') return v;
  }
  // Rows that broke the declaration apart still sit after `mips_syscall_args[] = {`.
  return undefined;
}

interface RawRow {
  start: number;
  end: number;
  build: () => Omit<O32Row, 'number' | 'lineStart' | 'lineEnd'>;
}

// The last table read, to re-read after an edit inside one designated row's count (typing
// in the editor) without walking the tree again: the other rows are the same. One only:
// the table being edited (and asked for twice per edit, for the parse and the analysis).
let last: { text: string; prefixLength: number; table: O32Table } | undefined;
const PLAIN_COUNT = /^-?\d+$/;

// One table per parse: qemu/o32 and qemu/cpuLoop read the same tree of a cpu_loop.c.
const tables = new WeakMap<Tree, { text: string; prefixLength: number; table: O32Table | undefined }>();

/**
 * The o32 table in `text`, parsed by tree-sitter as `tree` (wrapped in `prefixLength`
 * characters of prefix); read once per tree, whichever family asks first.
 */
export function parseO32Table(text: string, tree: Tree, prefixLength: number): O32Table | undefined {
  const hit = tables.get(tree);
  if (hit && hit.text === text && hit.prefixLength === prefixLength) return hit.table;
  const table = readO32Table(text, tree, prefixLength);
  tables.set(tree, { text, prefixLength, table });
  return table;
}

function readO32Table(text: string, tree: Tree, prefixLength: number): O32Table | undefined {
  const kept =
    last?.prefixLength === prefixLength
      ? last.text === text
        ? last.table
        : afterCountEdit(last.text, last.table, text)
      : undefined;
  const table = kept ?? parseO32TableFresh(text, tree, prefixLength);
  last = table && { text, prefixLength, table };
  return table;
}

/**
 * The table after an edit that changed one designated row's plain slot or count into
 * another (`[ 240]` -> `[ 241]`, `5` -> `15`, `-1` -> `4`), else undefined. Such an edit
 * leaves every other row, and the tree's shape, as they were: the rows after it only move by
 * the change in length, and the edited row reads again from the text as a fresh read would.
 */
function afterCountEdit(old: string, table: O32Table, text: string): O32Table | undefined {
  if (table.style !== 'designated') return undefined;
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let q = 0;
  while (q < max - p && old.charCodeAt(old.length - 1 - q) === text.charCodeAt(text.length - 1 - q)) q++;
  const oldEnd = old.length - q;
  const delta = text.length - old.length;
  // The last row starting at or before the change (rows are in text order).
  let lo = 0,
    hi = table.rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (table.rows[mid].row.start <= p) lo = mid;
    else hi = mid - 1;
  }
  const row = table.rows[lo];
  if (!row) return undefined;
  const within = (x: Span | undefined) => !!x && x.start <= p && oldEnd <= x.end;
  const field = within(row.value_) ? row.value_ : within(row.number_) ? row.number_! : undefined;
  if (!field) return undefined;
  const plain = field === row.value_ ? PLAIN_COUNT : /^\d+$/;
  if (!plain.test(old.slice(field.start, field.end)) || !plain.test(text.slice(field.start, field.end + delta)))
    return undefined;
  // The row must still read as one designated row, ending where it ended (moved).
  DESIGNATED_ROW.lastIndex = row.row.start;
  const m = DESIGNATED_ROW.exec(text);
  if (!m || row.row.start + m[0].length !== row.row.end + delta) return undefined;
  const end = row.row.end + delta;
  const numAt = row.row.start + 1 + m[1].length;
  const edited: O32Row = {
    value: valueOf(m[3]),
    valueText: m[3],
    row: { start: row.row.start, end },
    value_: { start: end - m[3].length, end },
    number_: { start: numAt, end: numAt + m[2].length },
    number: Number(m[2]),
    lineStart: row.lineStart,
    lineEnd: row.lineEnd + delta,
  };
  TRAILING_NAME.lastIndex = end;
  const n = TRAILING_NAME.exec(text);
  if (n && end + n[0].length <= edited.lineEnd) {
    const at = end + n[0].length - n[2].length - n[3].length;
    edited.name = n[2];
    edited.name_ = { start: at, end: at + n[2].length };
  }
  const move = (x: Span): Span => ({ start: x.start + delta, end: x.end + delta });
  const rows = table.rows.map((r, i): O32Row => {
    if (i < lo || (i > lo && !delta)) return r;
    if (i === lo) return edited;
    const moved: O32Row = {
      ...r,
      row: move(r.row),
      value_: move(r.value_),
      lineStart: r.lineStart + delta,
      lineEnd: r.lineEnd + delta,
    };
    if (r.number_) moved.number_ = move(r.number_);
    if (r.name_) moved.name_ = move(r.name_);
    return moved;
  });
  // No line break changed: the same line starts, moved after the edit.
  const map: LineMap = { text, starts: delta ? table.map.starts.map(x => (x > p ? x + delta : x)) : table.map.starts };
  return { style: 'designated', rows, problems: designatedProblems(text, rows), map };
}

/** A designated table's problems: the rows whose count cannot be read. */
function designatedProblems(text: string, rows: O32Row[]): O32Problem[] {
  return rows
    .filter(r => r.value === undefined)
    .map(r => ({
      span: r.row,
      message: `row ${r.number} has no argument count that can be read (\`${text.slice(r.row.start, r.row.end).trim()}\`)`,
    }));
}

// A well-formed designated row, read from the text at the row's start.
const DESIGNATED_ROW = /\[(\s*)(\d+)\s*\]\s*=\s*(-?[A-Za-z0-9_]+)(?=\s*[,}/\n]|\s*$)/y;

/** The table read from the tree, row by row (what parseO32Table answers when no recent table applies). */
export function parseO32TableFresh(text: string, tree: Tree, prefixLength: number): O32Table | undefined {
  if (looksBinary(text)) return undefined;
  const map = lineMap(text);
  const wrapped = prefixLength > 0;
  const shift = (n: number) => n - prefixLength;
  const span = (n: Node): Span => ({ start: shift(n.startIndex), end: shift(n.endIndex) });
  const container = tableNode(tree.rootNode, wrapped);
  let region: Span;
  if (container) region = span(container);
  else {
    const m = /\bmips_syscall_args\s*\[\s*\]\s*=\s*\{/.exec(text);
    if (!m) return undefined;
    const close = text.indexOf('\n};', m.index);
    region = { start: m.index + m[0].length, end: close < 0 ? text.length : close };
  }
  const root = container ?? tree.rootNode;

  const designated: RawRow[] = [];
  const mipsSys: RawRow[] = [];
  // Only the node types rows are made of: far fewer nodes cross from WASM than a full walk.
  // A well-formed row is read from the text at the node's start (which costs nothing; any
  // other node field is a call into WASM); a row that does not read falls back to the tree.
  const DESIGNATED = DESIGNATED_ROW;
  const MIPS_SYS_ROW = /MIPS_SYS\s*\(\s*(\w+)\s*,\s*(-?\w+)\s*\)/y;
  for (const n of root.descendantsOfType(['initializer_pair', 'call_expression', 'identifier'])) {
    if (!n) continue;
    const start = shift(n.startIndex);
    if (start >= region.end || start < region.start) continue;
    const type = n.type;
    if (type === 'identifier') {
      // A bare `MIPS_SYSCALL_NUMBER_UNUSED,` row (not a designated value, not the #define).
      if (!text.startsWith(UNUSED_MARKER, start)) continue;
      // Not a designated value, not the #define, not the count inside MIPS_SYS(name, ...).
      const parent = n.parent?.type;
      if (parent === 'initializer_pair' || parent === 'preproc_def' || parent === 'argument_list') continue;
      const s = { start, end: start + UNUSED_MARKER.length };
      mipsSys.push({
        start,
        end: s.end,
        build: () => ({ value: 'unused' as const, valueText: UNUSED_MARKER, row: s, value_: s }),
      });
      continue;
    }
    if (type === 'initializer_pair') {
      DESIGNATED.lastIndex = start;
      const m = DESIGNATED.exec(text);
      if (m) {
        const s = { start, end: start + m[0].length };
        const numAt = start + 1 + m[1].length;
        const valAt = s.end - m[3].length;
        designated.push({
          start,
          end: s.end,
          build: () => ({
            value: valueOf(m[3]),
            valueText: m[3],
            row: s,
            value_: { start: valAt, end: s.end },
            number_: { start: numAt, end: numAt + m[2].length },
          }),
        });
        continue;
      }
      const s = span(n);
      const des = n.namedChildren.find(c => c?.type === 'subscript_designator');
      const num = des?.namedChildren.find(c => c?.type === 'number_literal');
      const val = n.childForFieldName('value');
      if (des && num && val) {
        designated.push({
          start: s.start,
          end: s.end,
          build: () => ({
            value: valueOf(val.text),
            valueText: val.text,
            row: s,
            value_: span(val),
            number_: span(num),
          }),
        });
      }
      continue;
    }
    if (!text.startsWith('MIPS_SYS', start)) continue;
    MIPS_SYS_ROW.lastIndex = start;
    const m = MIPS_SYS_ROW.exec(text);
    if (m) {
      const s = { start, end: start + m[0].length };
      const nameAt = text.indexOf(m[1], text.indexOf('(', start));
      const valAt = start + m[0].lastIndexOf(m[2]);
      mipsSys.push({
        start,
        end: s.end,
        build: () => ({
          value: valueOf(m[2]),
          valueText: m[2],
          name: m[1],
          row: s,
          value_: { start: valAt, end: valAt + m[2].length },
          name_: { start: nameAt, end: nameAt + m[1].length },
        }),
      });
      continue;
    }
    if (n.childForFieldName('function')?.text !== 'MIPS_SYS') continue;
    const s = span(n);
    const args = n.childForFieldName('arguments');
    // Direct arguments only (one level into ERROR nodes): a nested row is a row of its own.
    const ids = (args?.namedChildren ?? [])
      .flatMap(c => (c?.type === 'ERROR' ? c.namedChildren : [c]))
      .filter((x): x is Node => !!x && ['identifier', 'number_literal', 'unary_expression'].includes(x.type));
    const nameNode = ids.find(x => x.type === 'identifier');
    const valNode = [...ids].reverse().find(x => x.type !== 'identifier' && x !== nameNode);
    mipsSys.push({
      start: s.start,
      end: s.end,
      build: () => ({
        value: valNode ? valueOf(valNode.text) : undefined,
        valueText: valNode?.text ?? '',
        name: nameNode?.text,
        row: s,
        value_: valNode ? span(valNode) : { start: s.end, end: s.end },
        name_: nameNode ? span(nameNode) : undefined,
      }),
    });
  }
  const style: O32Style | undefined =
    designated.length >= mipsSys.length ? (designated.length ? 'designated' : undefined) : 'mips-sys';
  if (!style) return undefined;

  // Line bounds from the line map, which breaks lines where LSP does (lone \r included).
  const lineStartOf = (o: number) => map.starts[positionAt(map, o).line];
  const lineEndOf = (o: number) => {
    const next = map.starts[positionAt(map, o).line + 1];
    if (next === undefined) return text.length;
    return next - (text[next - 1] === '\n' && text[next - 2] === '\r' ? 2 : 1);
  };
  // Comments from the tree where rows are found by text too (MIPS_SYS); a designated row's
  // name is the comment that follows it on its line.
  const commentSpans =
    style === 'mips-sys'
      ? root
          .descendantsOfType('comment')
          .filter((c): c is Node => !!c)
          .map(span)
          .filter(c => c.end > region.start && c.start < region.end)
          .sort((a, b) => a.start - b.start)
      : [];
  const problems: O32Problem[] = [];

  const raws = style === 'designated' ? designated : mipsSys;
  if (style === 'mips-sys') addTextualRows(text, region, commentSpans, raws, problems);
  raws.sort((a, b) => a.start - b.start);

  // Rows and comments are both in text order: the comment after each row is found by a
  // pointer that only moves forward.
  let ci = 0;
  const commentAfter = (end: number, lineEnd: number) => {
    while (ci < commentSpans.length && commentSpans[ci].start < end) ci++;
    const c = commentSpans[ci];
    return c && c.start <= lineEnd ? c : undefined;
  };
  const rows: O32Row[] = raws.map((r, i) => {
    // The built object is fresh: complete it in place rather than copy it.
    const b = r.build();
    const lineStart = lineStartOf(b.row.start);
    const lineEnd = lineEndOf(b.row.end);
    const row = b as O32Row;
    row.number = i;
    row.lineStart = lineStart;
    row.lineEnd = lineEnd;
    if (style === 'designated') {
      row.number = Number(text.slice(b.number_!.start, b.number_!.end));
      // The name is the comment after the row on the same line: `[ 1] = 1, /* exit */`.
      TRAILING_NAME.lastIndex = b.row.end;
      const m = TRAILING_NAME.exec(text);
      if (m && b.row.end + m[0].length <= lineEnd) {
        const at = b.row.end + m[0].length - m[2].length - m[3].length;
        row.name = m[2];
        row.name_ = { start: at, end: at + m[2].length };
      }
    } else {
      const c = commentAfter(b.row.end, lineEnd);
      const m = c && /^\/\*\s*(\d+)\s*\*\/$/.exec(text.slice(c.start, c.end));
      if (c && m) row.trailingNumber = { value: Number(m[1]), column: c.start - lineStart };
    }
    if (row.value === undefined) {
      problems.push({
        span: b.row,
        message: `row ${style === 'designated' ? row.number : `#${i}`} has no argument count that can be read (\`${text.slice(b.row.start, b.row.end).trim()}\`)`,
      });
    }
    return row;
  });
  return { style, rows, problems, map };
}

/**
 * tree-sitter's error recovery can swallow a `MIPS_SYS(...)` row with a missing comma or
 * parenthesis; a textual pass over the same region (outside comments) finds those.
 */
function addTextualRows(text: string, region: Span, comments: Span[], raws: RawRow[], problems: O32Problem[]): void {
  const inComment = (o: number) => comments.some(c => o >= c.start && o < c.end);
  const covered = (o: number) => raws.some(r => o >= r.start && o < r.end);
  const body = text.slice(region.start, region.end);
  const re = /\bMIPS_SYS\s*\(([^()\n]*)\)?|\bMIPS_SYSCALL_NUMBER_UNUSED\b/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const at = region.start + m.index;
    if (inComment(at) || covered(at)) continue;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (/^\s*#/.test(text.slice(lineStart, at))) continue; // `#define MIPS_SYS(name, args) args,`
    const s = { start: at, end: at + m[0].length };
    if (m[0].startsWith('MIPS_SYSCALL')) {
      raws.push({
        start: s.start,
        end: s.end,
        build: () => ({ value: 'unused' as const, valueText: m![0], row: s, value_: s }),
      });
      continue;
    }
    const inner = m[1] ?? '';
    const parts = inner.split(/[\s,]+/).filter(Boolean);
    const name = /^\w+$/.test(parts[0] ?? '') ? parts[0] : undefined;
    const valText = parts.length > 1 ? parts[parts.length - 1] : '';
    const valAt = valText ? at + m[0].lastIndexOf(valText) : s.end;
    const nameAt = name ? at + m[0].indexOf(name, m[0].indexOf('(')) : 0;
    if (!m[1] || m[0].indexOf(')') < 0) problems.push({ span: s, message: 'this MIPS_SYS row is not closed with `)`' });
    raws.push({
      start: s.start,
      end: s.end,
      build: () => ({
        value: valText ? valueOf(valText) : undefined,
        valueText: valText,
        name,
        row: s,
        value_: { start: valAt, end: valAt + valText.length },
        name_: name ? { start: nameAt, end: nameAt + name.length } : undefined,
      }),
    });
  }
}

export const spanRange = (t: O32Table, s: Span): Range => rangeOf(t.map, s.start, s.end);
