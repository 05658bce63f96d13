// What QEMU's `linux-user/<dir>/syscallhdr.sh` generates from a `.tbl` for a target,
// computed without running it: systab never executes workspace programs. The script is
// read and interpreted: its argument assignments, the file-guard pipeline (`basename |
// sed -e y/../../ -e s/../../g`), the `grep -E ... | sort -n` selection, and the small
// shell subset of the loop body (`printf`, `echo`, `if [ ... ]`, `continue`, assignments,
// `$((nr+1))`). The targets' differences (mips renames fadvise64, ppc skips
// `sys_ni_syscall` rows, printf or echo output, a trailing newline or not) all come from
// the script text; a script outside that subset gets a clear error, never a guess.
// The arguments come from `configs/targets/<target>-linux-user.mak` (TARGET_SYSTBL,
// TARGET_SYSTBL_ABI, TARGET_ABI_DIR defaulting to TARGET_ARCH) and from
// `linux-user/<dir>/meson.build` (the generator's arguments after `@EXTRA_ARGS@`, and its
// output name `@BASENAME@_nr.h`).
import * as path from 'path';
import type { Reader } from '../../core/reader';

export interface TargetConfig {
  /** The target name, e.g. `ppc64le` (from `configs/targets/ppc64le-linux-user.mak`). */
  target: string;
  arch: string;
  abiDir: string;
  systbl?: string;
  systblAbi?: string;
  file: string;
}

export interface HdrArgs {
  /** The `.tbl` text ($1 is its path; the script reads it). */
  tbl: string;
  /** $2: the output path (only its basename reaches the output, through the guard). */
  out: string;
  /** $3: the comma-separated ABI list. */
  abis: string;
  /** $4 and $5 (and any further positional arguments). */
  extra: string[];
}

export type RegenResult =
  | {
    ok: true; text: string; target: string;
    /** Every target whose header is this same text (e.g. mips and mipsel). */
    targets: string[];
    abis: string; prefix: string; offset: string;
    /** The output file name the meson generator gives, e.g. `syscall_o32_nr.h`. */
    output: string;
    script: string;
  }
  | { ok: false; error: string; candidates?: string[] };

export type HdrResult = { ok: true; text: string } | { ok: false; error: string };

/** `KEY=VALUE` lines of a `configs/targets/*.mak`. */
export function parseMak(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw.replace(/\r$/, ''));
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Every `configs/targets/*-linux-user.mak` of the tree. */
export function linuxUserTargets(qemuRoot: string, io: Reader): TargetConfig[] {
  const dir = path.join(qemuRoot, 'configs', 'targets');
  const names = io.list(dir);
  const out: TargetConfig[] = [];
  for (const n of names.filter(x => x.endsWith('-linux-user.mak')).sort()) {
    const file = path.join(dir, n);
    const text = io.read(file);
    if (text === undefined) continue;
    const mak = parseMak(text);
    const arch = mak.TARGET_ARCH ?? '';
    out.push({ target: n.slice(0, -'-linux-user.mak'.length), arch, abiDir: mak.TARGET_ABI_DIR ?? arch, systbl: mak.TARGET_SYSTBL, systblAbi: mak.TARGET_SYSTBL_ABI, file });
  }
  return out;
}

export interface GeneratorArgs { extra: string[]; output: string; file: string }

/** The generator a `linux-user/<dir>/meson.build` registers: arguments after `@EXTRA_ARGS@` and the output pattern. */
export function parseMesonGenerator(text: string, dir: string): GeneratorArgs | { error: string } {
  const noComments = text.split('\n').map(l => l.replace(/#.*$/, '')).join('\n');
  const key = new RegExp(`'${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'\\s*:\\s*generator\\s*\\(`).exec(noComments);
  if (!key) return { error: `it registers no syscall_nr generator for '${dir}'` };
  const body = noComments.slice(key.index + key[0].length);
  const args = /\barguments\s*:\s*\[([^\]]*)\]/.exec(body);
  const output = /\boutput\s*:\s*'([^']*)'/.exec(body);
  if (!args || !output) return { error: 'its generator has no `arguments: [...]` or `output:`' };
  const strings = [...args[1].matchAll(/'((?:[^'\\]|\\.)*)'|([^\s,]+)/g)];
  const values = strings.map(s => (s[1] !== undefined ? s[1].replace(/\\(.)/g, '$1') : undefined));
  const at = values.indexOf('@EXTRA_ARGS@');
  if (at < 0 || values.indexOf('@INPUT@') < 0 || values.indexOf('@OUTPUT@') < 0) return { error: 'its generator arguments are not `script, @INPUT@, @OUTPUT@, @EXTRA_ARGS@, ...`' };
  const extra = values.slice(at + 1);
  if (extra.some(v => v === undefined)) return { error: 'its generator passes arguments that are not string literals after @EXTRA_ARGS@' };
  return { extra: extra as string[], output: output[1], file: '' };
}

/**
 * The header `linux-user/<dir>/syscallhdr.sh` writes for `tblRelPath` (relative to the
 * QEMU root, `linux-user/<dir>/<name>.tbl`) with text `tblText`, for `target` or the only
 * target (or targets sharing an ABI list) that uses that table.
 */
export function regenHeader(qemuRoot: string, tblText: string, tblRelPath: string, target: string | undefined, io: Reader): RegenResult {
  const rel = tblRelPath.replace(/\\/g, '/');
  const m = /(?:^|\/)linux-user\/([^/]+)\/([^/]+\.tbl)$/.exec(rel);
  if (!m) return { ok: false, error: `${tblRelPath} is not a table under linux-user/<dir>/: syscallhdr.sh generates headers only for those` };
  const [, dir, base] = m;
  const all = linuxUserTargets(qemuRoot, io);
  if (!all.length) return { ok: false, error: `no configs/targets/*-linux-user.mak under ${qemuRoot}: cannot tell which targets use ${rel}` };
  const users = all.filter(t => t.abiDir === dir && t.systbl === base && t.systblAbi !== undefined);
  const describe = (t: TargetConfig) => `${t.target} (TARGET_SYSTBL_ABI=${t.systblAbi})`;
  if (!users.length) return { ok: false, error: `no QEMU target uses linux-user/${dir}/${base}: no configs/targets/*-linux-user.mak has TARGET_SYSTBL=${base} with TARGET_ABI_DIR (or TARGET_ARCH) ${dir}` };
  let chosen: TargetConfig;
  if (target !== undefined) {
    const t = users.find(u => u.target === target);
    if (!t) {
      const known = all.find(u => u.target === target);
      const why = known ? `${target} uses ${known.systbl ? `linux-user/${known.abiDir}/${known.systbl}` : 'no .tbl'}, not linux-user/${dir}/${base}` : `there is no configs/targets/${target}-linux-user.mak`;
      return { ok: false, error: `${why}; the targets using this table are ${users.map(describe).join(', ')}`, candidates: users.map(u => u.target) };
    }
    chosen = t;
  } else {
    const lists = new Set(users.map(u => u.systblAbi));
    if (lists.size > 1) {
      return { ok: false, error: `linux-user/${dir}/${base} serves targets with different ABI lists: ${users.map(describe).join(', ')}; choose one with --target`, candidates: users.map(u => u.target) };
    }
    chosen = users[0];
  }
  const mesonFile = path.join(qemuRoot, 'linux-user', dir, 'meson.build');
  const meson = io.read(mesonFile);
  if (meson === undefined) return { ok: false, error: `cannot read linux-user/${dir}/meson.build: it gives the generator's arguments` };
  const gen = parseMesonGenerator(meson, dir);
  if ('error' in gen) return { ok: false, error: `linux-user/${dir}/meson.build: ${gen.error}` };
  const parentMeson = io.read(path.join(qemuRoot, 'linux-user', 'meson.build'));
  if (parentMeson !== undefined && !new RegExp(`subdir\\(\\s*'${dir}'\\s*\\)`).test(parentMeson)) {
    return { ok: false, error: `linux-user/meson.build has no subdir('${dir}'): the generator in linux-user/${dir}/meson.build is never registered` };
  }
  const scriptRel = `linux-user/${dir}/syscallhdr.sh`;
  const script = io.read(path.join(qemuRoot, 'linux-user', dir, 'syscallhdr.sh'));
  if (script === undefined) return { ok: false, error: `cannot read ${scriptRel}` };
  const output = gen.output.replace(/@BASENAME@/g, base.replace(/\.[^.]*$/, '')).replace(/@PLAINNAME@/g, base);
  const r = interpretSyscallHdr(script, { tbl: tblText, out: output, abis: chosen.systblAbi!, extra: gen.extra });
  if (!r.ok) return { ok: false, error: `${scriptRel}: ${r.error}` };
  const same = users.filter(u => u.systblAbi === chosen.systblAbi).map(u => u.target);
  return { ok: true, text: r.text, target: chosen.target, targets: same, abis: chosen.systblAbi!, prefix: gen.extra[0] ?? '', offset: gen.extra[1] ?? '', output, script: scriptRel };
}

// ---- The script interpreter -------------------------------------------------------------

class ScriptError extends Error {}
const fail = (msg: string): never => { throw new ScriptError(msg); };

type Part = { lit: string; quoted: boolean } | { var: string; quoted: boolean } | { arith: string };
type Word = Part[];
type Tok = { kind: 'word'; word: Word; line: number } | { kind: 'sep'; line: number } | { kind: 'op'; text: string; line: number };

/** Splits shell text into words, `;`/newline separators and `|`, `>`, `(`, `)` operators. */
function tokenize(text: string, firstLine: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0, line = firstLine;
  const varName = /[A-Za-z_][A-Za-z0-9_]*|[0-9#?@*$!-]/y;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '\n') { i += 2; line++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '\n' || c === ';') { if (c === '\n') line++; toks.push({ kind: 'sep', line }); i++; continue; }
    if (c === '#') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (c === '|' || c === '>' || c === '<' || c === '(' || c === ')' || c === '&') {
      const two = text.slice(i, i + 2);
      const op = two === '&&' || two === '||' || two === '>>' ? two : c;
      toks.push({ kind: 'op', text: op, line }); i += op.length; continue;
    }
    const word: Word = [];
    const lit = (s: string, quoted: boolean) => {
      const last = word[word.length - 1];
      if (last && 'lit' in last && last.quoted === quoted) last.lit += s; else word.push({ lit: s, quoted });
    };
    const dollar = (quoted: boolean) => {
      // at text[i] === '$'
      if (text.startsWith('$((', i)) {
        let depth = 0, j = i + 1;
        for (; j < text.length; j++) {
          if (text[j] === '(') depth++;
          else if (text[j] === ')') { depth--; if (depth === 0) break; }
        }
        const inner = text.slice(i + 3, j - 1);
        if (text[j - 1] !== ')') fail(`line ${line + 1}: unterminated $((...))`);
        word.push({ arith: inner });
        i = j + 1;
        return;
      }
      if (text[i + 1] === '{') {
        const end = text.indexOf('}', i);
        const name = text.slice(i + 2, end);
        if (end < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$|^[0-9]$/.test(name)) fail(`line ${line + 1}: \${...} other than a plain variable`);
        word.push({ var: name, quoted });
        i = end + 1;
        return;
      }
      varName.lastIndex = i + 1;
      const m = varName.exec(text);
      if (!m) { lit('$', quoted); i++; return; }
      if (text[i + 1] === '(') fail(`line ${line + 1}: command substitution $(...)`);
      word.push({ var: m[0], quoted });
      i = varName.lastIndex;
    };
    while (i < text.length) {
      const d = text[i];
      if (' \t\r\n;|&<>()'.includes(d)) break;
      if (d === '\\') {
        if (text[i + 1] === '\n') { i += 2; line++; continue; }
        lit(text[i + 1] ?? '', true); i += 2; continue;
      }
      if (d === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) fail(`line ${line + 1}: unterminated '...'`);
        const s = text.slice(i + 1, end);
        line += s.split('\n').length - 1;
        lit(s, true); i = end + 1; continue;
      }
      if (d === '"') {
        i++;
        lit('', true);
        while (i < text.length && text[i] !== '"') {
          const e = text[i];
          if (e === '\\' && '$`"\\\n'.includes(text[i + 1] ?? '')) {
            if (text[i + 1] === '\n') line++; else lit(text[i + 1], true);
            i += 2; continue;
          }
          if (e === '$') { dollar(true); continue; }
          if (e === '`') fail(`line ${line + 1}: command substitution \`...\` inside the loop`);
          if (e === '\n') line++;
          lit(e, true); i++;
        }
        if (text[i] !== '"') fail(`line ${line + 1}: unterminated "..."`);
        i++;
        continue;
      }
      if (d === '$') { dollar(false); continue; }
      if (d === '`') fail(`line ${line + 1}: command substitution \`...\``);
      lit(d, false); i++;
    }
    toks.push({ kind: 'word', word, line });
  }
  return toks;
}

const plain = (w: Word): string | undefined =>
  w.length === 1 && 'lit' in w[0] && !w[0].quoted ? w[0].lit : undefined;

type Stmt =
  | { kind: 'cmd'; words: Word[]; line: number }
  | { kind: 'assign'; name: string; value: Word; line: number }
  | { kind: 'if'; branches: { test: Word[]; body: Stmt[] }[]; otherwise?: Stmt[]; line: number }
  | { kind: 'while-read'; vars: string[]; body: Stmt[]; line: number }
  | { kind: 'continue'; line: number };

class Parser {
  i = 0;
  constructor(private toks: Tok[]) {}
  peekWord(): string | undefined { const t = this.toks[this.i]; return t?.kind === 'word' ? plain(t.word) : undefined; }
  skipSeps() { while (this.toks[this.i]?.kind === 'sep') this.i++; }
  expect(word: string) {
    this.skipSeps();
    if (this.peekWord() !== word) fail(`line ${(this.toks[this.i]?.line ?? 0) + 1}: expected \`${word}\``);
    this.i++;
  }
  list(ends: string[]): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      this.skipSeps();
      const t = this.toks[this.i];
      if (!t) { if (ends.length) fail(`unexpected end of script, expected ${ends.map(e => `\`${e}\``).join(' or ')}`); return out; }
      const w = this.peekWord();
      if (w !== undefined && ends.includes(w)) return out;
      out.push(this.stmt());
    }
  }
  words(): Word[] {
    const out: Word[] = [];
    for (let t = this.toks[this.i]; t && t.kind === 'word'; t = this.toks[++this.i]) out.push(t.word);
    const t = this.toks[this.i];
    if (t?.kind === 'op') fail(`line ${t.line + 1}: \`${t.text}\` (pipes, redirections and subshells are not interpreted inside the loop)`);
    return out;
  }
  test(): Word[] {
    const ws = this.words();
    const first = ws.length ? plain(ws[0]) : undefined;
    if (first !== '[' || plain(ws[ws.length - 1]) !== ']') fail(`line ${(this.toks[this.i - 1]?.line ?? 0) + 1}: a condition other than \`[ ... ]\``);
    return ws.slice(1, -1);
  }
  stmt(): Stmt {
    const t = this.toks[this.i] as Extract<Tok, { kind: 'word' }> | Extract<Tok, { kind: 'op' }>;
    const line = t.line;
    if (t.kind === 'op') fail(`line ${line + 1}: \`${t.text}\` is not interpreted`);
    const w = this.peekWord();
    if (w === 'if') {
      this.i++;
      const branches: { test: Word[]; body: Stmt[] }[] = [];
      let test = this.test();
      this.expect('then');
      let otherwise: Stmt[] | undefined;
      for (;;) {
        const body = this.list(['elif', 'else', 'fi']);
        branches.push({ test, body });
        const end = this.peekWord();
        this.i++;
        if (end === 'elif') { test = this.test(); this.expect('then'); continue; }
        if (end === 'else') { otherwise = this.list(['fi']); this.i++; }
        break;
      }
      return { kind: 'if', branches, otherwise, line };
    }
    if (w === 'while') {
      this.i++;
      const ws = this.words();
      const names = ws.map(plain);
      if (names[0] !== 'read' || names.length < 2 || names.slice(1).some(n => !n || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) fail(`line ${line + 1}: a loop other than \`while read VAR...\``);
      this.expect('do');
      const body = this.list(['done']);
      this.i++;
      return { kind: 'while-read', vars: names.slice(1) as string[], body, line };
    }
    if (w === 'continue') { this.i++; return { kind: 'continue', line }; }
    const ws = this.words();
    const head = ws[0];
    const first = head[0];
    if (ws.length === 1 && first && 'lit' in first && !first.quoted) {
      const a = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.lit);
      if (a) return { kind: 'assign', name: a[1], value: [{ lit: first.lit.slice(a[0].length), quoted: true }, ...head.slice(1)], line };
    }
    return { kind: 'cmd', words: ws, line };
  }
}

/** `read` without -r: backslash escapes, IFS (blank) splitting, the last variable takes the rest. */
function shellRead(line: string, vars: string[]): Record<string, string> {
  const chars: { c: string; esc: boolean }[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') { if (i + 1 < line.length) chars.push({ c: line[++i], esc: true }); continue; }
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
      out[v] = chars.slice(i, end).map(x => x.c).join('');
      i = chars.length;
      return;
    }
    const s = i;
    while (i < chars.length && !blank(chars[i])) i++;
    out[v] = chars.slice(s, i).map(x => x.c).join('');
    while (i < chars.length && blank(chars[i])) i++;
  });
  return out;
}

const SH_INT = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;

function shArith(expr: string, env: Map<string, string>): string {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*([-+])\s*(\d+)\s*$/.exec(expr) ?? /^\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*$/.exec(expr);
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
    const quoted = w.some(p => !('lit' in p) ? ('quoted' in p && p.quoted) : p.quoted);
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
        const map: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '"': '"', a: '\x07', b: '\b', f: '\f', r: '\r', v: '\v' };
        if (e === undefined) { out += '\\'; break; }
        if (map[e] === undefined) fail(`printf escape \\${e} is not interpreted`);
        out += map[e];
        continue;
      }
      if (c === '%') {
        const e = fmt[++i];
        if (e === '%') { out += '%'; continue; }
        if (e === 's') { out += rest[k++] ?? ''; used++; continue; }
        if (e === 'd') {
          const a = rest[k++] ?? '0'; used++;
          if (!/^-?\d+$/.test(a)) fail(`printf %d of '${a}' is not interpreted`);
          out += String(Number(a)); continue;
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
  if (args.some(a => a.includes('\\'))) fail('echo of a backslash: dash and bash differ; the output depends on which sh runs the script');
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

class Continue { constructor(readonly line: number) {} }

function run(stmts: Stmt[], env: Map<string, string>, input: string[] | undefined, emit: (s: string) => void): void {
  for (const s of stmts) {
    switch (s.kind) {
      case 'assign': env.set(s.name, expand(s.value, env)); break;
      case 'continue': throw new Continue(s.line);
      case 'if': {
        const branch = s.branches.find(b => shTest(expandArgs(b.test, env)));
        run(branch ? branch.body : s.otherwise ?? [], env, input, emit);
        break;
      }
      case 'while-read': {
        if (!input) return fail(`line ${s.line + 1}: a second \`while read\` (the input is already consumed)`);
        const lines: string[] = input;
        input = undefined;
        for (const l of lines) {
          const vals = shellRead(l, s.vars);
          for (const v of s.vars) env.set(v, vals[v]);
          try { run(s.body, env, undefined, emit); } catch (e) { if (!(e instanceof Continue)) throw e; }
        }
        break;
      }
      case 'cmd': {
        const args = expandArgs(s.words, env);
        const name = args.shift();
        if (name === 'printf') emit(shPrintf(args));
        else if (name === 'echo') emit(shEcho(args));
        else if (name === ':' || name === 'true') { /* nothing */ } else fail(`line ${s.line + 1}: the command \`${name}\` is not interpreted`);
        break;
      }
    }
  }
}

/** A sed script of `-e` expressions: `y/abc/ABC/` and `s/RE/REPL/[g]` with basic regular expressions. */
function sed(exprs: string[], input: string): string {
  let s = input;
  for (const e of exprs) {
    const y = /^y\/([^/]*)\/([^/]*)\/$/.exec(e);
    if (y) {
      if ([...y[1]].length !== [...y[2]].length || y[1].includes('\\') || y[2].includes('\\')) fail(`sed ${e} is not interpreted`);
      s = [...s].map(c => { const k = y[1].indexOf(c); return k >= 0 ? y[2][k] : c; }).join('');
      continue;
    }
    const sub = /^s\/((?:[^/\\]|\\.)*)\/((?:[^/\\&]|\\[^0-9])*)\/(g?)$/.exec(e);
    if (!sub) fail(`sed expression '${e}' is not interpreted`);
    const re = new RegExp(breToJs(sub![1]), sub![3] ? 'g' : '');
    s = s.replace(re, () => sub![2].replace(/\\(.)/g, '$1'));
  }
  return s;
}

/** A POSIX basic or extended regular expression (the subset the scripts use) as a JS one. */
function breToJs(re: string, extended = false): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '[') {
      let j = i + 1;
      const neg = re[j] === '^';
      if (neg) j++;
      let body = '';
      if (re[j] === ']') { body = '\\]'; j++; }
      for (; j < re.length && re[j] !== ']'; j++) {
        if (re[j] === '[' && re[j + 1] === ':') {
          const end = re.indexOf(':]', j);
          const cls = re.slice(j + 2, end);
          const classes: Record<string, string> = { space: ' \\t\\n\\v\\f\\r', blank: ' \\t', digit: '0-9', alpha: 'A-Za-z', alnum: '0-9A-Za-z', upper: 'A-Z', lower: 'a-z', xdigit: '0-9A-Fa-f', punct: '!-\\/:-@\\[-`{-~' };
          if (end < 0 || !(cls in classes)) fail(`the character class [:${cls}:] is not interpreted`);
          body += classes[cls];
          j = end + 1;
          continue;
        }
        body += re[j] === '\\' ? '\\\\' : re[j];
      }
      if (re[j] !== ']') fail(`an unterminated bracket expression in ${re}`);
      out += '[' + (neg ? '^' : '') + body + ']';
      i = j;
      continue;
    }
    if (c === '\\') {
      const n = re[++i];
      if (n === undefined) fail(`a trailing backslash in ${re}`);
      if (!extended && '(){}+?|'.includes(n)) fail(`\\${n} in a basic regular expression is not interpreted`);
      out += /[A-Za-z0-9]/.test(n) ? fail(`\\${n} is not interpreted`) : '\\' + n;
      continue;
    }
    if ('.*^$'.includes(c)) { out += c; continue; }
    if (extended && '()|+?{}'.includes(c)) { out += c; continue; }
    out += /[A-Za-z0-9_\s]/.test(c) ? c : '\\' + c;
  }
  return out;
}

/** `sort -n` on lines: leading blanks, optional minus, digits; ties by the whole line (bytes, as in the C locale). */
function sortN(lines: string[]): string[] {
  const key = (l: string) => { const m = /^[ \t]*(-?)(\d*)/.exec(l)!; const v = m[2] === '' ? 0 : Number(m[2]); return m[1] ? -v : v; };
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return lines.map(l => ({ l, k: key(l) })).sort((a, b) => a.k - b.k || cmp(a.l, b.l)).map(x => x.l);
}

/**
 * Interprets a `syscallhdr.sh` on `args` and returns what it writes to `$out`.
 * The script must have the shape every QEMU 7.x script has: positional assignments, the
 * file guard computed by `basename | sed`, then `grep -E PATTERN "$in" | sort -n | (` ... `) > "$out"`.
 */
export function interpretSyscallHdr(script: string, args: HdrArgs): HdrResult {
  try {
    return { ok: true, text: interpret(script, args) };
  } catch (e) {
    if (e instanceof ScriptError) return { ok: false, error: `systab cannot interpret this script: ${e.message}` };
    if (e instanceof Continue) return { ok: false, error: `systab cannot interpret this script: \`continue\` outside a loop on line ${e.line + 1}` };
    throw e;
  }
}

function interpret(script: string, args: HdrArgs): string {
  const text = script.replace(/\r\n/g, '\n');
  const positional = ['systab-input.tbl', args.out, args.abis, ...args.extra];
  const env = new Map<string, string>();
  const lines = text.split('\n');
  // Join backslash-continued lines for the top-level statements, keeping line numbers.
  const logical: { text: string; line: number }[] = [];
  for (let n = 0; n < lines.length; n++) {
    const start = n;
    let l = lines[n];
    while (l.endsWith('\\') && n + 1 < lines.length) l = l.slice(0, -1) + ' ' + lines[++n].trim();
    logical.push({ text: l, line: start });
  }
  const posArg = (k: number) => positional[k - 1] ?? '';
  const subst = (s: string) => s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*|[0-9])\}?/g, (_, v: string) => (/^\d$/.test(v) ? posArg(Number(v)) : env.get(v) ?? ''));
  let k = 0;
  let pipeline: { pattern: string; inVar: string } | undefined;
  for (; k < logical.length; k++) {
    const { text: l, line } = logical[k];
    const t = l.trim();
    if (t === '' || t.startsWith('#')) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([A-Za-z_][A-Za-z0-9_]*)="\$([0-9])"$/.exec(t))) { env.set(m[1], posArg(Number(m[2]))); continue; }
    if ((m = /^([A-Za-z_][A-Za-z0-9_]*)=`echo "\(\$([0-9])\)" \| tr ',' '\|'`$/.exec(t))) {
      env.set(m[1], `(${posArg(Number(m[2])).replace(/,/g, '|')})`);
      continue;
    }
    if ((m = /^([A-Za-z_][A-Za-z0-9_]*)=([A-Za-z0-9_]*)`basename "\$([A-Za-z_][A-Za-z0-9_]*)" \| sed((?:\s+-e\s+'[^']*')+)\s*`$/.exec(t))) {
      const exprs = [...m[4].matchAll(/-e\s+'([^']*)'/g)].map(x => x[1]);
      const base = (env.get(m[3]) ?? '').replace(/\/+$/, '').split('/').pop() ?? '';
      env.set(m[1], m[2] + sed(exprs, base));
      continue;
    }
    if ((m = /^if echo \$([A-Za-z_][A-Za-z0-9_]*) \| grep -q ([A-Za-z0-9_]+); then$/.exec(t))) {
      const body = logical[k + 1]?.text.trim() ?? '';
      const a = /^([A-Za-z_][A-Za-z0-9_]*)="([^"`\\]*)"$/.exec(body);
      if (!a || logical[k + 2]?.text.trim() !== 'fi') fail(`line ${line + 1}: an \`if\` other than \`if echo $out | grep -q WORD; then VAR="..."; fi\``);
      if ((env.get(m[1]) ?? '').includes(m[2])) env.set(a![1], subst(a![2]));
      k += 2;
      continue;
    }
    if ((m = /^grep -E "([^"]*)" "\$([A-Za-z_][A-Za-z0-9_]*)" \| sort -n \| \($/.exec(t))) {
      pipeline = { pattern: subst(m[1]), inVar: m[2] };
      k++;
      break;
    }
    fail(`line ${line + 1}: \`${t.length > 60 ? t.slice(0, 60) + '...' : t}\` is not one of the statements systab interprets (positional assignments, the file-guard pipeline, \`grep -E ... "$in" | sort -n | (\`)`);
  }
  if (!pipeline) fail('no `grep -E PATTERN "$in" | sort -n | (` pipeline');
  if (env.get(pipeline!.inVar) !== positional[0]) fail(`the pipeline reads $${pipeline!.inVar}, not the input table ($1)`);
  // The subshell body runs to the line `) > "$out"`.
  const bodyStart = logical[k]?.line ?? lines.length;
  let end = -1;
  for (let n = bodyStart; n < lines.length; n++) if (/^\s*\)\s*>\s*"\$([A-Za-z_][A-Za-z0-9_]*)"\s*$/.test(lines[n])) { end = n; break; }
  if (end < 0) fail('no `) > "$out"` closing the generating subshell');
  const outVar = /"\$([A-Za-z_][A-Za-z0-9_]*)"/.exec(lines[end])![1];
  if (env.get(outVar) !== args.out) fail(`the subshell writes to $${outVar}, not the output ($2)`);
  for (let n = end + 1; n < lines.length; n++) {
    const t = lines[n].trim();
    if (t !== '' && !t.startsWith('#')) fail(`line ${n + 1}: statements after the generating subshell are not interpreted`);
  }
  const body = lines.slice(bodyStart, end).join('\n');
  const stmts = new Parser(tokenize(body, bodyStart)).list([]);
  // grep: each line of the table (a last line without a newline counts), matched as ERE.
  let re: RegExp;
  try { re = new RegExp(breToJs(pipeline!.pattern, true)); } catch { return fail(`the grep pattern ${pipeline!.pattern} is not interpreted`); }
  const tblLines = args.tbl.split('\n');
  if (tblLines[tblLines.length - 1] === '') tblLines.pop();
  const selected = sortN(tblLines.filter(l => re.test(l)));
  let out = '';
  const varsBefore = new Map(env);
  run(stmts, varsBefore, selected, s => { out += s; });
  return out;
}
