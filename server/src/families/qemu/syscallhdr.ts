// What QEMU's `linux-user/<dir>/syscallhdr.sh` generates from a `.tbl` for a target,
// computed without running it: systab never executes workspace programs. The script is
// read and interpreted: its argument assignments, the file-guard pipeline (`basename |
// sed -e y/../../ -e s/../../g`), the `grep -E ... | sort -n` selection, and the small
// shell subset of the loop body (`printf`, `echo`, `if [ ... ]`, `continue`, assignments,
// `$((nr+1))`). The targets' differences (mips renames fadvise64, ppc skips
// `sys_ni_syscall` rows, printf or echo output, a trailing newline or not) all come from
// the script text; a script outside that subset gets a clear error, never a guess.
// The sh subset itself (words, statements, running them, sed, grep -E and sort -n) is
// syntax/sh; this file holds the script's QEMU shape and where its arguments come from.
// The arguments come from `configs/targets/<target>-linux-user.mak` (TARGET_SYSTBL,
// TARGET_SYSTBL_ABI, TARGET_ABI_DIR defaulting to TARGET_ARCH) and from
// `linux-user/<dir>/meson.build` (the generator's arguments after `@EXTRA_ARGS@`, and its
// output name `@BASENAME@_nr.h`).
import * as path from 'path';
import type { Reader } from '../../core/reader';
import { fail, ShError } from '../../syntax/sh/error';
import { parseSh } from '../../syntax/sh/parse';
import { runSh } from '../../syntax/sh/run';
import { breToJs, sed, sortN } from '../../syntax/sh/utilities';

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
      ok: true;
      text: string;
      target: string;
      /** Every target whose header is this same text (e.g. mips and mipsel). */
      targets: string[];
      abis: string;
      prefix: string;
      offset: string;
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
    out.push({
      target: n.slice(0, -'-linux-user.mak'.length),
      arch,
      abiDir: mak.TARGET_ABI_DIR ?? arch,
      systbl: mak.TARGET_SYSTBL,
      systblAbi: mak.TARGET_SYSTBL_ABI,
      file,
    });
  }
  return out;
}

export interface GeneratorArgs {
  extra: string[];
  output: string;
  file: string;
}

/** The generator a `linux-user/<dir>/meson.build` registers: arguments after `@EXTRA_ARGS@` and the output pattern. */
export function parseMesonGenerator(text: string, dir: string): GeneratorArgs | { error: string } {
  const noComments = text
    .split('\n')
    .map(l => l.replace(/#.*$/, ''))
    .join('\n');
  const key = new RegExp(`'${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'\\s*:\\s*generator\\s*\\(`).exec(noComments);
  if (!key) return { error: `it registers no syscall_nr generator for '${dir}'` };
  const body = noComments.slice(key.index + key[0].length);
  const args = /\barguments\s*:\s*\[([^\]]*)\]/.exec(body);
  const output = /\boutput\s*:\s*'([^']*)'/.exec(body);
  if (!args || !output) return { error: 'its generator has no `arguments: [...]` or `output:`' };
  const strings = [...args[1].matchAll(/'((?:[^'\\]|\\.)*)'|([^\s,]+)/g)];
  const values = strings.map(s => (s[1] !== undefined ? s[1].replace(/\\(.)/g, '$1') : undefined));
  const at = values.indexOf('@EXTRA_ARGS@');
  if (at < 0 || values.indexOf('@INPUT@') < 0 || values.indexOf('@OUTPUT@') < 0)
    return { error: 'its generator arguments are not `script, @INPUT@, @OUTPUT@, @EXTRA_ARGS@, ...`' };
  const extra = values.slice(at + 1);
  if (extra.some(v => v === undefined))
    return { error: 'its generator passes arguments that are not string literals after @EXTRA_ARGS@' };
  return { extra: extra as string[], output: output[1], file: '' };
}

/**
 * The header `linux-user/<dir>/syscallhdr.sh` writes for `tblRelPath` (relative to the
 * QEMU root, `linux-user/<dir>/<name>.tbl`) with text `tblText`, for `target` or the only
 * target (or targets sharing an ABI list) that uses that table.
 */
export function regenHeader(
  qemuRoot: string,
  tblText: string,
  tblRelPath: string,
  target: string | undefined,
  io: Reader,
): RegenResult {
  const rel = tblRelPath.replace(/\\/g, '/');
  const m = /(?:^|\/)linux-user\/([^/]+)\/([^/]+\.tbl)$/.exec(rel);
  if (!m)
    return {
      ok: false,
      error: `${tblRelPath} is not a table under linux-user/<dir>/: syscallhdr.sh generates headers only for those`,
    };
  const [, dir, base] = m;
  const all = linuxUserTargets(qemuRoot, io);
  if (!all.length)
    return {
      ok: false,
      error: `no configs/targets/*-linux-user.mak under ${qemuRoot}: cannot tell which targets use ${rel}`,
    };
  const users = all.filter(t => t.abiDir === dir && t.systbl === base && t.systblAbi !== undefined);
  const describe = (t: TargetConfig) => `${t.target} (TARGET_SYSTBL_ABI=${t.systblAbi})`;
  if (!users.length)
    return {
      ok: false,
      error: `no QEMU target uses linux-user/${dir}/${base}: no configs/targets/*-linux-user.mak has TARGET_SYSTBL=${base} with TARGET_ABI_DIR (or TARGET_ARCH) ${dir}`,
    };
  let chosen: TargetConfig;
  if (target !== undefined) {
    const t = users.find(u => u.target === target);
    if (!t) {
      const known = all.find(u => u.target === target);
      const why = known
        ? `${target} uses ${known.systbl ? `linux-user/${known.abiDir}/${known.systbl}` : 'no .tbl'}, not linux-user/${dir}/${base}`
        : `there is no configs/targets/${target}-linux-user.mak`;
      return {
        ok: false,
        error: `${why}; the targets using this table are ${users.map(describe).join(', ')}`,
        candidates: users.map(u => u.target),
      };
    }
    chosen = t;
  } else {
    const lists = new Set(users.map(u => u.systblAbi));
    if (lists.size > 1) {
      return {
        ok: false,
        error: `linux-user/${dir}/${base} serves targets with different ABI lists: ${users.map(describe).join(', ')}; choose one with --target`,
        candidates: users.map(u => u.target),
      };
    }
    chosen = users[0];
  }
  const mesonFile = path.join(qemuRoot, 'linux-user', dir, 'meson.build');
  const meson = io.read(mesonFile);
  if (meson === undefined)
    return { ok: false, error: `cannot read linux-user/${dir}/meson.build: it gives the generator's arguments` };
  const gen = parseMesonGenerator(meson, dir);
  if ('error' in gen) return { ok: false, error: `linux-user/${dir}/meson.build: ${gen.error}` };
  const parentMeson = io.read(path.join(qemuRoot, 'linux-user', 'meson.build'));
  if (parentMeson !== undefined && !new RegExp(`subdir\\(\\s*'${dir}'\\s*\\)`).test(parentMeson)) {
    return {
      ok: false,
      error: `linux-user/meson.build has no subdir('${dir}'): the generator in linux-user/${dir}/meson.build is never registered`,
    };
  }
  const scriptRel = `linux-user/${dir}/syscallhdr.sh`;
  const script = io.read(path.join(qemuRoot, 'linux-user', dir, 'syscallhdr.sh'));
  if (script === undefined) return { ok: false, error: `cannot read ${scriptRel}` };
  const output = gen.output.replace(/@BASENAME@/g, base.replace(/\.[^.]*$/, '')).replace(/@PLAINNAME@/g, base);
  const r = interpretSyscallHdr(script, { tbl: tblText, out: output, abis: chosen.systblAbi!, extra: gen.extra });
  if (!r.ok) return { ok: false, error: `${scriptRel}: ${r.error}` };
  const same = users.filter(u => u.systblAbi === chosen.systblAbi).map(u => u.target);
  return {
    ok: true,
    text: r.text,
    target: chosen.target,
    targets: same,
    abis: chosen.systblAbi!,
    prefix: gen.extra[0] ?? '',
    offset: gen.extra[1] ?? '',
    output,
    script: scriptRel,
  };
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
    if (e instanceof ShError) return { ok: false, error: `systab cannot interpret this script: ${e.message}` };
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
  const subst = (s: string) =>
    s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*|[0-9])\}?/g, (_, v: string) =>
      /^\d$/.test(v) ? posArg(Number(v)) : (env.get(v) ?? ''),
    );
  let k = 0;
  let pipeline: { pattern: string; inVar: string } | undefined;
  for (; k < logical.length; k++) {
    const { text: l, line } = logical[k];
    const t = l.trim();
    if (t === '' || t.startsWith('#')) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([A-Za-z_][A-Za-z0-9_]*)="\$([0-9])"$/.exec(t))) {
      env.set(m[1], posArg(Number(m[2])));
      continue;
    }
    if ((m = /^([A-Za-z_][A-Za-z0-9_]*)=`echo "\(\$([0-9])\)" \| tr ',' '\|'`$/.exec(t))) {
      env.set(m[1], `(${posArg(Number(m[2])).replace(/,/g, '|')})`);
      continue;
    }
    if (
      (m =
        /^([A-Za-z_][A-Za-z0-9_]*)=([A-Za-z0-9_]*)`basename "\$([A-Za-z_][A-Za-z0-9_]*)" \| sed((?:\s+-e\s+'[^']*')+)\s*`$/.exec(
          t,
        ))
    ) {
      const exprs = [...m[4].matchAll(/-e\s+'([^']*)'/g)].map(x => x[1]);
      const base = (env.get(m[3]) ?? '').replace(/\/+$/, '').split('/').pop() ?? '';
      env.set(m[1], m[2] + sed(exprs, base));
      continue;
    }
    if ((m = /^if echo \$([A-Za-z_][A-Za-z0-9_]*) \| grep -q ([A-Za-z0-9_]+); then$/.exec(t))) {
      const body = logical[k + 1]?.text.trim() ?? '';
      const a = /^([A-Za-z_][A-Za-z0-9_]*)="([^"`\\]*)"$/.exec(body);
      if (!a || logical[k + 2]?.text.trim() !== 'fi')
        fail(`line ${line + 1}: an \`if\` other than \`if echo $out | grep -q WORD; then VAR="..."; fi\``);
      if ((env.get(m[1]) ?? '').includes(m[2])) env.set(a![1], subst(a![2]));
      k += 2;
      continue;
    }
    if ((m = /^grep -E "([^"]*)" "\$([A-Za-z_][A-Za-z0-9_]*)" \| sort -n \| \($/.exec(t))) {
      pipeline = { pattern: subst(m[1]), inVar: m[2] };
      k++;
      break;
    }
    fail(
      `line ${line + 1}: \`${t.length > 60 ? t.slice(0, 60) + '...' : t}\` is not one of the statements systab interprets (positional assignments, the file-guard pipeline, \`grep -E ... "$in" | sort -n | (\`)`,
    );
  }
  if (!pipeline) fail('no `grep -E PATTERN "$in" | sort -n | (` pipeline');
  if (env.get(pipeline!.inVar) !== positional[0])
    fail(`the pipeline reads $${pipeline!.inVar}, not the input table ($1)`);
  // The subshell body runs to the line `) > "$out"`.
  const bodyStart = logical[k]?.line ?? lines.length;
  let end = -1;
  for (let n = bodyStart; n < lines.length; n++)
    if (/^\s*\)\s*>\s*"\$([A-Za-z_][A-Za-z0-9_]*)"\s*$/.test(lines[n])) {
      end = n;
      break;
    }
  if (end < 0) fail('no `) > "$out"` closing the generating subshell');
  const outVar = /"\$([A-Za-z_][A-Za-z0-9_]*)"/.exec(lines[end])![1];
  if (env.get(outVar) !== args.out) fail(`the subshell writes to $${outVar}, not the output ($2)`);
  for (let n = end + 1; n < lines.length; n++) {
    const t = lines[n].trim();
    if (t !== '' && !t.startsWith('#'))
      fail(`line ${n + 1}: statements after the generating subshell are not interpreted`);
  }
  const body = lines.slice(bodyStart, end).join('\n');
  const stmts = parseSh(body, bodyStart);
  // grep: each line of the table (a last line without a newline counts), matched as ERE.
  let re: RegExp;
  try {
    re = new RegExp(breToJs(pipeline!.pattern, true));
  } catch {
    return fail(`the grep pattern ${pipeline!.pattern} is not interpreted`);
  }
  const tblLines = args.tbl.split('\n');
  if (tblLines[tblLines.length - 1] === '') tblLines.pop();
  const selected = sortN(tblLines.filter(l => re.test(l)));
  let out = '';
  const varsBefore = new Map(env);
  runSh(stmts, varsBefore, selected, s => {
    out += s;
  });
  return out;
}
