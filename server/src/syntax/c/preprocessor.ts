// The C preprocessor's directive lines and its conditionals: the stack of open `#if`
// groups, each with its branches so far. A reader keeps what a branch means to it (a test
// as written, the macros it tests, a CONFIG_ symbol) as the branch's value, so one stack
// serves readers with different models.
import { stripLineComments } from './comments';
import { registerMemo } from '../../core/memos';

export type IfDirective = 'if' | 'ifdef' | 'ifndef';
export type BranchDirective = IfDirective | 'elif' | 'else';
export type ConditionalDirective = BranchDirective | 'endif';

export interface Branch<T> {
  directive: BranchDirective;
  value: T;
}

/** One open `#if` group: its branches, the opening one first. */
export interface Conditional<T> {
  /** Which group this is in the file, from 0 in order of opening. */
  index: number;
  branches: Branch<T>[];
  /** True once the group's `#else` was read. */
  sawElse: boolean;
}

/** What a directive did: the group it opened, added a branch to or closed, or why it did nothing. */
export type ConditionalStep<T> = Conditional<T> | 'without-if' | 'after-else';

/** The open conditionals, outermost first. */
export class Conditionals<T> {
  readonly open: Conditional<T>[] = [];
  private opened = 0;
  /**
   * `elseThenBranch`: an `#elif`/`#else` after the group's `#else` is one more branch
   * (else it is refused with 'after-else', as a compiler would).
   */
  constructor(private readonly elseThenBranch = false) {}

  get top(): Conditional<T> | undefined {
    return this.open[this.open.length - 1];
  }

  /**
   * Applies one conditional directive. `value` makes the branch's value once the branch
   * is known to be one (with its group); it is not called for `#endif`.
   */
  step(directive: ConditionalDirective, value: (g: Conditional<T>) => T): ConditionalStep<T> {
    if (directive === 'endif') return this.open.pop() ?? 'without-if';
    if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') {
      const g: Conditional<T> = { index: this.opened++, branches: [], sawElse: false };
      g.branches.push({ directive, value: value(g) });
      this.open.push(g);
      return g;
    }
    const g = this.top;
    if (!g) return 'without-if';
    if (g.sawElse && !this.elseThenBranch) return 'after-else';
    if (directive === 'else') g.sawElse = true;
    g.branches.push({ directive, value: value(g) });
    return g;
  }
}

/** The tests a group's current (last) branch holds under: every earlier test false, then its own (none for `#else`). */
export function branchConditions<T>(g: Conditional<T>): { value: T; negated: boolean }[] {
  const last = g.branches.length - 1;
  const out: { value: T; negated: boolean }[] = [];
  g.branches.forEach((b, k) => {
    if (b.directive === 'else') return;
    out.push({ value: b.value, negated: k < last });
  });
  return out;
}

/** What follows the `#` of a conditional directive (sticky: tried at one place only). */
// JavaScript's line terminators, after which a multiline `^` matches.
const LINE_BREAK = new Set([10, 13, 0x2028, 0x2029]);
const CONDITIONAL_AFTER_HASH = /[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)/y;

/**
 * The conditional directive lines of a text (`^[ \t]*#[ \t]*(if|...)\b(.*)$` line by line):
 * comments and continued lines are not looked at, which is enough for the kernel scans. Fast
 * over whole trees: it looks only where a `#` is, never tries a pattern at every line.
 */
export function conditionalLines(text: string): { at: number; directive: ConditionalDirective; rest: string }[] {
  const out: { at: number; directive: ConditionalDirective; rest: string }[] = [];
  for (let hash = text.indexOf('#'); hash >= 0; hash = text.indexOf('#', hash + 1)) {
    let start = hash;
    while (start > 0 && (text.charCodeAt(start - 1) === 32 || text.charCodeAt(start - 1) === 9)) start--;
    if (start > 0 && !LINE_BREAK.has(text.charCodeAt(start - 1))) continue;
    CONDITIONAL_AFTER_HASH.lastIndex = hash + 1;
    const m = CONDITIONAL_AFTER_HASH.exec(text);
    if (m) out.push({ at: start, directive: m[1] as ConditionalDirective, rest: m[2] });
  }
  return out;
}

/** The directive a comment-free line starts with: `#`, its name and where its arguments start. */
export function directiveAt(code: string): { indent: number; name: string; restStart: number } | undefined {
  const m = /^(\s*)#(\s*)([A-Za-z_]+)/.exec(code);
  return m ? { indent: m[1].length, name: m[3], restStart: m[0].length } : undefined;
}

/** The end of the logical line of the directive at `start`: backslash-newline continues it. */
export function directiveEnd(text: string, start: number): number {
  const lineEnd = (at: number) => {
    const e = text.indexOf('\n', at);
    return e < 0 ? text.length : e;
  };
  let end = start;
  for (;;) {
    end = lineEnd(end);
    if (end < text.length && text[end - 1] === '\\') {
      end++;
      continue;
    }
    if (end < text.length && text[end - 1] === '\r' && text[end - 2] === '\\') {
      end++;
      continue;
    }
    break;
  }
  return end;
}

/** One physical line as a line-oriented reader sees it: comments blanked, its directive if any. */
export interface PreprocessorLine {
  /** Zero-based line number. */
  line: number;
  /** The line as written, without its line break. */
  raw: string;
  /** The line with comments blanked (offsets kept). */
  code: string;
  /** The text of the line's comments, trimmed, if it has any. */
  comment?: string;
  directive?: { indent: number; name: string; rest: string; restStart: number };
  /** True when the directive goes on on the next line (`\` at its end); it is not joined. */
  continued: boolean;
}

/** The lines of a text one by one, a `/* ... *\/` comment carried from line to line. */
export function preprocessorLines(lines: string[]): PreprocessorLine[] {
  const out: PreprocessorLine[] = [];
  let inComment = false;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].replace(/\r$/, '');
    const stripped = stripLineComments(raw, inComment);
    inComment = stripped.inComment;
    const code = stripped.code;
    const d = directiveAt(code);
    out.push({
      line: n,
      raw,
      code,
      comment: stripped.comment,
      directive: d && { ...d, rest: code.slice(d.restStart) },
      continued: !!d && code.trimEnd().endsWith('\\'),
    });
  }
  return out;
}

/**
 * For each line start of `text` (and one more for its end), whether it is outside every
 * block comment and every `#if` group: where a fix may add a line that the compiler reads
 * unconditionally. An unclosed comment or `#if` makes every later line false.
 */
export function topLevelLines(text: string): boolean[] {
  const out: boolean[] = [];
  let inComment = false;
  let depth = 0;
  for (const line of text.split('\n')) {
    out.push(!inComment && depth === 0);
    const stripped = stripLineComments(line, inComment);
    const d = !inComment && directiveAt(stripped.code);
    if (d && /^(if|ifdef|ifndef)$/.test(d.name)) depth++;
    else if (d && d.name === 'endif') depth = Math.max(0, depth - 1);
    inComment = stripped.inComment;
  }
  return out;
}

let lastLines:
  { lines: string[]; pl: PreprocessorLine[]; redone?: { from: PreprocessorLine[]; lines: number[] } } | undefined;
registerMemo(() => (lastLines = undefined));

/**
 * For the answer `pl` of the last preprocessorLinesAgain call: the answer it was redone from
 * and the lines it redid (every other line is the same object), or undefined when it read
 * the whole text.
 */
export function linesRedone(pl: PreprocessorLine[]): { from: PreprocessorLine[]; lines: number[] } | undefined {
  return lastLines?.pl === pl ? lastLines.redone : undefined;
}

/**
 * preprocessorLines for a text that often differs from the last one asked by an edit to a
 * line or two of plain code (typing in syscall.c): those lines are redone alone when neither
 * version touches a comment, a directive or a continuation, else the whole text is read.
 */
export function preprocessorLinesAgain(lines: string[]): PreprocessorLine[] {
  const prev = lastLines;
  let pl: PreprocessorLine[] | undefined;
  let reusedLines: number[] = [];
  if (prev && prev.lines.length === lines.length) {
    const changed: number[] = [];
    for (let n = 0; n < lines.length && changed.length <= 4; n++) if (lines[n] !== prev.lines[n]) changed.push(n);
    const plain = (s: string) => !/\/\*|\*\/|\/\/|\\\s*$|^\s*#|\r$/.test(s);
    const reusable = (n: number) => {
      const o = prev.pl[n];
      return (
        o.code === o.raw &&
        o.raw.trim() !== '' &&
        !o.directive &&
        !o.continued &&
        !(n > 0 && prev.pl[n - 1].continued) &&
        plain(o.raw) &&
        plain(lines[n]) &&
        lines[n].trim() !== ''
      );
    };
    if (changed.length <= 4 && changed.every(reusable)) {
      reusedLines = changed;
      pl = prev.pl.slice();
      for (const n of changed)
        pl[n] = { line: n, raw: lines[n], code: lines[n], comment: undefined, directive: undefined, continued: false };
    }
  }
  let redone: { from: PreprocessorLine[]; lines: number[] } | undefined;
  if (pl) redone = { from: prev!.pl, lines: reusedLines };
  pl ??= preprocessorLines(lines);
  lastLines = { lines, pl, redone };
  return pl;
}
