// How syscall.c's cases read a 64-bit argument on a 32-bit ABI that aligns register pairs
// (o32, ARM EABI, PPC32, Xtensa, Hexagon: QEMU's regpairs_aligned()). The kernel's
// prototype on the target's ABI says which words carry the value (words.ts layout, with the
// padding word before an odd-starting pair); the case body, as the target's preprocessor
// sees it, says which words it reads: `target_offset64(argA, argB)` after the assignments
// before it (`arg2 = arg3;` under `if (regpairs_aligned(cpu_env, num))`, which is true on
// these ABIs), through one level of helper (`target_truncate64(cpu_env, p, arg2, ...)`).
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { evalCondition } from '../../../syntax/c/defines';
import { PreprocessorLine, preprocessorLinesAgain } from '../../../syntax/c/preprocessor';
import { AbiDef, abiById } from '../../../reference/linux/abis';
import { needOn, Side } from '../../../reference/linux/need';
import { is64, wordPlace } from '../../../reference/linux/words';
import type { KernelReference } from '../../../reference/reference';
import { splitTopLevel } from '../../../reference/linux/params';
import { abiOfTarget, QEMU_ARCHES } from '../arches';
import { linuxUserTargets, parseMak, TargetConfig } from '../syscallhdr';
import { targetDefines } from '../tree';
import type { CaseLabel } from './labels';

/** One 64-bit parameter: where the kernel has it and where the case reads it. */
export interface PairUse {
  param: string;
  type: string;
  /** 1-based words (syscall.c's argN) the kernel passes the value in. */
  want: [number, number];
  /** The words the case hands to target_offset64, resolved through its assignments; undefined when it reads none. */
  read?: [number, number];
}

/** A case that reads a pair from the wrong words on one target. */
export interface PairMisread {
  name: string;
  target: string;
  abi: AbiDef;
  label: CaseLabel;
  side: Side;
  uses: PairUse[];
  /** The kernel's name at the header's number, when it is not the header's. */
  kernelName?: string;
}

/** The preprocessor's view of a target: the macros its config-target.h and headers define. */
export interface TargetView {
  target: string;
  abi: AbiDef;
  defined: Set<string>;
  values: Map<string, number>;
  /** The header's names -> the kernel's (mips's fadvise64_64 is the kernel's fadvise64). */
  kernelOf: Map<string, string>;
  numbers: Map<string, number>;
  /** The header is hand-written (no .tbl): its names may differ from the kernel's at a number. */
  handWritten: boolean;
  /**
   * Macros whose value the view knows (defined or not): every target's `.mak` keys and arch
   * macros, `TARGET_NR_*`, `CONFIG_*`, `TARGET_ABI_BITS`. Others (host macros, what a
   * target's cpu-param.h defines) are unknown: a test that turns on them is not decided.
   */
  known: (name: string) => boolean;
}

let aliasMemo: { text: string; names: string[] } = { text: '', names: [] };

/** syscall.c's `#define TARGET_NR_x ...` names, read once per text (every target asks). */
function syscallAliases(text: string): string[] {
  if (aliasMemo.text !== text)
    aliasMemo = { text, names: [...text.matchAll(/#\s*define\s+(TARGET_NR_\w+)/g)].map(m => m[1]) };
  return aliasMemo.names;
}

/** The macros QEMU's build defines for a linux-user target (meson's config-target.h from its .mak). */
export function targetView(
  root: string,
  r: Reader,
  t: TargetConfig,
  syscallC: string,
  known: (name: string) => boolean = () => true,
): TargetView | undefined {
  const abi = abiById(abiOfTarget(t.target) ?? '');
  if (!abi) return undefined;
  const mak = parseMak(r.read(t.file) ?? '');
  const defined = new Set<string>();
  for (const [k, v] of Object.entries(mak)) if (v === 'y') defined.add(k);
  for (const k of ['TARGET_ARCH', 'TARGET_BASE_ARCH']) if (mak[k]) defined.add(`TARGET_${mak[k].toUpperCase()}`);
  const d = targetDefines(root, r, t);
  for (const n of d.headerNames.keys()) defined.add(`TARGET_NR_${n}`);
  // syscall.c's own aliases (`#define TARGET_NR__llseek TARGET_NR_llseek`).
  for (const name of syscallAliases(syscallC)) defined.add(name);
  const values = new Map<string, number>([['TARGET_ABI_BITS', abi.words.bits]]);
  return {
    target: t.target,
    abi,
    defined,
    values,
    kernelOf: d.kernelOf,
    numbers: d.numbers,
    handWritten: !t.systbl,
    known,
  };
}

/**
 * QEMU's configs/targets keys for a target's ABI and its arch macros: a build defines them
 * only through a `.mak` (or TARGET_ARCH), so a tree whose targets set none of them defines none.
 */
const CONFIG_KEYS = ['TARGET_ABI32', 'TARGET_ABI_MIPSO32', 'TARGET_ABI_MIPSN32', 'TARGET_ABI_MIPSN64'];

/** The macros any target's build may define: its `.mak` keys set to y and its arch macros. */
export function knownMacros(r: Reader, targets: TargetConfig[]): (name: string) => boolean {
  const names = new Set(['TARGET_ABI_BITS', ...CONFIG_KEYS, ...QEMU_ARCHES.flatMap(a => a.macros)]);
  for (const t of targets) {
    const mak = parseMak(r.read(t.file) ?? '');
    for (const [k, v] of Object.entries(mak)) if (v === 'y') names.add(k);
    for (const k of ['TARGET_ARCH', 'TARGET_BASE_ARCH']) if (mak[k]) names.add(`TARGET_${mak[k].toUpperCase()}`);
  }
  return n => names.has(n) || n.startsWith('TARGET_NR_') || n.startsWith('CONFIG_');
}

/** Host features (CONFIG_*) are taken as present: the check is about the guest's words. */
const isDefined = (v: TargetView) => (name: string) => v.defined.has(name) || name.startsWith('CONFIG_');

/** Which lines the preprocessor keeps for a target, and which of those it cannot decide (an unknown macro turns the test). */
export function activeLines(pl: PreprocessorLine[], view: TargetView): { active: boolean[]; unsure: boolean[] } {
  const active = new Array<boolean>(pl.length).fill(false);
  const unsure = new Array<boolean>(pl.length).fill(false);
  const stack: { parent: boolean; taken: boolean; active: boolean; unsure: boolean }[] = [];
  const top = () => stack[stack.length - 1];
  const on = () => (stack.length ? top().active : true);
  const doubt = () => (stack.length ? top().unsure : false);
  // An unknown macro read as undefined and 0, then as defined with 1, 32 and 64: sure when all agree.
  const test = (rest: string): { v: boolean; sure: boolean } => {
    const ways = [
      [false, 0],
      [true, 1],
      [true, 32],
      [true, 64],
    ].map(([def, val]) => {
      const isDef = (n: string) => (view.known(n) ? isDefined(view)(n) : (def as boolean));
      const value = (n: string) => (view.known(n) ? view.values.get(n) : (val as number));
      return (evalCondition(rest, isDef, value) ?? 0) !== 0;
    });
    return { v: ways[0], sure: ways.every(w => w === ways[0]) };
  };
  for (let n = 0; n < pl.length; n++) {
    const d = pl[n].directive;
    if (!d) {
      active[n] = on();
      unsure[n] = doubt();
      continue;
    }
    // A directive continued with `\` reads on into the next lines.
    let rest = d.rest;
    while (pl[n].continued && n + 1 < pl.length) {
      rest = rest.replace(/\\\s*$/, ' ') + pl[++n].code;
    }
    switch (d.name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const parent = on();
        const name = rest.trim().split(/\s/)[0];
        const t =
          d.name === 'if' ? test(rest) : { v: isDefined(view)(name) === (d.name === 'ifdef'), sure: view.known(name) };
        stack.push({ parent, taken: parent && t.v, active: parent && t.v, unsure: doubt() || !t.sure });
        break;
      }
      case 'elif': {
        const g = top();
        if (!g) break;
        const t = test(rest);
        g.active = g.parent && !g.taken && t.v;
        g.taken ||= g.active;
        g.unsure ||= !t.sure;
        break;
      }
      case 'else': {
        const g = top();
        if (!g) break;
        g.active = g.parent && !g.taken;
        g.taken = true;
        break;
      }
      case 'endif':
        stack.pop();
        break;
    }
  }
  return { active, unsure };
}

const LABEL_LINE = /^\s*case\s+TARGET_NR_\w+\s*:/;

/** The active code of a case: from its label to the next syscall's label after a statement, comments blanked. */
export function caseBody(code: string[], active: boolean[], line: number, unsure?: boolean[]): string | undefined {
  const indent = /^\s*/.exec(code[line])![0].length;
  const out: string[] = [];
  let statement = false;
  for (let n = line; n < code.length; n++) {
    // Lines whose keeping the view cannot decide, kept or not, leave the case unjudged.
    if (unsure?.[n]) return undefined;
    if (!active[n]) continue;
    const c = code[n];
    const isLabel = LABEL_LINE.test(c);
    if (n > line && statement && (isLabel || new RegExp(`^\\s{0,${indent}}default\\s*:`).test(c))) break;
    const rest = isLabel ? c.replace(/^\s*case\s+TARGET_NR_\w+\s*:/, '') : c;
    if (rest.trim()) statement = true;
    out.push(rest);
  }
  return out.join('\n');
}

/** Function definitions of the file by name: their parameters and body lines. */
export function functionsOf(code: string[]): Map<string, { params: string[]; start: number; end: number }> {
  const out = new Map<string, { params: string[]; start: number; end: number }>();
  for (let n = 0; n < code.length; n++) {
    const m = /^(?:static\s+)?(?:inline\s+)?[A-Za-z_][\w\s*]*?\b([A-Za-z_]\w*)\s*\(/.exec(code[n]);
    if (!m || /;\s*$/.test(code[n])) continue;
    // The parameter list may span lines; the body opens on the line after it closes.
    let head = code[n].slice(m.index + m[0].length);
    let k = n;
    while (!head.includes(')') && k + 1 < code.length && k - n < 12) head += ' ' + code[++k];
    const close = head.indexOf(')');
    if (close < 0 || !/^\s*\{?\s*$/.test(head.slice(close + 1))) continue;
    if (!/^\s*\{/.test(head.slice(close + 1)) && !/^\{/.test(code[k + 1] ?? '')) continue;
    let end = k + 1;
    while (end < code.length && !/^\}/.test(code[end])) end++;
    const params = head
      .slice(0, close)
      .split(',')
      .map(p => /([A-Za-z_]\w*)\s*$/.exec(p.trim())?.[1] ?? '');
    out.set(m[1], { params, start: k, end });
    n = end;
  }
  return out;
}

interface Reading {
  pairs: [number | undefined, number | undefined][];
  regpairs: boolean;
}

/** Which words a body hands to target_offset64, following `x = y;` assignments in order. */
export function readBody(
  body: string,
  env: Map<string, number | undefined>,
  fns: Map<string, { params: string[]; start: number; end: number }>,
  helperBody: (f: { start: number; end: number }) => string,
  depth = 0,
): Reading {
  const out: Reading = { pairs: [], regpairs: false };
  const re =
    /\bregpairs_aligned\s*\(|\btarget_offset64\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)|\b([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*;|\b([A-Za-z_]\w*)\s*\(([^;{}]*)\)/g;
  const value = (v: string) => (env.has(v) ? env.get(v) : undefined);
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (m[0].startsWith('regpairs_aligned')) out.regpairs = true;
    else if (m[1]) {
      out.pairs.push([value(m[1]), value(m[2])]);
    } else if (m[3]) {
      env.set(m[3], value(m[4]));
    } else if (m[5]) {
      const f = fns.get(m[5]);
      if (f && depth < 2) {
        const open = m.index + m[0].indexOf('(');
        let close = open + 1;
        for (let depth = 1; close < body.length && depth > 0; close++)
          depth += body[close] === '(' ? 1 : body[close] === ')' ? -1 : 0;
        const args = splitTopLevel(body.slice(open + 1, close - 1)).map(a => a.trim());
        const inner = new Map<string, number | undefined>();
        f.params.forEach((p, i) => inner.set(p, /^\w+$/.test(args[i] ?? '') ? value(args[i]) : undefined));
        const r = readBody(helperBody(f), inner, fns, helperBody, depth + 1);
        out.pairs.push(...r.pairs);
        out.regpairs ||= r.regpairs;
      }
      // Go on inside the arguments: they may hold target_offset64() or other calls.
      re.lastIndex = m.index + m[0].indexOf('(') + 1;
    }
  }
  return out;
}

/** The 64-bit parameters of a native side that start after a padding word: [param index, first word]. */
export function alignedPairs(side: Side): { param: number; word: number }[] {
  const out: { param: number; word: number }[] = [];
  side.words.forEach((w, i) => {
    if (w.part === 'lo' && i > 0 && side.words[i - 1].part === 'pad') out.push({ param: w.param, word: i });
  });
  return out;
}

let activeMemo: { sig: string; byView: Map<string, ReturnType<typeof activeLines>> } = { sig: '', byView: new Map() };

/** What activeLines reads of a text: its line count and each directive line (with continuations). */
function directiveSignature(pl: PreprocessorLine[]): string {
  const parts = [String(pl.length)];
  for (let n = 0; n < pl.length; n++)
    if (pl[n].directive || (n > 0 && pl[n - 1].continued)) parts.push(`${n}:${pl[n].code}`);
  return parts.join('\n');
}

/** A view's identity for activeLines: its target and every macro it defines or knows the value of. */
const viewKey = (v: TargetView) =>
  `${v.target}\0${[...v.defined].join(',')}\0${[...v.values].map(([k, x]) => `${k}=${x}`).join(',')}`;

/** The 32-bit targets that align pairs, with the preprocessor's view of each. */
export function pairTargets(root: string, r: Reader, syscallText: string): TargetView[] {
  const targets = linuxUserTargets(root, r);
  const known = knownMacros(r, targets);
  return targets
    .map(t => targetView(root, r, t, syscallText, known))
    .filter((v): v is TargetView => !!v && v.abi.words.bits === 32 && v.abi.words.align64);
}

/** Every case, on every pair-aligning target, that reads a 64-bit argument from other words than the kernel passes it in. */
export function pairMisreads(
  text: string,
  labels: CaseLabel[],
  views: TargetView[],
  ref: KernelReference,
  /** Collects every case with a 64-bit argument read, misread or not (for tests and the report). */
  checked?: PairMisread[],
): PairMisread[] {
  const lines = text.split('\n');
  const pl = preprocessorLinesAgain(lines);
  const code = pl.map(l => l.code);
  let fns: ReturnType<typeof functionsOf> | undefined;
  const labelLine = new Map<CaseLabel, number>();
  {
    let line = 0,
      at = 0;
    for (const l of labels) {
      while (line < lines.length - 1 && at + lines[line].length + 1 <= l.start) at += lines[line++].length + 1;
      labelLine.set(l, line);
    }
  }
  const out: PairMisread[] = [];
  // A one-character edit rarely touches a directive: the lines each target's preprocessor
  // keeps are reused while the directives (and the line count) read the same.
  const sig = directiveSignature(pl);
  if (activeMemo.sig !== sig) activeMemo = { sig, byView: new Map() };
  const memo = activeMemo;
  for (const view of views) {
    const entries = ref.entries(view.abi) ?? [];
    const table = new Map(entries.map(e => [e.name, e]));
    const byNumber = new Map(entries.map(e => [e.number, e]));
    let view_: ReturnType<typeof activeLines> | undefined = memo.byView.get(viewKey(view));
    for (const label of labels) {
      const kname = view.kernelOf.get(label.name);
      // A hand-written header may name a number otherwise than the kernel (QEMU 7.2's hexagon
      // 84 `sync_file_range`, the kernel's sync_file_range2): the guest passes the kernel's words.
      const nr = view.numbers.get(label.name);
      const entry =
        (kname && table.get(kname)) || (view.handWritten && nr !== undefined ? byNumber.get(nr) : undefined);
      if (!entry) continue;
      const side = needOn(entry, ref, view.abi).native;
      if (!side) continue;
      if (!side.words.some(w => w.part === 'lo')) continue;
      if (!view_) memo.byView.set(viewKey(view), (view_ = activeLines(pl, view)));
      const { active, unsure } = view_;
      const line = labelLine.get(label)!;
      if (!active[line] || unsure[line]) continue;
      // A body the view cannot decide (an unknown macro in an #if inside it) is not judged.
      const body = caseBody(code, active, line, unsure);
      if (body === undefined) continue;
      fns ??= functionsOf(code);
      const helperBody = (f: { start: number; end: number }) =>
        unsure.slice(f.start, f.end).some(u => u)
          ? ''
          : code
              .slice(f.start, f.end)
              .filter((_, i) => active[f.start + i])
              .join('\n');
      const env = new Map<string, number | undefined>([1, 2, 3, 4, 5, 6, 7, 8].map(i => [`arg${i}`, i]));
      const reading = readBody(body, env, fns, helperBody);
      const pairs = reading.pairs.filter((x): x is [number, number] => x[0] !== undefined && x[1] !== undefined);
      const uses: (PairUse & { index: number })[] = [];
      side.proto.params.forEach((p, i) => {
        if (!is64(p.type)) return;
        const first = side.words.findIndex(w => w.param === i);
        uses.push({ index: i, param: p.name || `arg${i + 1}`, type: p.type, want: [first + 1, first + 2] });
      });
      // target_offset64 calls follow the prototype's order: the k-th 64-bit parameter is read by
      // the call on its own words, else by the k-th call.
      uses.forEach((u, k) => (u.read = pairs.find(p => p[0] === u.want[0] && p[1] === u.want[1]) ?? pairs[k]));
      const wrong = uses.filter(u => u.read && (u.read[0] !== u.want[0] || u.read[1] !== u.want[1]));
      const m = {
        name: label.name,
        target: view.target,
        abi: view.abi,
        label,
        side,
        uses: uses.map(({ index: _, ...u }) => u),
        kernelName: entry.name !== label.name ? entry.name : undefined,
      };
      checked?.push(m);
      if (wrong.length) out.push(m);
    }
  }
  return out;
}

/** `fd` in r0, padding in r1, `offset` in r2-r3, ...: one ABI's words for a prototype. */
export function layoutText(side: Side, abi: AbiDef): string {
  return side.words
    .map((w, i) => {
      const p = side.proto.params[w.param];
      const what =
        w.part === 'pad'
          ? 'padding'
          : `${p?.name || `arg${w.param + 1}`}${w.part === 'lo' ? ' (1st half)' : w.part === 'hi' ? ' (2nd half)' : ''}`;
      return `arg${i + 1}=${wordPlace(abi.words, i)}: ${what}`;
    })
    .join(', ');
}

export const relTarget = (root: string, file: string) => path.relative(root, file);
