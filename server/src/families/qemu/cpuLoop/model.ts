// What systab reads from a linux-user cpu_loop.c (or an older tree's main.c, where every
// target's loop lived): for MIPS o32, the argument table's declaration, the marker's
// #define, the bound before the table is indexed and the switch that fetches stack words;
// for ARM, the test that sends a number to the private syscalls and their switch. All from
// tree-sitter's tree, with exact spans for findings and fixes.
import * as path from 'path';
import type { Node, Tree } from 'web-tree-sitter';
import { LineMap, lineMap, looksBinary } from '../../../core/text';
import { stripComments } from '../../../syntax/c/comments';
import { evalExpr, readDefines } from '../../../syntax/c/defines';
import type { Parser } from '../../../syntax/c/parser';
import type { Reader } from '../../../core/reader';
import {
  O32Table,
  parseO32Table,
  ROW_WRAP_PREFIX,
  ROW_WRAP_SUFFIX,
  Span,
  UNUSED_MARKER,
  wrapPrefixFor,
} from '../o32/table';

export const TABLE = 'mips_syscall_args';

export interface MipsLoop {
  /** The declaration's element type as written (`uint8_t`), and where. */
  type: string;
  type_: Span;
  /** Every declaration of the table in the text (a stray copy too), each type and where. */
  types: { type: string; span: Span }[];
  decl: Span;
  /** Zero-based line of the declaration. */
  declLine: number;
  /** The rows: in this file (`MIPS_SYS`), or in the `.inc` the initializer includes. */
  rows?: O32Table;
  /** The included file, when the rows are there. */
  rowsFile?: string;
  /** Where the marker is defined before the table, with its value. */
  marker?: { value: string; span: Span };
  /** Uses of the marker or of `-1` as a row value (in whichever file holds the rows). */
  usesMarker: boolean;
  usesMinusOne: boolean;
  /** Tests `table[i] == MIPS_SYSCALL_NUMBER_UNUSED` in this file. */
  markerTests: Span[];
  /** Comparisons of an index with the table's size: `n >= sizeof(mips_syscall_args)`. */
  bounds: {
    span: Span;
    /** The comparison written as `index OP size`. */
    op: string;
    /** The operator as written, and where. */
    op_: Span;
    size: 'bytes' | 'elements';
    size_: Span;
  }[];
  /** `mips_syscall_args[n]` reads. */
  reads: Span[];
  /** `case N:` of the switch on the count that fetches stack words, with the stack offset it reads. */
  fetches: { count: number; offset?: number; span: Span; offset_?: Span }[];
}

export interface ArmCase {
  /** `ARM_NR_cacheflush`, or the expression as written. */
  label: string;
  /** Its offset from ARM_NR_BASE, when it can be evaluated. */
  offset?: number;
  span: Span;
  /** Assigns `env->regs[0]`. */
  setsR0: boolean;
  /** Leaves the case for a signal or another path (`goto`, `force_sig*`, `cpu_loop_exit`). */
  leaves: boolean;
}

export interface ArmLoop {
  /** The number tested against ARM_NR_BASE (`n`), the operator and its span. */
  variable: string;
  op: '>' | '>=';
  op_: Span;
  test: Span;
  cases: ArmCase[];
  /** The default's -ENOSYS range: the highest offset answered -ENOSYS (Infinity when every one is). */
  enosysMax?: number;
  enosys_?: Span;
  /** The default raises SIGILL for the rest. */
  sigill: boolean;
  defaultSpan?: Span;
  /** ARM_NR_BASE as QEMU defines it (target_syscall.h), when read. */
  base?: number;
}

export interface CpuLoopModel {
  file: string;
  map: LineMap;
  mips?: MipsLoop;
  arm?: ArmLoop;
}

const span = (n: Node): Span => ({ start: n.startIndex, end: n.endIndex });

/** Is this a cpu_loop.c, or the main.c of a tree that kept every loop there? */
export function isCpuLoopFile(file: string): boolean {
  const f = file.replace(/\\/g, '/');
  return (
    /(^|\/)linux-user\/[\w-]+\/cpu_loop\.c$/.test(f) ||
    /(^|\/)(mips|arm)\/cpu_loop\.c$/.test(f) ||
    /(^|\/)linux-user\/main\.c$/.test(f)
  );
}

export const mayHoldLoop = (text: string) => text.includes(TABLE) || /\bARM_NR_BASE\b/.test(text);

export function readCpuLoop(
  file: string,
  text: string,
  tree: Tree,
  io: Reader,
  parser?: Parser,
): CpuLoopModel | undefined {
  if (looksBinary(text)) return undefined;
  const model: CpuLoopModel = { file, map: lineMap(text) };
  const root = tree.rootNode;
  // Each walk of the tree only where its names occur (this runs on every edit).
  if (text.includes(TABLE)) model.mips = readMips(file, text, root, io, parser);
  if (/\bARM_NR_BASE\b/.test(text)) model.arm = readArm(file, text, root, io);
  return model;
}

const UNSIGNED = /^(uint\d+_t|u\d+|unsigned\b.*|bool|_Bool)$/;
/** Bytes per element of the types a QEMU table has used; undefined when not known. */
export function typeBytes(type: string): number | undefined {
  const t = type.replace(/\s+/g, ' ').trim();
  const m = /^u?int(\d+)_t$|^[us](\d+)$/.exec(t);
  if (m) return Number(m[1] ?? m[2]) / 8;
  if (/^(unsigned |signed )?char$/.test(t)) return 1;
  if (/^(unsigned |signed )?short( int)?$/.test(t)) return 2;
  if (/^(unsigned |signed )?int$|^unsigned$|^signed$/.test(t)) return 4;
  return undefined;
}
export const isUnsigned = (type: string) => UNSIGNED.test(type.replace(/\s+/g, ' ').trim());

function readMips(file: string, text: string, root: Node, io: Reader, parser?: Parser): MipsLoop | undefined {
  let decl: Node | undefined;
  for (const d of root.descendantsOfType('declaration')) {
    if (d && d.namedChildren.some(c => c?.type === 'init_declarator' && /\bmips_syscall_args\s*\[/.test(c.text))) {
      decl = d;
      break;
    }
  }
  // Declarations read from the text as well: one that tree-sitter's recovery swallowed still
  // has its type checked (and fixed), so fix-all reaches a fix-point.
  const code = stripComments(text);
  const types: MipsLoop['types'] = [];
  const declRe =
    /(^|[;{}\n])[ \t]*(?:static[ \t]+)?(?:const[ \t]+)?((?:unsigned[ \t]+|signed[ \t]+)?[A-Za-z_]\w*)[ \t]+mips_syscall_args[ \t]*\[/g;
  for (const m of code.matchAll(declRe)) {
    const start = m.index! + m[0].lastIndexOf(m[2], m[0].length - 'mips_syscall_args'.length);
    types.push({ type: m[2], span: { start, end: start + m[2].length } });
  }
  const typeNode = decl?.childForFieldName('type') ?? undefined;
  if (typeNode && !types.some(t => t.span.start === typeNode.startIndex))
    types.unshift({ type: typeNode.text, span: span(typeNode) });
  if (!types.length) return undefined;
  // Where tree-sitter found no declaration, the first one in the text stands in, up to the
  // initializer's closing `};` (or its line).
  types.sort((a, b) => a.span.start - b.span.start);
  const first = types[0];
  // The earliest declaration in the text, so the marker is looked for (and put) before all.
  const declSpan: Span =
    decl && typeNode && typeNode.startIndex <= first.span.start ? span(decl) : textualDecl(text, first.span.start);
  const out: MipsLoop = {
    type: first.type,
    type_: first.span,
    types,
    decl: declSpan,
    declLine: text.slice(0, declSpan.start).split('\n').length - 1,
    usesMarker: false,
    usesMinusOne: false,
    markerTests: [],
    bounds: [],
    reads: [],
    fetches: [],
  };
  // The rows: MIPS_SYS rows here, or the `.inc` included inside the initializer.
  const body = text.slice(declSpan.start, declSpan.end);
  const inc = /#\s*include\s*"([^"]+)"/.exec(body);
  let rowsText: string | undefined;
  if (inc) {
    const incFile = path.join(path.dirname(file), inc[1]);
    const incText = io.read(incFile);
    if (incText !== undefined && parser) {
      rowsText = incText;
      out.rows = includedRows(incFile, incText, parser);
      out.rowsFile = incFile;
    }
  } else {
    out.rows = parseO32Table(text, root.tree, 0);
    rowsText = body;
  }
  for (const r of out.rows?.rows ?? []) {
    if (r.value !== 'unused') continue;
    if (r.valueText.trim() === UNUSED_MARKER) out.usesMarker = true;
    else out.usesMinusOne = true;
  }
  // Also from the text, outside preprocessor lines: rows tree-sitter's recovery lost still count.
  if (rowsText && new RegExp(`^(?![ \\t]*#).*\\b${UNUSED_MARKER}\\b`, 'm').test(stripComments(rowsText)))
    out.usesMarker = true;
  // The marker's #define before the table: read from the lines (a preprocessor line is one
  // whatever tree-sitter's recovery makes of the code around it).
  const defRe = new RegExp(`^[ \\t]*#[ \\t]*define[ \\t]+${UNUSED_MARKER}\\b[ \\t]*([^\\n]*)`, 'gm');
  for (const d of text.slice(0, declSpan.start).matchAll(defRe)) {
    out.marker = {
      value: d[1].replace(/\/\*.*?\*\/|\/\/.*$/g, '').trim(),
      span: { start: d.index!, end: d.index! + d[0].length },
    };
  }
  // Comparisons and reads of the table.
  for (const b of root.descendantsOfType('binary_expression')) {
    if (!b) continue;
    const op = b.childForFieldName('operator')?.text ?? '';
    const left = b.childForFieldName('left');
    const right = b.childForFieldName('right');
    if (!left || !right) continue;
    if (op === '==' || op === '!=') {
      const sides = [left.text, right.text];
      if (sides.some(s => new RegExp(`^${TABLE}\\s*\\[`).test(s)) && sides.includes(UNUSED_MARKER))
        out.markerTests.push(span(b));
      continue;
    }
    if (!['<', '<=', '>', '>='].includes(op)) continue;
    // The size side: sizeof(table), ARRAY_SIZE(table), sizeof(table)/sizeof(table[0]), or a number.
    for (const [side, other, flipped] of [
      [right, left, false],
      [left, right, true],
    ] as const) {
      const s = side.text.replace(/\s+/g, '');
      let size: 'bytes' | 'elements' | undefined;
      if (new RegExp(`^sizeof\\(?${TABLE}\\)?$`).test(s)) size = 'bytes';
      else if (
        new RegExp(`^ARRAY_SIZE\\(${TABLE}\\)$`).test(s) ||
        new RegExp(`^\\(?sizeof\\(?${TABLE}\\)?/sizeof\\(?(\\*${TABLE}|${TABLE}\\[0\\])\\)?\\)?$`).test(s)
      )
        size = 'elements';
      if (!size || !/^[A-Za-z_]\w*$/.test(other.text)) continue;
      // Written as `index OP size`: a flipped comparison is turned round.
      const norm = flipped ? ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] : op;
      const opNode = b.childForFieldName('operator')!;
      out.bounds.push({ span: span(b), op: norm, op_: span(opNode), size, size_: span(side) });
      break;
    }
  }
  for (const s of root.descendantsOfType('subscript_expression')) {
    if (s && s.childForFieldName('argument')?.text === TABLE) out.reads.push(span(s));
  }
  out.fetches = stackFetches(root);
  return out;
}

// The included rows, parsed once per text of that file (a cpu_loop.c is re-checked on every edit).
const included = new Map<string, { text: string; table: O32Table | undefined }>();

function includedRows(file: string, text: string, parser: Parser): O32Table | undefined {
  const hit = included.get(file);
  if (hit && hit.text === text) return hit.table;
  const prefix = wrapPrefixFor(text) || ROW_WRAP_PREFIX;
  const t = parser.parse(prefix + text + ROW_WRAP_SUFFIX);
  const table = t ? parseO32Table(text, t, prefix.length) : undefined;
  t?.delete();
  included.set(file, { text, table });
  if (included.size > 8) included.delete(included.keys().next().value!);
  return table;
}

/** A declaration found in the text only: from its line's start to the `};` that ends it. */
function textualDecl(text: string, typeAt: number): Span {
  const start = text.lastIndexOf('\n', typeAt - 1) + 1;
  const close = text.indexOf('};', typeAt);
  const eol = text.indexOf('\n', typeAt);
  return { start, end: close >= 0 ? close + 2 : eol >= 0 ? eol : text.length };
}

/** `case 8: ... get_user_ual(arg8, sp_reg + 28)`: each count's case and the stack offset it reads. */
function stackFetches(root: Node): MipsLoop['fetches'] {
  for (const sw of root.descendantsOfType('switch_statement')) {
    if (!sw) continue;
    const body = sw.childForFieldName('body');
    const cases = (body?.namedChildren ?? []).filter((c): c is Node => c?.type === 'case_statement');
    if (!cases.some(c => /get_user_u?al\s*\(/.test(c.text))) continue;
    const out: MipsLoop['fetches'] = [];
    for (const c of cases) {
      const v = c.childForFieldName('value');
      if (!v || !/^\d+$/.test(v.text)) continue;
      const m = /get_user_u?al\s*\(\s*\w+\s*,\s*\w+\s*\+\s*(\d+)\s*\)/.exec(c.text);
      const at = m ? c.startIndex + m.index + m[0].lastIndexOf(m[1]) : undefined;
      out.push({
        count: Number(v.text),
        offset: m ? Number(m[1]) : undefined,
        span: span(v),
        offset_: at === undefined ? undefined : { start: at, end: at + m![1].length },
      });
    }
    return out;
  }
  return [];
}

/** ARM_NR_* as QEMU's target_syscall.h defines them (beside the file, or in arm/ for main.c). */
function qemuArmNumbers(file: string, io: Reader): Map<string, number> {
  const dir = path.dirname(file);
  for (const p of [path.join(dir, 'target_syscall.h'), path.join(dir, 'arm', 'target_syscall.h')]) {
    const t = io.read(p);
    if (t !== undefined) return readDefines(t.split('\n')).values;
  }
  return new Map();
}

function readArm(file: string, text: string, root: Node, io: Reader): ArmLoop | undefined {
  for (const ifs of root.descendantsOfType('if_statement')) {
    if (!ifs) continue;
    const cond = ifs.childForFieldName('condition');
    const test = cond?.namedChildren.find(c => c?.type === 'binary_expression');
    if (!test) continue;
    const op = test.childForFieldName('operator');
    const left = test.childForFieldName('left');
    const right = test.childForFieldName('right');
    if (!op || !left || !right || right.text !== 'ARM_NR_BASE' || (op.text !== '>' && op.text !== '>=')) continue;
    if (!/^[A-Za-z_]\w*$/.test(left.text)) continue;
    const sw = ifs
      .childForFieldName('consequence')
      ?.descendantsOfType('switch_statement')
      .find(s => s?.childForFieldName('condition')?.text.replace(/[()\s]/g, '') === left.text);
    if (!sw) continue;
    const values = qemuArmNumbers(file, io);
    const base = values.get('ARM_NR_BASE');
    const offsetOf = (expr: string) => {
      const v = evalExpr(expr, n => values.get(n));
      if (v !== undefined && base !== undefined) return v - base;
      // Without target_syscall.h: `ARM_NR_BASE + k` still says its offset.
      return evalExpr(expr, n => (n === 'ARM_NR_BASE' ? 0 : undefined));
    };
    const out: ArmLoop = {
      variable: left.text,
      op: op.text as '>' | '>=',
      op_: span(op),
      test: span(test),
      cases: [],
      sigill: false,
      base,
    };
    const cases = (sw.childForFieldName('body')?.namedChildren ?? []).filter(
      (c): c is Node => c?.type === 'case_statement',
    );
    for (const c of cases) {
      const v = c.childForFieldName('value');
      const stmts = c.namedChildren.filter(x => x && x.id !== v?.id).map(x => x!.text);
      const bodyText = stmts.join('\n');
      if (!v) {
        out.defaultSpan = { start: c.startIndex, end: c.startIndex + 'default'.length };
        out.sigill = /\bTARGET_SIGILL\b/.test(bodyText);
        // `if (n < 0xf0800) { ... -TARGET_ENOSYS ... }`, or -ENOSYS for every number.
        const m = new RegExp(`if\\s*\\(\\s*${left.text}\\s*(<=?)\\s*([^)]+?)\\s*\\)`).exec(bodyText);
        if (m && /-\s*TARGET_ENOSYS/.test(bodyText)) {
          const limit = offsetOf(m[2]) ?? evalExpr(m[2], () => undefined);
          // A bare number is a whole syscall number (0xf0800): make it an offset.
          const lit = evalExpr(m[2], () => undefined);
          const off = lit !== undefined && base === undefined ? lit - 0xf0000 : limit;
          if (off !== undefined) out.enosysMax = off - (m[1] === '<' ? 1 : 0);
          const at = c.text.indexOf(m[0]);
          out.enosys_ = { start: c.startIndex + at, end: c.startIndex + at + m[0].length };
        } else if (/-\s*TARGET_ENOSYS/.test(bodyText)) {
          out.enosysMax = Infinity;
          out.enosys_ = out.defaultSpan;
        }
        continue;
      }
      out.cases.push({
        label: v.text,
        offset: offsetOf(v.text),
        span: span(v),
        setsR0: /\bregs\s*\[\s*0\s*\]\s*=[^=]/.test(bodyText),
        leaves: /\bgoto\b|\bforce_sig\w*\s*\(|\bcpu_loop_exit\w*\s*\(|\bqueue_signal\s*\(/.test(bodyText),
      });
    }
    return out;
  }
  return undefined;
}
