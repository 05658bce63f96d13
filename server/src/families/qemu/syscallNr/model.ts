// QEMU `linux-user/<target>/syscall_nr.h`: syscall numbers as C macros, in every form QEMU
// 7.2 uses. Hand-written or `gensyscalls.sh`-written lists (`#define TARGET_NR_read 63`),
// expressions over a base (`(TARGET_NR_Linux + 3)`, `(TARGET_NR_timer_create+1)`,
// `(TARGET_NR_arch_specific_syscall + 15)`), stubs that only `#include` the header
// `syscallhdr.sh` generates (`#include "syscall_o32_nr.h"`), `#if`/`#ifdef` blocks
// choosing one of several, and arch-private prefixes (`ARM_NR_BASE`, `ARM_NR_set_tls`).
// A small exact line parser: preprocessor lines are line-oriented, and every range is
// exact so that fixes touch only the number or the name.
import { LineMap, lineMap, looksBinary, splitLines } from '../../../core/text';
import { Range, range } from '../../../core/types';
import { stripLineComments } from '../../../syntax/c/comments';
import { branchConditions, Conditional, Conditionals, directiveAt } from '../../../syntax/c/preprocessor';

/**
 * What a `#define` is: a syscall number; a base other numbers are computed from
 * (`TARGET_NR_Linux`, `ARM_NR_BASE`, `TARGET_NR_arch_specific_syscall`); the count
 * `TARGET_NR_syscalls`; or an arch-private call outside the kernel's table
 * (`ARM_NR_cacheflush`, numbered from an `*_BASE`).
 */
export type NrKind = 'syscall' | 'base' | 'count' | 'private';

export interface NrDefine {
  /** The whole macro name, e.g. `TARGET_NR_read`. */
  macro: string;
  /** The prefix matched, e.g. `TARGET_NR_` or `ARM_NR_`. */
  prefix: string;
  /** The macro name without its prefix: the syscall name for kind `syscall`. */
  name: string;
  /** The value expression as written, without comments or surrounding blanks. */
  value: string;
  /** The value evaluated, when every name in it is known. */
  number?: number;
  kind: NrKind;
  /** Zero-based line of the `#define`. */
  line: number;
  ranges: { macro: Range; name: Range; value: Range; line: Range };
  /** The enclosing `#if` conditions, innermost last (`!X` for an `#else` branch). */
  conditions: string[];
  /** A trailing comment on the line, if any. */
  comment?: string;
}

/** Any other `#define` (include guards, `TARGET_SYSCALL_OFFSET`, ...). */
export interface NrMacro { macro: string; value: string; number?: number; line: number; range: Range; conditions: string[] }

export interface NrInclude { path: string; system: boolean; line: number; range: Range; conditions: string[] }

export interface NrProblem { line: number; range: Range; message: string }

export interface NrModel {
  file: string;
  defines: NrDefine[];
  macros: NrMacro[];
  includes: NrInclude[];
  /** The include guard macro, when the file has the usual `#ifndef G` / `#define G`. */
  guard?: string;
  /**
   * True when the file only includes other headers (the stubs in front of the headers
   * `syscallhdr.sh` generates): there is nothing hand-written to check or fix.
   */
  stub: boolean;
  problems: NrProblem[];
  binary: boolean;
  map: LineMap;
  /** How the file writes a define, for inserting new ones in its style. */
  style: NrStyle;
}

export interface NrStyle {
  /** Text between the macro name and the value: ' ', '\t', '\t\t', ... */
  separator: string;
  /** The line break the file uses. */
  eol: string;
}

export interface ParseNrOptions {
  /** Macro prefixes that name syscall numbers; default `TARGET_NR_` and `ARM_NR_`. */
  prefixes?: string[];
  /** Values of names defined elsewhere (e.g. `TARGET_SYSCALL_OFFSET`). */
  known?: Record<string, number>;
}

const DEFAULT_PREFIXES = ['TARGET_NR_', 'ARM_NR_'];
/** Names that are bases of other numbers, never syscalls themselves. */
const BASE_NAMES = /^(Linux|BASE|SYSCALL_BASE|arch_specific_syscall|syscall_base)$|_BASE$/;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Evaluates a C integer constant expression over known names; undefined if any is unknown. */
export function evalExpr(text: string, lookup: (name: string) => number | undefined): number | undefined {
  const toks: string[] = [];
  const re = /\s*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|\s*([A-Za-z_][A-Za-z0-9_]*)|\s*(<<|>>|[-+*/%|&^~()])|\s*$/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m || m[0].length === 0) { if (pos < text.length) return undefined; break; }
    toks.push((m[1] ?? m[2] ?? m[3] ?? '').trim());
    pos = re.lastIndex;
  }
  const t = toks.filter(x => x !== '');
  let i = 0;
  const num = (s: string) => (/^0[xX]/.test(s) ? parseInt(s, 16) : /^0\d/.test(s) ? parseInt(s, 8) : Number(s));
  const prec: Record<string, number> = { '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };
  // Deeper nesting than any real header: give up rather than exhaust the stack.
  let depth = 0;
  const primary = (): number | undefined => {
    if (++depth > 200) return undefined;
    try { return primaryAt(); } finally { depth--; }
  };
  const primaryAt = (): number | undefined => {
    const tok = t[i++];
    if (tok === undefined) return undefined;
    if (tok === '(') { const v = binary(0); if (t[i++] !== ')') return undefined; return v; }
    if (tok === '-') { const v = primary(); return v === undefined ? v : -v; }
    if (tok === '+') return primary();
    if (tok === '~') { const v = primary(); return v === undefined ? v : ~v; }
    if (/^\d/.test(tok)) return num(tok);
    if (/^[A-Za-z_]/.test(tok)) return lookup(tok);
    return undefined;
  };
  const binary = (min: number): number | undefined => {
    let left = primary();
    for (;;) {
      const op = t[i];
      const p = op === undefined ? undefined : prec[op];
      if (p === undefined || p <= min) return left;
      i++;
      const right = binary(p);
      if (left === undefined || right === undefined) { left = undefined; continue; }
      switch (op) {
        case '|': left = left | right; break;
        case '^': left = left ^ right; break;
        case '&': left = left & right; break;
        case '<<': left = left * 2 ** right; break;
        case '>>': left = Math.floor(left / 2 ** right); break;
        case '+': left = left + right; break;
        case '-': left = left - right; break;
        case '*': left = left * right; break;
        case '/': left = right === 0 ? undefined : Math.trunc(left / right); break;
        case '%': left = right === 0 ? undefined : left % right; break;
      }
    }
  };
  if (!t.length) return undefined;
  const v = binary(0);
  return i === t.length ? v : undefined;
}

export function parseSyscallNr(file: string, text: string, opts: ParseNrOptions = {}): NrModel {
  const map = lineMap(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const model: NrModel = {
    file, defines: [], macros: [], includes: [], stub: false, problems: [], binary: false, map,
    style: { separator: ' ', eol },
  };
  if (looksBinary(text)) {
    model.binary = true;
    model.problems.push({ line: 0, range: range(0, 0, 0, 0), message: 'this file is binary, not a syscall header; nothing in it can be read' });
    return model;
  }
  const prefixes = opts.prefixes ?? DEFAULT_PREFIXES;
  const values = new Map<string, number>(Object.entries(opts.known ?? {}));
  const lookup = (n: string) => values.get(n);
  // Each branch's value is its test as shown (`defined(X)` for `#ifdef X`) and its line;
  // the include guard's own branch shows nothing.
  const stack = new Conditionals<{ test: string; line: number }>(true);
  let guardGroup: Conditional<{ test: string; line: number }> | undefined;
  const conditions = () => stack.open.flatMap(g => (g === guardGroup && g.branches.length === 1 ? []
    : branchConditions(g).map(c => (c.negated ? `!(${c.value.test})` : c.value.test))));
  let inComment = false;
  let firstDirective = true;
  let pendingGuard: string | undefined;
  const lines = splitLines(text);
  const separators = new Map<string, number>();
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].replace(/\r$/, '');
    const stripped = stripLineComments(raw, inComment);
    inComment = stripped.inComment;
    const code = stripped.code;
    const m = directiveAt(code);
    if (!m) {
      if (code.trim() !== '') model.problems.push({ line: n, range: range(n, code.length - code.trimStart().length, n, code.trimEnd().length), message: 'not a preprocessor line: a syscall header holds only `#define`, `#include` and conditionals' });
      continue;
    }
    const directive = m.name;
    const rest = code.slice(m.restStart);
    const restStart = m.restStart;
    const lineRange = range(n, m.indent, n, code.trimEnd().length);
    if (code.trimEnd().endsWith('\\')) {
      model.problems.push({ line: n, range: lineRange, message: 'a directive continued on the next line (`\\`) is not read by systab' });
      continue;
    }
    const wasFirst = firstDirective;
    firstDirective = false;
    const guardCandidate = pendingGuard;
    pendingGuard = undefined;
    switch (directive) {
      case 'define': {
        const nameRe = new RegExp(IDENT.source, 'y');
        const ws = /\s*/y;
        ws.lastIndex = 0;
        ws.exec(rest);
        const nameStart = ws.lastIndex;
        nameRe.lastIndex = nameStart;
        const nm = nameRe.exec(rest);
        if (!nm || nameStart === 0) { model.problems.push({ line: n, range: lineRange, message: '`#define` without a macro name' }); break; }
        const macro = nm[0];
        const afterName = nameStart + macro.length;
        if (rest[afterName] === '(') { model.problems.push({ line: n, range: lineRange, message: `\`${macro}\` is a function-like macro, not a syscall number` }); break; }
        const valueText = rest.slice(afterName);
        const vStartIn = valueText.length - valueText.trimStart().length;
        const value = valueText.trim();
        const vs = restStart + afterName + vStartIn;
        const ve = vs + value.length;
        const ms = restStart + nameStart, me = ms + macro.length;
        const number = value === '' ? undefined : evalExpr(value, lookup);
        if (number !== undefined) values.set(macro, number);
        if (guardCandidate === macro && value === '') {
          model.guard = macro;
          guardGroup = stack.top;
          break;
        }
        const prefix = prefixes.find(p => macro.startsWith(p) && macro.length > p.length);
        if (!prefix) {
          model.macros.push({ macro, value, number, line: n, range: range(n, ms, n, me), conditions: conditions() });
          break;
        }
        const name = macro.slice(prefix.length);
        let kind: NrKind = 'syscall';
        if (name === 'syscalls') kind = 'count';
        else if (BASE_NAMES.test(name)) kind = 'base';
        else if (prefix !== prefixes[0] || /\b[A-Za-z0-9_]*_BASE\b/.test(value)) kind = 'private';
        if (value === '') model.problems.push({ line: n, range: range(n, ms, n, me), message: `\`${macro}\` has no value` });
        model.defines.push({
          macro, prefix, name, value, number, kind, line: n,
          ranges: { macro: range(n, ms, n, me), name: range(n, ms + prefix.length, n, me), value: range(n, vs, n, ve), line: lineRange },
          conditions: conditions(), comment: stripped.comment || undefined,
        });
        if (kind === 'syscall' && /^(0[xX][0-9a-fA-F]+|\d+)$/.test(value)) {
          const sep = raw.slice(me, vs);
          separators.set(sep, (separators.get(sep) ?? 0) + 1);
        }
        break;
      }
      case 'include': {
        const inc = /^\s*(?:"([^"]*)"|<([^>]*)>)/.exec(rest);
        if (!inc) { model.problems.push({ line: n, range: lineRange, message: '`#include` without a file name' }); break; }
        model.includes.push({ path: inc[1] ?? inc[2], system: inc[2] !== undefined, line: n, range: lineRange, conditions: conditions() });
        break;
      }
      case 'ifndef': case 'ifdef': case 'if': case 'elif': case 'else': case 'endif': {
        const cond = rest.trim();
        const test = directive === 'ifdef' ? `defined(${cond})` : directive === 'ifndef' ? `!defined(${cond})` : cond;
        if (stack.step(directive, () => ({ test, line: n })) === 'without-if') model.problems.push({ line: n, range: lineRange, message: `\`#${directive}\` without \`#if\`` });
        if (directive === 'ifndef' && wasFirst && /^[A-Za-z_][A-Za-z0-9_]*$/.test(cond)) pendingGuard = cond;
        break;
      }
      case 'undef': {
        const u = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
        if (u) values.delete(u[1]);
        break;
      }
      case 'error': case 'warning': case 'pragma': case 'line':
        break;
      default:
        model.problems.push({ line: n, range: lineRange, message: `unknown directive \`#${directive}\`` });
    }
  }
  // Macros expand where they are used, not where they are defined: a value may name a
  // macro defined further down (nios2 `TARGET_NR_cacheflush` before
  // `TARGET_NR_arch_specific_syscall`). Resolve what is left against the whole file.
  for (let changed = true; changed;) {
    changed = false;
    for (const d of [...model.defines, ...model.macros]) {
      if (d.number !== undefined || d.value === '') continue;
      const v = evalExpr(d.value, lookup);
      if (v !== undefined) { d.number = v; values.set(d.macro, v); changed = true; }
    }
  }
  for (const d of model.defines) {
    if (d.number !== undefined || d.value === '') continue;
    const unknown = (d.value.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter(x => !values.has(x) && !/^[uUlL]+$/.test(x));
    model.problems.push({ line: d.line, range: d.ranges.value, message: unknown.length
      ? `the value of \`${d.macro}\` uses ${unknown.map(u => `\`${u}\``).join(', ')}, not defined in this file`
      : `the value of \`${d.macro}\` is not an integer expression` });
  }
  model.problems.sort((a, b) => a.line - b.line);
  for (const g of stack.open) {
    const line = g.branches[0].value.line;
    model.problems.push({ line, range: range(line, 0, line, lineText(lines, line).length), message: 'this `#if` has no `#endif`' });
  }
  model.stub = model.includes.length > 0 && !model.defines.some(d => d.kind === 'syscall');
  const sep = [...separators].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (sep !== undefined) model.style.separator = sep;
  return model;
}

const lineText = (lines: string[], n: number) => (lines[n] ?? '').replace(/\r$/, '');

/** The syscall defines by name (first wins) and by number (all of them). */
export function nrIndex(model: NrModel): { byName: Map<string, NrDefine>; byNumber: Map<number, NrDefine[]> } {
  const byName = new Map<string, NrDefine>();
  const byNumber = new Map<number, NrDefine[]>();
  for (const d of model.defines) {
    if (d.kind !== 'syscall') continue;
    if (!byName.has(d.name)) byName.set(d.name, d);
    if (d.number !== undefined) byNumber.set(d.number, [...(byNumber.get(d.number) ?? []), d]);
  }
  return { byName, byNumber };
}

/** A `#define` line for `macro` = `value` in the file's style (its most common separator). */
export function renderDefine(model: NrModel, macro: string, value: string): string {
  return `#define ${macro}${model.style.separator}${value}`;
}
