// Runs the sh subset: assignments, expansions (`$VAR`, `$((v+1))`), `[ ]` tests, `while
// read` over given input lines, and the builtins `printf`, `echo`, `:` and `true`. Where
// dash and bash would differ, or the shell would fail, it stops with an error instead.
import { fail, ShError } from './error';
import { Stmt } from './parse';
import { Word } from './tokenize';

/** `read` without -r: backslash escapes, IFS (blank) splitting, the last variable takes the rest. */
function shellRead(line: string, vars: string[]): Record<string, string> {
  const chars: { c: string; esc: boolean }[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') {
      if (i + 1 < line.length) chars.push({ c: line[++i], esc: true });
      continue;
    }
    chars.push({ c: line[i], esc: false });
  }
  const blank = (x: { c: string; esc: boolean }) => !x.esc && (x.c === ' ' || x.c === '\t' || x.c === '\n');
  let i = 0;
  const out: Record<string, string> = {};
  while (i < chars.length && blank(chars[i])) i++;
  vars.forEach((v, k) => {
    if (k === vars.length - 1) {
      let end = chars.length;
      while (end > i && blank(chars[end - 1])) end--;
      out[v] = chars
        .slice(i, end)
        .map(x => x.c)
        .join('');
      i = chars.length;
      return;
    }
    const s = i;
    while (i < chars.length && !blank(chars[i])) i++;
    out[v] = chars
      .slice(s, i)
      .map(x => x.c)
      .join('');
    while (i < chars.length && blank(chars[i])) i++;
  });
  return out;
}

const SH_INT = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;

function shArith(expr: string, env: Map<string, string>): string {
  const m =
    /^\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*([-+])\s*(\d+)\s*$/.exec(expr) ??
    /^\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*$/.exec(expr);
  if (!m) return fail(`$((${expr})) is not interpreted`);
  const value = (x: string) => {
    const s = /^\d/.test(x) ? x : (env.get(x) ?? '');
    if (s === '' && !/^\d/.test(x)) return 0;
    if (!SH_INT.test(s)) fail(`$((${expr})) with ${x}='${s}': the shell would stop with an arithmetic error here`);
    return /^0[xX]/.test(s) ? parseInt(s, 16) : /^0./.test(s) ? parseInt(s, 8) : Number(s);
  };
  const a = value(m[1]);
  const r = m[2] ? (m[2] === '+' ? a + Number(m[3]) : a - Number(m[3])) : a;
  return String(r);
}

function expand(w: Word, env: Map<string, string>): string {
  return w.map(p => ('lit' in p ? p.lit : 'var' in p ? (env.get(p.var) ?? '') : shArith(p.arith, env))).join('');
}

/** Expands command words: unquoted empty expansions vanish (no further splitting: the scripts quote). */
function expandArgs(ws: Word[], env: Map<string, string>): string[] {
  const out: string[] = [];
  for (const w of ws) {
    const s = expand(w, env);
    const quoted = w.some(p => (!('lit' in p) ? 'quoted' in p && p.quoted : p.quoted));
    if (s === '' && !quoted) continue;
    if (!quoted && /[ \t\n]/.test(s)) fail(`an unquoted expansion with blanks ('${s}') would be split by the shell`);
    out.push(s);
  }
  return out;
}

function shPrintf(args: string[]): string {
  const [fmt, ...rest] = args;
  if (fmt === undefined) fail('printf without a format');
  let out = '';
  let k = 0;
  do {
    let used = 0;
    for (let i = 0; i < fmt.length; i++) {
      const c = fmt[i];
      if (c === '\\') {
        const e = fmt[++i];
        const map: Record<string, string> = {
          n: '\n',
          t: '\t',
          '\\': '\\',
          '"': '"',
          a: '\x07',
          b: '\b',
          f: '\f',
          r: '\r',
          v: '\v',
        };
        if (e === undefined) {
          out += '\\';
          break;
        }
        if (map[e] === undefined) fail(`printf escape \\${e} is not interpreted`);
        out += map[e];
        continue;
      }
      if (c === '%') {
        const e = fmt[++i];
        if (e === '%') {
          out += '%';
          continue;
        }
        if (e === 's') {
          out += rest[k++] ?? '';
          used++;
          continue;
        }
        if (e === 'd') {
          const a = rest[k++] ?? '0';
          used++;
          if (!/^-?\d+$/.test(a)) fail(`printf %d of '${a}' is not interpreted`);
          out += String(Number(a));
          continue;
        }
        fail(`printf conversion %${e} is not interpreted`);
      }
      out += c;
    }
    if (!used) break;
  } while (k < rest.length);
  return out;
}

function shEcho(args: string[]): string {
  if (args.some(a => a.includes('\\')))
    fail('echo of a backslash: dash and bash differ; the output depends on which sh runs the script');
  if (args[0] === '-n' || args[0] === '-e' || args[0] === '-E') fail(`echo ${args[0]}: dash and bash differ`);
  return args.join(' ') + '\n';
}

function shTest(args: string[]): boolean {
  if (args.length === 2 && args[0] === '-z') return args[1] === '';
  if (args.length === 2 && args[0] === '-n') return args[1] !== '';
  if (args.length === 3 && args[1] === '=') return args[0] === args[2];
  if (args.length === 3 && args[1] === '!=') return args[0] !== args[2];
  if (args.length === 1) return args[0] !== '';
  if (args.length === 0) return false;
  return fail(`the test [ ${args.join(' ')} ] is not interpreted`);
}

class Continue {
  constructor(readonly line: number) {}
}

function runList(
  stmts: Stmt[],
  env: Map<string, string>,
  input: string[] | undefined,
  emit: (s: string) => void,
): void {
  for (const s of stmts) {
    switch (s.kind) {
      case 'assign':
        env.set(s.name, expand(s.value, env));
        break;
      case 'continue':
        throw new Continue(s.line);
      case 'if': {
        const branch = s.branches.find(b => shTest(expandArgs(b.test, env)));
        runList(branch ? branch.body : (s.otherwise ?? []), env, input, emit);
        break;
      }
      case 'while-read': {
        if (!input) return fail(`line ${s.line + 1}: a second \`while read\` (the input is already consumed)`);
        const lines: string[] = input;
        input = undefined;
        for (const l of lines) {
          const vals = shellRead(l, s.vars);
          for (const v of s.vars) env.set(v, vals[v]);
          try {
            runList(s.body, env, undefined, emit);
          } catch (e) {
            if (!(e instanceof Continue)) throw e;
          }
        }
        break;
      }
      case 'cmd': {
        const args = expandArgs(s.words, env);
        const name = args.shift();
        if (name === 'printf') emit(shPrintf(args));
        else if (name === 'echo') emit(shEcho(args));
        else if (name === ':' || name === 'true') {
          /* nothing */
        } else fail(`line ${s.line + 1}: the command \`${name}\` is not interpreted`);
        break;
      }
    }
  }
}

/**
 * Runs `stmts` with variables `env`; the first `while read` reads `input`'s lines; what the
 * script prints goes to `emit`.
 */
export function runSh(
  stmts: Stmt[],
  env: Map<string, string>,
  input: string[] | undefined,
  emit: (s: string) => void,
): void {
  try {
    runList(stmts, env, input, emit);
  } catch (e) {
    if (e instanceof Continue) throw new ShError(`\`continue\` outside a loop on line ${e.line + 1}`);
    throw e;
  }
}
