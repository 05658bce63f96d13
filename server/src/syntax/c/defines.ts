// Headers of numeric `#define`s, the way C headers number a list of things: every
// object-like `#define NAME <expr>` with exact ranges, the `#if` conditions around it and
// its value where every name in it is known, plus `#include`s and the include guard.
// Preprocessor lines are line-oriented, so a small exact line reader is right, and exact
// ranges let fixes touch only a number or a name.
import { Range, range } from '../../core/types';
import { branchConditions, Conditional, Conditionals, preprocessorLines } from './preprocessor';

export interface CDefine {
  macro: string;
  /** The value expression as written, without comments or surrounding blanks. */
  value: string;
  /** The value evaluated, when every name in it is known. */
  number?: number;
  /** Zero-based line of the `#define`. */
  line: number;
  ranges: { macro: Range; value: Range; line: Range };
  /** The enclosing `#if` conditions, innermost last (`!(X)` for an `#else` branch). */
  conditions: string[];
  /** A comment on the line, if any. */
  comment?: string;
  /** The text between the name and the value as written, for writing defines in a file's style. */
  separator: string;
}

export interface CInclude {
  path: string;
  system: boolean;
  line: number;
  range: Range;
  conditions: string[];
}

export interface DefineProblem {
  line: number;
  range: Range;
  message: string;
}

export interface DefinesHeader {
  /** Every `#define` but the include guard's, in file order. */
  defines: CDefine[];
  includes: CInclude[];
  /** The include guard macro, when the file has the usual `#ifndef G` / `#define G`. */
  guard?: string;
  /** What could not be read, in line order. */
  problems: DefineProblem[];
  /** The `#if`s with no `#endif`, at their lines. */
  unclosed: DefineProblem[];
  /** The values known at the end of the file (`#undef` applied), the given ones included. */
  values: Map<string, number>;
  /** Every `#undef`, in file order, with the conditions around it. */
  undefs: CUndef[];
}

export interface CUndef {
  macro: string;
  line: number;
  range: Range;
  conditions: string[];
}

export interface ReadDefinesOptions {
  /** Values of names defined elsewhere. */
  known?: Record<string, number>;
  /** What the file is, for messages (default 'a header of numeric defines'). */
  header?: string;
  /** What a define names, for messages (default 'a number'). */
  number?: string;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Evaluates a C integer constant expression over known names; undefined if any is unknown. */
export function evalExpr(text: string, lookup: (name: string) => number | undefined): number | undefined {
  const toks: string[] = [];
  const re =
    /\s*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|\s*([A-Za-z_][A-Za-z0-9_]*)|\s*(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%|&^~()<>!])|\s*$/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m || m[0].length === 0) {
      if (pos < text.length) return undefined;
      break;
    }
    toks.push((m[1] ?? m[2] ?? m[3] ?? '').trim());
    pos = re.lastIndex;
  }
  const t = toks.filter(x => x !== '');
  let i = 0;
  const num = (s: string) => (/^0[xX]/.test(s) ? parseInt(s, 16) : /^0\d/.test(s) ? parseInt(s, 8) : Number(s));
  // C's binary operators, loosest first (as in `#if` tests: `A || B && C == 1`).
  const prec: Record<string, number> = {
    '||': 1,
    '&&': 2,
    '|': 3,
    '^': 4,
    '&': 5,
    '==': 6,
    '!=': 6,
    '<': 7,
    '>': 7,
    '<=': 7,
    '>=': 7,
    '<<': 8,
    '>>': 8,
    '+': 9,
    '-': 9,
    '*': 10,
    '/': 10,
    '%': 10,
  };
  // Deeper nesting than any real header: give up rather than exhaust the stack.
  let depth = 0;
  const primary = (): number | undefined => {
    if (++depth > 200) return undefined;
    try {
      return primaryAt();
    } finally {
      depth--;
    }
  };
  const primaryAt = (): number | undefined => {
    const tok = t[i++];
    if (tok === undefined) return undefined;
    if (tok === '(') {
      const v = binary(0);
      if (t[i++] !== ')') return undefined;
      return v;
    }
    if (tok === '-') {
      const v = primary();
      return v === undefined ? v : -v;
    }
    if (tok === '+') return primary();
    if (tok === '~') {
      const v = primary();
      return v === undefined ? v : ~v;
    }
    if (tok === '!') {
      const v = primary();
      return v === undefined ? v : Number(!v);
    }
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
      if (left === undefined || right === undefined) {
        left = undefined;
        continue;
      }
      switch (op) {
        case '||':
          left = Number(!!left || !!right);
          break;
        case '&&':
          left = Number(!!left && !!right);
          break;
        case '==':
          left = Number(left === right);
          break;
        case '!=':
          left = Number(left !== right);
          break;
        case '<':
          left = Number(left < right);
          break;
        case '>':
          left = Number(left > right);
          break;
        case '<=':
          left = Number(left <= right);
          break;
        case '>=':
          left = Number(left >= right);
          break;
        case '|':
          left = left | right;
          break;
        case '^':
          left = left ^ right;
          break;
        case '&':
          left = left & right;
          break;
        case '<<':
          left = left * 2 ** right;
          break;
        case '>>':
          left = Math.floor(left / 2 ** right);
          break;
        case '+':
          left = left + right;
          break;
        case '-':
          left = left - right;
          break;
        case '*':
          left = left * right;
          break;
        case '/':
          left = right === 0 ? undefined : Math.trunc(left / right);
          break;
        case '%':
          left = right === 0 ? undefined : left % right;
          break;
      }
    }
  };
  if (!t.length) return undefined;
  const v = binary(0);
  return i === t.length ? v : undefined;
}

/**
 * The value of an `#if`/`#elif` test as the preprocessor takes it: `defined(X)` and
 * `defined X` by `isDefined`, every other name by `lookup` or 0 (a name with no numeric
 * value counts as 0 in `#if`). Undefined only when the test cannot be read.
 */
export function evalCondition(
  text: string,
  isDefined: (name: string) => boolean,
  lookup: (name: string) => number | undefined,
): number | undefined {
  const plain = text.replace(/\bdefined\s*(?:\(\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*))/g, (_, a, b) =>
    isDefined(a ?? b) ? '1' : '0',
  );
  return evalExpr(plain, name => lookup(name) ?? 0);
}

/** Reads the defines, includes and conditionals of a header; values are evaluated as they are defined (see resolveForward). */
export function readDefines(lines: string[], opts: ReadDefinesOptions = {}): DefinesHeader {
  const header = opts.header ?? 'a header of numeric defines';
  const what = opts.number ?? 'a number';
  const out: DefinesHeader = {
    defines: [],
    includes: [],
    problems: [],
    unclosed: [],
    values: new Map(Object.entries(opts.known ?? {})),
    undefs: [],
  };
  const values = out.values;
  const lookup = (n: string) => values.get(n);
  // Each branch's value is its test as shown (`defined(X)` for `#ifdef X`) and its line;
  // the include guard's own branch shows nothing.
  const stack = new Conditionals<{ test: string; line: number }>(true);
  let guardGroup: Conditional<{ test: string; line: number }> | undefined;
  const conditions = () =>
    stack.open.flatMap(g =>
      g === guardGroup && g.branches.length === 1
        ? []
        : branchConditions(g).map(c => (c.negated ? `!(${c.value.test})` : c.value.test)),
    );
  let firstDirective = true;
  let pendingGuard: string | undefined;
  const read = preprocessorLines(lines);
  for (const { line: n, raw, code, comment, directive: m, continued } of read) {
    if (!m) {
      if (code.trim() !== '')
        out.problems.push({
          line: n,
          range: range(n, code.length - code.trimStart().length, n, code.trimEnd().length),
          message: `not a preprocessor line: ${header} holds only \`#define\`, \`#include\` and conditionals`,
        });
      continue;
    }
    const directive = m.name;
    const rest = m.rest;
    const restStart = m.restStart;
    const lineRange = range(n, m.indent, n, code.trimEnd().length);
    if (continued) {
      out.problems.push({
        line: n,
        range: lineRange,
        message: 'a directive continued on the next line (`\\`) is not read by systab',
      });
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
        if (!nm || nameStart === 0) {
          out.problems.push({ line: n, range: lineRange, message: '`#define` without a macro name' });
          break;
        }
        const macro = nm[0];
        const afterName = nameStart + macro.length;
        if (rest[afterName] === '(') {
          out.problems.push({
            line: n,
            range: lineRange,
            message: `\`${macro}\` is a function-like macro, not ${what}`,
          });
          break;
        }
        const valueText = rest.slice(afterName);
        const vStartIn = valueText.length - valueText.trimStart().length;
        const value = valueText.trim();
        const vs = restStart + afterName + vStartIn;
        const ve = vs + value.length;
        const ms = restStart + nameStart,
          me = ms + macro.length;
        const number = value === '' ? undefined : evalExpr(value, lookup);
        if (number !== undefined) values.set(macro, number);
        if (guardCandidate === macro && value === '') {
          out.guard = macro;
          guardGroup = stack.top;
          break;
        }
        out.defines.push({
          macro,
          value,
          number,
          line: n,
          ranges: { macro: range(n, ms, n, me), value: range(n, vs, n, ve), line: lineRange },
          conditions: conditions(),
          comment: comment || undefined,
          separator: raw.slice(me, vs),
        });
        break;
      }
      case 'include': {
        const inc = /^\s*(?:"([^"]*)"|<([^>]*)>)/.exec(rest);
        if (!inc) {
          out.problems.push({ line: n, range: lineRange, message: '`#include` without a file name' });
          break;
        }
        out.includes.push({
          path: inc[1] ?? inc[2],
          system: inc[2] !== undefined,
          line: n,
          range: lineRange,
          conditions: conditions(),
        });
        break;
      }
      case 'ifndef':
      case 'ifdef':
      case 'if':
      case 'elif':
      case 'else':
      case 'endif': {
        const cond = rest.trim();
        const test = directive === 'ifdef' ? `defined(${cond})` : directive === 'ifndef' ? `!defined(${cond})` : cond;
        if (stack.step(directive, () => ({ test, line: n })) === 'without-if')
          out.problems.push({ line: n, range: lineRange, message: `\`#${directive}\` without \`#if\`` });
        if (directive === 'ifndef' && wasFirst && /^[A-Za-z_][A-Za-z0-9_]*$/.test(cond)) pendingGuard = cond;
        break;
      }
      case 'undef': {
        const u = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
        if (u) {
          values.delete(u[1]);
          const s = restStart + u[0].length - u[1].length;
          out.undefs.push({ macro: u[1], line: n, range: range(n, s, n, s + u[1].length), conditions: conditions() });
        }
        break;
      }
      case 'error':
      case 'warning':
      case 'pragma':
      case 'line':
        break;
      default:
        out.problems.push({ line: n, range: lineRange, message: `unknown directive \`#${directive}\`` });
    }
  }
  for (const g of stack.open) {
    const line = g.branches[0].value.line;
    out.unclosed.push({
      line,
      range: range(line, 0, line, read[line].raw.length),
      message: 'this `#if` has no `#endif`',
    });
  }
  return out;
}

/**
 * Macros expand where they are used, not where they are defined: a value may name a macro
 * defined further down. Evaluates what is left against the whole file, in the order given
 * (it decides which of two definitions of a name wins), and records the new values.
 */
export function resolveForward(
  defines: { macro: string; value: string; number?: number }[],
  values: Map<string, number>,
): void {
  const lookup = (n: string) => values.get(n);
  for (let changed = true; changed;) {
    changed = false;
    for (const d of defines) {
      if (d.number !== undefined || d.value === '') continue;
      const v = evalExpr(d.value, lookup);
      if (v !== undefined) {
        d.number = v;
        values.set(d.macro, v);
        changed = true;
      }
    }
  }
}

/** The names in a value that have no value (integer suffixes aside). */
export function unknownNames(value: string, values: Map<string, number>): string[] {
  return (value.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter(x => !values.has(x) && !/^[uUlL]+$/.test(x));
}
