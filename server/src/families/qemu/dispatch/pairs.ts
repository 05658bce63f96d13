// How syscall.c's cases read a 64-bit argument on a 32-bit ABI that aligns register pairs
// (o32, ARM EABI, PPC32, Xtensa, Hexagon: QEMU's regpairs_aligned()). The kernel's
// prototype on the target's ABI says which words carry the value (words.ts layout, with the
// padding word before an odd-starting pair); the case body, as the target's preprocessor
// sees it, says which words it reads: `target_offset64(argA, argB)` after the assignments
// before it (`arg2 = arg3;` under `if (regpairs_aligned(cpu_env, num))`, which is true on
// these ABIs), through one level of helper (`target_truncate64(cpu_env, p, arg2, ...)`).
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { ReadRecord, readsTheSame, recording } from '../../../core/readRecord';
import { linesAgain } from '../../../core/textChange';
import { registerMemo } from '../../../core/memos';
import { evalCondition } from '../../../syntax/c/defines';
import { linesRedone, PreprocessorLine, preprocessorLinesAgain } from '../../../syntax/c/preprocessor';
import { AbiDef, abiById } from '../../../reference/linux/abis';
import { needOn, Side } from '../../../reference/linux/need';
import { is64, wordPlace } from '../../../reference/linux/words';
import type { KernelReference, TableEntry } from '../../../reference/reference';
import { splitTopLevel } from '../../../reference/linux/params';
import { abiOfTarget, QEMU_ARCHES } from '../arches';
import { linuxUserTargets, parseMak, TargetConfig } from '../syscallhdr';
import { syscallAliases, targetDefines } from '../tree';
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
  for (const name of syscallAliases(syscallC)) defined.add(`TARGET_NR_${name}`);
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
  return caseBodyRead(code, active, line, unsure).body;
}

/** caseBody, and the last line it read. */
function caseBodyRead(
  code: string[],
  active: boolean[],
  line: number,
  unsure?: boolean[],
): { body: string | undefined; last: number } {
  const indent = /^\s*/.exec(code[line])![0].length;
  const out: string[] = [];
  let statement = false;
  const defaultLabel = new RegExp(`^\\s{0,${indent}}default\\s*:`);
  for (let n = line; n < code.length; n++) {
    // Lines whose keeping the view cannot decide, kept or not, leave the case unjudged.
    if (unsure?.[n]) return { body: undefined, last: n };
    if (!active[n]) continue;
    const c = code[n];
    const isLabel = LABEL_LINE.test(c);
    if (n > line && statement && (isLabel || defaultLabel.test(c))) return { body: out.join('\n'), last: n };
    const rest = isLabel ? c.replace(/^\s*case\s+TARGET_NR_\w+\s*:/, '') : c;
    if (rest.trim()) statement = true;
    out.push(rest);
  }
  return { body: out.join('\n'), last: code.length - 1 };
}

const FUNCTION_HEAD = /^(?:static\s+)?(?:inline\s+)?[A-Za-z_][\w\s*]*?\b([A-Za-z_]\w*)\s*\(/;
/** How many lines after a head functionsOf reads for the parameter list and the opening brace. */
const HEAD_LINES = 13;

/** Function definitions of the file by name: their parameters and body lines. */
export function functionsOf(code: string[]): Map<string, { params: string[]; start: number; end: number }> {
  const out = new Map<string, { params: string[]; start: number; end: number }>();
  for (let n = 0; n < code.length; n++) {
    const m = FUNCTION_HEAD.exec(code[n]);
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

let lastFunctions: { code: string[]; fns: ReturnType<typeof functionsOf> } | undefined;

/**
 * functionsOf for code that often differs from the last asked only inside a function's
 * body (typing in syscall.c): the last answer is kept when the line count is the same and
 * no changed line, before or after, is one functionsOf reads for a head, a parameter list,
 * an opening or a closing brace (a line at column 0, or within HEAD_LINES after a head).
 */
export function functionsAgain(
  code: string[],
  /** The lines that differ from `base` (when the last call's code is `base`, only they are looked at). */
  hint?: { base: string[]; changed: number[] },
): ReturnType<typeof functionsOf> {
  const prev = lastFunctions;
  if (prev && prev.code.length === code.length) {
    let same = true;
    const lines = hint && hint.base === prev.code ? hint.changed : code.keys();
    for (const n of lines) {
      if (!same) break;
      if (code[n] === prev.code[n]) continue;
      // Indented lines never match a head nor a brace functionsOf looks for.
      const read = (s: string) => /^\S/.test(s) || /^\s*[{}]/.test(s);
      if (read(code[n]) || read(prev.code[n])) same = false;
      for (let k = Math.max(0, n - HEAD_LINES); k < n && same; k++)
        if (FUNCTION_HEAD.test(code[k]) || FUNCTION_HEAD.test(prev.code[k])) same = false;
    }
    if (same) {
      lastFunctions = { code, fns: prev.fns };
      return prev.fns;
    }
  }
  const fns = functionsOf(code);
  lastFunctions = { code, fns };
  return fns;
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
function viewKey(v: TargetView): string {
  let k = viewKeys.get(v);
  if (k === undefined)
    viewKeys.set(
      v,
      (k = `${v.target}\0${[...v.defined].join(',')}\0${[...v.values].map(([k, x]) => `${k}=${x}`).join(',')}`),
    );
  return k;
}
const viewKeys = new WeakMap<TargetView, string>();

/** A label's syscall on a view when its kernel prototype has a 64-bit word pair: the entry, its words and its 64-bit parameters. */
interface PairCandidate {
  entry: TableEntry;
  side: Side;
  uses: (PairUse & { index: number })[];
}

/**
 * Which syscalls are candidates on a view, by the label's name: that depends on the view and
 * the reference only, so it is worked out once per name for each view object (pairTargets
 * keeps its views while what they were read from is unchanged), not once per edit.
 */
function candidatesOf(view: TargetView, ref: KernelReference): (name: string) => PairCandidate | undefined {
  let c = candidates.get(view);
  if (!c || c.ref !== ref) {
    const entries = ref.entries(view.abi) ?? [];
    c = {
      ref,
      table: new Map(entries.map(e => [e.name, e])),
      byNumber: new Map(entries.map(e => [e.number, e])),
      byName: new Map(),
    };
    candidates.set(view, c);
  }
  const { table, byNumber, byName } = c;
  return name => {
    const known = byName.get(name);
    if (known !== undefined) return known ?? undefined;
    const kname = view.kernelOf.get(name);
    // A hand-written header may name a number otherwise than the kernel (QEMU 7.2's hexagon
    // 84 `sync_file_range`, the kernel's sync_file_range2): the guest passes the kernel's words.
    const nr = view.numbers.get(name);
    const entry = (kname && table.get(kname)) || (view.handWritten && nr !== undefined ? byNumber.get(nr) : undefined);
    const side = entry ? needOn(entry, ref, view.abi).native : undefined;
    let out: PairCandidate | undefined;
    if (entry && side && side.words.some(w => w.part === 'lo')) {
      const uses: (PairUse & { index: number })[] = [];
      side.proto.params.forEach((p, i) => {
        if (!is64(p.type)) return;
        const first = side.words.findIndex(w => w.param === i);
        uses.push({ index: i, param: p.name || `arg${i + 1}`, type: p.type, want: [first + 1, first + 2] });
      });
      out = { entry, side, uses };
    }
    byName.set(name, out ?? null);
    return out;
  };
}
const candidates = new WeakMap<
  TargetView,
  {
    ref: KernelReference;
    table: Map<string, TableEntry>;
    byNumber: Map<number, TableEntry>;
    byName: Map<string, PairCandidate | null>;
  }
>();

let targetsMemo: { root: string; aliases: string[]; record: ReadRecord; views: TargetView[] } | undefined;

/**
 * The 32-bit targets that align pairs, with the preprocessor's view of each. The same views
 * (the same objects) while the files they were read from and syscall.c's aliases read the
 * same: what pairMisreads works out once per view is kept on them.
 */
export function pairTargets(root: string, r: Reader, syscallText: string): TargetView[] {
  const aliases = syscallAliases(syscallText);
  const m = targetsMemo;
  if (m && m.root === root && m.aliases === aliases && readsTheSame(r, m.record)) return m.views;
  const { result: views, record } = recording(r, rr => {
    const targets = linuxUserTargets(root, rr);
    const known = knownMacros(rr, targets);
    return targets
      .map(t => targetView(root, rr, t, syscallText, known))
      .filter((v): v is TargetView => !!v && v.abi.words.bits === 32 && v.abi.words.align64);
  });
  targetsMemo = { root, aliases, record, views };
  return views;
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
  const lines = linesAgain(text);
  const pl = preprocessorLinesAgain(lines);
  // The lines changed since the last call (undefined when the line count moved): a reading
  // whose helpers' lines are not among them still holds. Where the preprocessor's view was
  // redone from the last call's for a few lines, only those are looked at.
  const redone = linesRedone(pl);
  const before = lastPl;
  const beforeCode = lastCode;
  let code: string[];
  let changed: number[] | undefined;
  if (redone && before && redone.from === before && beforeCode && beforeCode.length === pl.length) {
    code = beforeCode.slice();
    changed = [];
    for (const n of redone.lines) if ((code[n] = pl[n].code) !== beforeCode[n]) changed.push(n);
  } else {
    code = pl.map(l => l.code);
    if (beforeCode && beforeCode.length === code.length) {
      changed = [];
      for (let n = 0; n < code.length; n++) if (code[n] !== beforeCode[n]) changed.push(n);
    }
  }
  const againFns = () => functionsAgain(code, beforeCode && changed && { base: beforeCode, changed });
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
  // keeps are reused while the directives (and the line count) read the same. When no changed
  // line is or continues a directive, before or after, they do, without reading them all.
  const touches = (p: PreprocessorLine[], n: number) => !!p[n].directive || (n > 0 && p[n - 1].continued);
  if (!(changed && before && changed.every(n => !touches(before, n) && !touches(pl, n)))) {
    const sig = directiveSignature(pl);
    if (activeMemo.sig !== sig) activeMemo = { sig, byView: new Map() };
  }
  const memo = activeMemo;
  lastCode = code;
  lastPl = pl;
  const viewLines = views.map(v => memo.byView.get(viewKey(v)));
  const lineOf = labels.map(l => labelLine.get(l)!);
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  // An edit outside every case body and helper this check read (the same lines, directives,
  // functions, labels and targets) gives the last answer, at the labels' new places.
  const prev = lastRun;
  if (
    prev &&
    changed &&
    prev.views === views &&
    prev.ref === ref &&
    viewLines.every((v, i) => v === prev.viewLines[i]) &&
    (!prev.fns || againFns() === prev.fns) &&
    labels.length === prev.names.length &&
    labels.every((l, i) => l.name === prev.names[i] && lineOf[i] === prev.lineOf[i]) &&
    !changed.some(n => prev.ranges.some(([a, b]) => n >= a && n < b))
  ) {
    const all = prev.all.map(x => ({ ...x, m: { ...x.m, label: labels[x.index] } }));
    for (const x of all) {
      checked?.push(x.m);
      if (x.wrong) out.push(x.m);
    }
    lastRun = { ...prev, all };
    return out;
  }
  const run: LastRun = { views, ref, viewLines, names: labels.map(l => l.name), lineOf, ranges: [], all: [] };
  const readings: Readings = new Map();
  for (const [v, view] of views.entries()) {
    let view_: ReturnType<typeof activeLines> | undefined = viewLines[v];
    const candidateOf = candidatesOf(view, ref);
    for (const label of labels) {
      const cand = candidateOf(label.name);
      if (!cand) continue;
      const { entry, side } = cand;
      if (!view_) memo.byView.set(viewKey(view), (view_ = run.viewLines[v] = activeLines(pl, view)));
      const { active, unsure } = view_;
      const line = labelLine.get(label)!;
      if (!active[line] || unsure[line]) continue;
      // A body the view cannot decide (an unknown macro in an #if inside it) is not judged.
      const { body, last } = caseBodyRead(code, active, line, unsure);
      run.ranges.push([line, last + 1]);
      if (body === undefined) continue;
      run.fns = fns ??= againFns();
      const helperBody = (f: { start: number; end: number }) =>
        unsure.slice(f.start, f.end).some(u => u)
          ? ''
          : code
              .slice(f.start, f.end)
              .filter((_, i) => active[f.start + i])
              .join('\n');
      const { reading, helpers } = readCase(body, fns, view_, helperBody, readings, changed);
      for (const f of helpers) run.ranges.push([f.start, f.end]);
      const pairs = reading.pairs.filter((x): x is [number, number] => x[0] !== undefined && x[1] !== undefined);
      const uses = cand.uses.map(u => ({ ...u }));
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
      run.all.push({ m, index: labelIndex.get(label)!, wrong: wrong.length > 0 });
    }
  }
  lastReadings = readings;
  lastRun = run;
  return out;
}

/** What the last pairMisreads read, and where, to give its answer again after an edit elsewhere. */
interface LastRun {
  views: TargetView[];
  ref: KernelReference;
  viewLines: (ReturnType<typeof activeLines> | undefined)[];
  fns?: ReturnType<typeof functionsOf>;
  names: string[];
  lineOf: number[];
  /** The lines read: [first, end) of each case body and helper. */
  ranges: [number, number][];
  /** Every case read, by its label's index, and whether it misreads. */
  all: { m: PairMisread; index: number; wrong: boolean }[];
}

let lastRun: LastRun | undefined;

/** A case body's reading, with what it depended on besides the body and the view's lines: the functions and the helpers it read. */
interface CaseReading {
  fns: ReturnType<typeof functionsOf>;
  helpers: { start: number; end: number }[];
  reading: Reading;
}

let lastCode: string[] | undefined;
let lastPl: PreprocessorLine[] | undefined;

/** Readings by the view's lines and the body (what readBody reads besides the code). */
type Readings = Map<ReturnType<typeof activeLines>, Map<string, CaseReading>>;

/** The last call's readings: the cases an edit did not touch are not read again. */
let lastReadings: Readings = new Map();

registerMemo(() => {
  lastFunctions = undefined;
  activeMemo = { sig: '', byView: new Map() };
  targetsMemo = undefined;
  lastCode = undefined;
  lastPl = undefined;
  lastReadings = new Map();
  lastRun = undefined;
});

/** readBody from syscall.c's argN, or the last call's reading while all it depended on is the same. */
function readCase(
  body: string,
  fns: ReturnType<typeof functionsOf>,
  lines: ReturnType<typeof activeLines>,
  helperBody: (f: { start: number; end: number }) => string,
  readings: Readings,
  changed: number[] | undefined,
): CaseReading {
  let mine = readings.get(lines);
  if (!mine) readings.set(lines, (mine = new Map()));
  // Readings of this call hold as they are; the last call's while none of their helpers' lines changed.
  const now = mine.get(body);
  if (now) return now;
  const hit = lastReadings.get(lines)?.get(body);
  if (
    hit &&
    hit.fns === fns &&
    (!hit.helpers.length || (changed && hit.helpers.every(f => !changed.some(n => n >= f.start && n < f.end))))
  ) {
    mine.set(body, hit);
    return hit;
  }
  const helpers: { start: number; end: number }[] = [];
  const recorded = (f: { start: number; end: number }) => {
    helpers.push(f);
    return helperBody(f);
  };
  const env = new Map<string, number | undefined>([1, 2, 3, 4, 5, 6, 7, 8].map(i => [`arg${i}`, i]));
  const reading = readBody(body, env, fns, recorded);
  const entry = { fns, helpers, reading };
  mine.set(body, entry);
  return entry;
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
