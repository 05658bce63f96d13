// QEMU's `linux-user/strace.list`: initializer rows of `scnames[]` in strace.c,
//   { TARGET_NR_name, "name" , "%s(%d,%p)", print_fn, result_fn },
// each inside `#ifdef TARGET_NR_name` ... `#endif`. Rows span lines (the result function
// often sits on the next one), formats concatenate strings with QEMU macros
// ("%s(%d," TARGET_ABI_FMT_ld ")"), and a few rows sit in `#if defined(TARGET_I386) ...
// #elif defined(TARGET_M68K)` branches. The file is a fragment (no enclosing declaration),
// so a small exact tokenizer is right: it keeps every field's range and reads the
// preprocessor lines that tree-sitter would leave in ERROR nodes.
import { binaryProblem, LineMap, lineMap, looksBinary, rangeOf } from '../../../core/text';
import { Range } from '../../../core/types';
import { stripComments } from '../../../syntax/c/comments';
import { Conditional, Conditionals, directiveAt, directiveEnd } from '../../../syntax/c/preprocessor';

/** A test of one macro in a conditional directive: `#ifdef X`, `#if !defined(X)`. */
export interface StraceTest {
  macro: string;
  negated: boolean;
  range: Range;
}

export type StraceDirective = 'ifdef' | 'ifndef' | 'if' | 'elif' | 'else';

/** One branch of a conditional group the row sits in. */
export interface StraceCondition {
  /** Index of the group (its opening directive) in the file, from 0. */
  group: number;
  /** Which branch of that group (0 for the `#if`, 1 for the first `#elif`/`#else`, ...). */
  branch: number;
  directive: StraceDirective;
  /** The directive line as written, without a trailing comment. */
  text: string;
  line: number;
  range: Range;
  /** The macros the branch tests. */
  tests: StraceTest[];
  /** True when the branch holds only if every test holds (a single test or `&&` only). */
  conjunctive: boolean;
}

/** The nearest enclosing branch that requires a `TARGET_NR_` macro. */
export interface StraceGuard {
  /** The first `TARGET_NR_` macro the branch requires, e.g. `TARGET_NR_accept`. */
  macro: string;
  /** The syscall it names (`accept`). */
  name: string;
  range: Range;
  line: number;
  /** Every `TARGET_NR_` macro the branch tests positively (`#if defined(A) || defined(B)`). */
  macros: { macro: string; range: Range }[];
}

export type StraceFormatPart =
  { kind: 'string'; value: string; range: Range } | { kind: 'macro'; name: string; range: Range };

export interface StraceFormat {
  /** The format as written (strings and macros), e.g. `"%s(%d," TARGET_ABI_FMT_ld ")"`. */
  text: string;
  parts: StraceFormatPart[];
  range: Range;
}

export interface StraceEntry {
  /** The number macro, `TARGET_NR_accept`. */
  nr: string;
  /** The syscall, from the macro: `accept`. */
  name: string;
  /** The string printed for it: `"accept"`'s value. */
  string: string;
  /** NULL when the print function (or the default format) prints instead. */
  format: StraceFormat | null;
  print: string | null;
  result: string | null;
  guard?: StraceGuard;
  /** The enclosing branches, outermost first. */
  conditions: StraceCondition[];
  /** Zero-based line of the opening brace. */
  line: number;
  ranges: {
    /** From `{` to `}`. */
    row: Range;
    nr: Range;
    /** The `name` part of `TARGET_NR_name`. */
    name: Range;
    /** The string literal, quotes included. */
    string: Range;
    /** `NULL` or the whole format (every string and macro). */
    format: Range;
    print: Range;
    result: Range;
  };
}

export interface StraceProblem {
  line: number;
  range: Range;
  message: string;
}

export interface StraceListModel {
  file: string;
  entries: StraceEntry[];
  problems: StraceProblem[];
  binary: boolean;
  map: LineMap;
}

interface Token {
  kind: 'ident' | 'string' | 'number' | 'punct';
  text: string;
  start: number;
  end: number;
  value?: string;
}

const NR_PREFIX = 'TARGET_NR_';
const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_]/;

/** Decode a C string literal's body (escapes kept as the characters they stand for). */
function decodeString(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, (_, e: string) => {
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '0': '\0',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
    };
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return simple[e] ?? e;
  });
}

/** `prefix`: the number macros' prefix, `TARGET_NR_` (linux-user) or `TARGET_FREEBSD_NR_` (bsd-user). */
export function parseStraceList(file: string, text: string, prefix = NR_PREFIX): StraceListModel {
  const map = lineMap(text);
  const model: StraceListModel = { file, entries: [], problems: [], binary: false, map };
  if (looksBinary(text)) {
    model.binary = true;
    model.problems.push(binaryProblem('a strace.list'));
    return model;
  }
  const r = (s: number, e: number) => rangeOf(map, s, e);
  const problem = (s: number, e: number, message: string) => {
    const rg = r(s, e);
    model.problems.push({ line: rg.start.line, range: rg, message });
  };

  // Each branch's value is the condition rows under it carry.
  const stack = new Conditionals<StraceCondition>();
  const n = text.length;
  let i = 0;

  /** Offset of the first non-blank character of the line holding `at`, or -1 if text precedes `at`. */
  const atLineStart = (at: number) => {
    for (let k = at - 1; k >= 0 && text[k] !== '\n'; k--)
      if (text[k] !== ' ' && text[k] !== '\t' && text[k] !== '\r') return false;
    return true;
  };
  const lineEnd = (at: number) => {
    const e = text.indexOf('\n', at);
    return e < 0 ? n : e;
  };
  const trimEnd = (s: number, e: number) => {
    while (e > s && /\s/.test(text[e - 1])) e--;
    return e;
  };

  /** Skip blanks and comments from `at`; returns the next offset (reports unterminated comments). */
  const skip = (at: number, stopAtNewline = false): number => {
    while (at < n) {
      const c = text[at];
      if (c === '\n' && stopAtNewline) return at;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v') {
        at++;
        continue;
      }
      if (c === '/' && text[at + 1] === '*') {
        const e = text.indexOf('*/', at + 2);
        if (e < 0) {
          problem(at, trimEnd(at, n), 'comment is not closed (no `*/`)');
          return n;
        }
        at = e + 2;
        continue;
      }
      if (c === '/' && text[at + 1] === '/') {
        at = lineEnd(at);
        continue;
      }
      return at;
    }
    return at;
  };

  /** One token at `at` (which is not blank or a comment). */
  const token = (at: number): Token => {
    const c = text[at];
    if (c === '"') {
      let k = at + 1;
      while (k < n && text[k] !== '"' && text[k] !== '\n') k += text[k] === '\\' ? 2 : 1;
      if (k >= n || text[k] !== '"')
        return { kind: 'punct', text: '"', start: at, end: Math.min(k, n), value: undefined };
      return {
        kind: 'string',
        text: text.slice(at, k + 1),
        start: at,
        end: k + 1,
        value: decodeString(text.slice(at + 1, k)),
      };
    }
    if (IDENT_START.test(c)) {
      let k = at + 1;
      while (k < n && IDENT_CHAR.test(text[k])) k++;
      return { kind: 'ident', text: text.slice(at, k), start: at, end: k };
    }
    if (/[0-9]/.test(c)) {
      let k = at + 1;
      while (k < n && /[0-9A-Za-z_.]/.test(text[k])) k++;
      return { kind: 'number', text: text.slice(at, k), start: at, end: k };
    }
    return { kind: 'punct', text: c, start: at, end: at + 1 };
  };

  const directive = (start: number): number => {
    const end = directiveEnd(text, start);
    const raw = text.slice(start, end);
    // Drop comments, keeping offsets (replace by spaces).
    const body = stripComments(raw);
    const m = directiveAt(body);
    const kind = m?.name ?? '';
    const textEnd = start + body.trimEnd().length;
    const at = r(start, textEnd);
    const argStart = m ? m.restStart : 1;
    const tests = (): { tests: StraceTest[]; conjunctive: boolean } => {
      const args = body.slice(argStart);
      if (kind === 'ifdef' || kind === 'ifndef') {
        const id = /^\s*([A-Za-z_]\w*)/.exec(args);
        if (!id) return { tests: [], conjunctive: false };
        const s = start + argStart + id[0].length - id[1].length;
        return {
          tests: [{ macro: id[1], negated: kind === 'ifndef', range: r(s, s + id[1].length) }],
          conjunctive: true,
        };
      }
      const out: StraceTest[] = [];
      const re = /(!\s*)?defined\s*(\(\s*([A-Za-z_]\w*)\s*\)|\s+([A-Za-z_]\w*))/g;
      for (let d = re.exec(args); d; d = re.exec(args)) {
        const name = d[3] ?? d[4];
        const s = start + argStart + d.index + d[0].lastIndexOf(name);
        out.push({ macro: name, negated: !!d[1], range: r(s, s + name.length) });
      }
      // Conjunctive: only `defined` tests joined by `&&` (parentheses allowed).
      const rest = args
        .replace(re, '')
        .replace(/[()\s]/g, '')
        .replace(/&&/g, '');
      return { tests: out, conjunctive: out.length > 0 && rest === '' };
    };
    const condition =
      (d: StraceDirective) =>
      (g: Conditional<StraceCondition>): StraceCondition => {
        const t = tests();
        return {
          group: g.index,
          branch: g.branches.length,
          directive: d,
          text: body.trimEnd(),
          line: at.start.line,
          range: at,
          tests: t.tests,
          conjunctive: t.conjunctive,
        };
      };
    switch (kind) {
      case 'ifdef':
      case 'ifndef':
      case 'if':
      case 'elif':
      case 'else':
      case 'endif': {
        const step = stack.step(kind, condition(kind as StraceDirective));
        if (step === 'after-else') problem(start, textEnd, `\`#${kind}\` after \`#else\``);
        else if (step === 'without-if') problem(start, textEnd, `\`#${kind}\` without \`#if\``);
        break;
      }
      case 'define':
      case 'undef':
      case 'include':
      case 'error':
      case 'warning':
      case 'pragma':
      case 'line':
        break;
      default:
        if (body.trim() !== '#')
          problem(start, textEnd, `unknown preprocessor directive \`${body.trim().split(/\s/)[0]}\``);
    }
    return end;
  };

  const row = (open: number): number => {
    // Tokens up to the matching `}`; a directive or a new row first means the row is not closed.
    const toks: Token[] = [];
    let at = open + 1;
    let close = -1;
    for (;;) {
      at = skip(at);
      if (at >= n) break;
      if (text[at] === '#' && atLineStart(at)) break;
      const t = token(at);
      if (t.kind === 'punct' && t.text === '"') {
        problem(t.start, trimEnd(t.start, t.end), 'string is not closed on its line');
        return lineEnd(at);
      }
      if (t.text === '{' && atLineStart(at)) break;
      if (t.text === '}') {
        close = at;
        break;
      }
      toks.push(t);
      at = t.end;
    }
    if (close < 0) {
      const last = toks.length ? toks[toks.length - 1].end : open + 1;
      problem(open, last, 'row is not closed: expected `}` before the next row or directive');
      return at;
    }
    const after = close + 1;
    // Fields: split at top-level commas.
    const fields: Token[][] = [[]];
    let depth = 0;
    for (const t of toks) {
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      if (t.text === ',' && depth === 0) fields.push([]);
      else fields[fields.length - 1].push(t);
    }
    if (fields.length > 1 && fields[fields.length - 1].length === 0) fields.pop(); // `..., NULL, }`
    const rowRange = r(open, after);
    const bad = (message: string, f?: Token[]) => {
      if (f && f.length) problem(f[0].start, f[f.length - 1].end, message);
      else problem(open, after, message);
    };
    const following = skip(after);
    const comma = following < n && text[following] === ',';
    const next = comma ? following + 1 : following;
    if (fields.length !== 5) {
      bad(
        `expected \`{ ${prefix}name, "name", format, print function, result function }\`, found ${fields.length} field${fields.length === 1 ? '' : 's'}`,
      );
      return next;
    }
    const [fNr, fStr, fFmt, fPrint, fRes] = fields;
    if (
      fNr.length !== 1 ||
      fNr[0].kind !== 'ident' ||
      !fNr[0].text.startsWith(prefix) ||
      fNr[0].text.length === prefix.length
    ) {
      bad(`expected a \`${prefix}\` number, found \`${fieldText(fNr)}\``, fNr);
      return next;
    }
    if (fStr.length !== 1 || fStr[0].kind !== 'string') {
      bad(`expected the syscall's name as a string, found \`${fieldText(fStr)}\``, fStr);
      return next;
    }
    let format: StraceFormat | null = null;
    if (!(fFmt.length === 1 && fFmt[0].text === 'NULL')) {
      if (
        !fFmt.length ||
        fFmt.some(t => t.kind !== 'string' && t.kind !== 'ident') ||
        !fFmt.some(t => t.kind === 'string')
      ) {
        bad(`expected a format (strings and format macros) or NULL, found \`${fieldText(fFmt)}\``, fFmt);
        return next;
      }
      format = {
        text: text.slice(fFmt[0].start, fFmt[fFmt.length - 1].end),
        parts: fFmt.map(t =>
          t.kind === 'string'
            ? { kind: 'string' as const, value: t.value!, range: r(t.start, t.end) }
            : { kind: 'macro' as const, name: t.text, range: r(t.start, t.end) },
        ),
        range: r(fFmt[0].start, fFmt[fFmt.length - 1].end),
      };
    }
    const fn = (f: Token[], what: string): string | null | undefined => {
      if (f.length === 1 && f[0].text === 'NULL') return null;
      if (f.length === 1 && f[0].kind === 'ident') return f[0].text;
      bad(`expected a ${what} function or NULL, found \`${fieldText(f)}\``, f);
      return undefined;
    };
    const print = fn(fPrint, 'print');
    if (print === undefined) return next;
    const result = fn(fRes, 'result');
    if (result === undefined) return next;
    if (!comma && following < n && text[following] !== '#') {
      // Another row follows without a comma: C would not compile it.
      problem(close, after, 'expected `,` after the row');
    }
    const nr = fNr[0];
    const conditions = stack.open.map(g => g.branches[g.branches.length - 1].value);
    model.entries.push({
      nr: nr.text,
      name: nr.text.slice(prefix.length),
      string: fStr[0].value!,
      format,
      print,
      result,
      guard: guardOf(conditions, prefix),
      conditions,
      line: rowRange.start.line,
      ranges: {
        row: rowRange,
        nr: r(nr.start, nr.end),
        name: r(nr.start + prefix.length, nr.end),
        string: r(fStr[0].start, fStr[0].end),
        format: r(fFmt[0].start, fFmt[fFmt.length - 1].end),
        print: r(fPrint[0].start, fPrint[0].end),
        result: r(fRes[0].start, fRes[0].end),
      },
    });
    return next;
  };

  const fieldText = (f: Token[]) => (f.length ? text.slice(f[0].start, f[f.length - 1].end).replace(/\s+/g, ' ') : '');

  while (i < n) {
    i = skip(i);
    if (i >= n) break;
    const c = text[i];
    if (c === '#' && atLineStart(i)) {
      i = directive(i);
      continue;
    }
    if (c === '{') {
      i = row(i);
      continue;
    }
    // Anything else is not part of a row: report the rest of the line.
    const e = trimEnd(i, lineEnd(i));
    problem(
      i,
      e,
      `unexpected \`${text.slice(i, e).slice(0, 40)}\`: expected a row \`{ ${prefix}name, ... },\` or a preprocessor line`,
    );
    i = lineEnd(i);
  }
  for (const g of stack.open) {
    const first = g.branches[0].value;
    model.problems.push({
      line: first.line,
      range: first.range,
      message: `\`${first.text}\` is not closed (no \`#endif\`)`,
    });
  }
  return model;
}

function guardOf(conditions: StraceCondition[], prefix: string): StraceGuard | undefined {
  for (let k = conditions.length - 1; k >= 0; k--) {
    const c = conditions[k];
    if (c.directive === 'else' || c.directive === 'ifndef') continue;
    const nrs = c.tests.filter(t => !t.negated && t.macro.startsWith(prefix));
    if (!nrs.length) continue;
    return {
      macro: nrs[0].macro,
      name: nrs[0].macro.slice(prefix.length),
      range: nrs[0].range,
      line: c.line,
      macros: nrs.map(t => ({ macro: t.macro, range: t.range })),
    };
  }
  return undefined;
}

/**
 * True when two rows can never be compiled together: they sit in different branches of
 * one `#if`/`#elif`/`#else` group, or one requires a macro the other requires undefined.
 */
export function mutuallyExclusive(a: StraceEntry, b: StraceEntry): boolean {
  for (const ca of a.conditions) {
    for (const cb of b.conditions) {
      if (ca.group === cb.group && ca.branch !== cb.branch) return true;
      if (
        ca.conjunctive &&
        cb.conjunctive &&
        ca.tests.some(ta => cb.tests.some(tb => ta.macro === tb.macro && ta.negated !== tb.negated))
      )
        return true;
    }
  }
  return false;
}

/** A printf conversion in a format, with the argument it consumes. */
export interface StraceConversion {
  /** As written after expanding format macros, e.g. `%#x`, `%lx`. */
  spec: string;
  /** The conversion character (`d`, `p`, `s`, ...). */
  conv: string;
  /** How many varargs it consumes (a `*` width or precision takes one more). */
  args: number;
  /** The format part it starts in. */
  part: number;
}

/** QEMU's format macros (qemu/osdep.h, exec/cpu-defs.h): each is one conversion. */
const FMT_MACRO = /^TARGET_(ABI_)?FMT_([a-z]+)$/;
const PRI_MACRO = /^PRI([diouxX])(8|16|32|64|PTR|MAX)$/;

/**
 * The conversions of a format, in order; undefined when a part is a macro whose
 * expansion is unknown (the count cannot be read).
 */
export function formatConversions(f: StraceFormat): StraceConversion[] | undefined {
  // Expand into one string, remembering which part each character came from.
  let s = '';
  const from: number[] = [];
  for (let p = 0; p < f.parts.length; p++) {
    const part = f.parts[p];
    let piece: string;
    if (part.kind === 'string') piece = part.value;
    else {
      const m = FMT_MACRO.exec(part.name),
        q = PRI_MACRO.exec(part.name);
      if (m) piece = `%${m[2]}`;
      else if (q) piece = `ll${q[1]}`;
      else return undefined;
    }
    s += piece;
    for (let k = 0; k < piece.length; k++) from.push(p);
  }
  const out: StraceConversion[] = [];
  const re = /%([-+ #0']*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|L|q|j|z|Z|t)?([diouxXeEfFgGaAcspnm%])?/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const conv = m[5];
    if (conv === '%' && m[0] === '%%') continue;
    if (!conv) return undefined; // a `%` that C's printf would not read
    const args = (conv === 'm' || conv === '%' ? 0 : 1) + (m[2] === '*' ? 1 : 0) + (m[3] === '*' ? 1 : 0);
    out.push({ spec: m[0], conv, args, part: from[m.index] });
  }
  return out;
}
