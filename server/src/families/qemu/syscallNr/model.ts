// QEMU `linux-user/<target>/syscall_nr.h`: syscall numbers as C macros, in every form QEMU
// 7.2 uses. Hand-written or `gensyscalls.sh`-written lists (`#define TARGET_NR_read 63`),
// expressions over a base (`(TARGET_NR_Linux + 3)`, `(TARGET_NR_timer_create+1)`,
// `(TARGET_NR_arch_specific_syscall + 15)`), stubs that only `#include` the header
// `syscallhdr.sh` generates (`#include "syscall_o32_nr.h"`), `#if`/`#ifdef` blocks
// choosing one of several, and arch-private prefixes (`ARM_NR_BASE`, `ARM_NR_set_tls`).
// The header is read as any header of numeric defines (syntax/c/defines); this file says
// which defines are syscalls, bases, the count or arch-private calls, and whether the
// file is only a stub.
import { binaryProblem, LineMap, lineMap, looksBinary, splitLines } from '../../../core/text';
import { Range, range } from '../../../core/types';
import { evalCondition, evalExpr, readDefines, resolveForward, unknownNames } from '../../../syntax/c/defines';

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
export interface NrMacro {
  macro: string;
  value: string;
  number?: number;
  line: number;
  range: Range;
  conditions: string[];
}

export interface NrInclude {
  path: string;
  system: boolean;
  line: number;
  range: Range;
  conditions: string[];
}

export interface NrProblem {
  line: number;
  range: Range;
  message: string;
}

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
  /** Values of names the file uses from elsewhere (its directory's headers, QEMU's known bases), for one build. */
  known?: Record<string, number>;
}

export interface NrStyle {
  /** Text between the macro name and the value: ' ', '\t', '\t\t', ... */
  separator: string;
  /** The `(BASE + N)` value most syscall lines use, as a template for new lines (`(TARGET_NR_Linux +   3)`). */
  baseForm?: string;
  /**
   * The column (tabs every 8) most syscall values start at, or end at (ppc's right-aligned
   * numbers), when most lines share one: new lines are padded to it, with tabs if the file pads with tabs.
   */
  column?: { at: number; end: boolean; tabs: boolean };
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

export function parseSyscallNr(file: string, text: string, opts: ParseNrOptions = {}): NrModel {
  const map = lineMap(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const model: NrModel = {
    file,
    defines: [],
    macros: [],
    includes: [],
    stub: false,
    problems: [],
    binary: false,
    map,
    style: { separator: ' ', eol },
  };
  if (looksBinary(text)) {
    model.binary = true;
    model.problems.push(binaryProblem('a syscall header'));
    return model;
  }
  const prefixes = opts.prefixes ?? DEFAULT_PREFIXES;
  const h = readDefines(splitLines(text), {
    known: opts.known,
    header: 'a syscall header',
    number: 'a syscall number',
  });
  model.includes = h.includes;
  model.guard = h.guard;
  const separators = new Map<string, number>();
  const problems: NrProblem[] = [...h.problems];
  for (const d of h.defines) {
    const { macro, value, number, line: n } = d;
    const prefix = prefixes.find(p => macro.startsWith(p) && macro.length > p.length);
    if (!prefix) {
      model.macros.push({ macro, value, number, line: n, range: d.ranges.macro, conditions: d.conditions });
      continue;
    }
    const name = macro.slice(prefix.length);
    let kind: NrKind = 'syscall';
    if (name === 'syscalls') kind = 'count';
    else if (BASE_NAMES.test(name)) kind = 'base';
    else if (prefix !== prefixes[0] || /\b(?!TARGET_NR_SYSCALL_BASE\b)[A-Za-z0-9_]*_BASE\b/.test(value))
      kind = 'private';
    if (value === '') problems.push({ line: n, range: d.ranges.macro, message: `\`${macro}\` has no value` });
    const ms = d.ranges.macro.start.character;
    model.defines.push({
      macro,
      prefix,
      name,
      value,
      number,
      kind,
      line: n,
      ranges: {
        macro: d.ranges.macro,
        name: range(n, ms + prefix.length, n, d.ranges.macro.end.character),
        value: d.ranges.value,
        line: d.ranges.line,
      },
      conditions: d.conditions,
      comment: d.comment,
    });
    if (kind === 'syscall' && /^(0[xX][0-9a-fA-F]+|\d+)$/.test(value))
      separators.set(d.separator, (separators.get(d.separator) ?? 0) + 1);
  }
  // A value may name a macro defined further down (nios2 `TARGET_NR_cacheflush` before
  // `TARGET_NR_arch_specific_syscall`).
  resolveForward([...model.defines, ...model.macros], h.values);
  for (const d of model.defines) {
    if (d.number !== undefined || d.value === '') continue;
    const unknown = unknownNames(d.value, h.values);
    problems.push({
      line: d.line,
      range: d.ranges.value,
      message: unknown.length
        ? `the value of \`${d.macro}\` uses ${unknown.map(u => `\`${u}\``).join(', ')}, not defined in this file`
        : `the value of \`${d.macro}\` is not an integer expression`,
    });
  }
  model.problems = [...problems.sort((a, b) => a.line - b.line), ...h.unclosed];
  model.stub = model.includes.length > 0 && !model.defines.some(d => d.kind === 'syscall');
  // Headers written as `(BASE + N)` throughout have no plain numbers to learn the separator from.
  const syscalls = model.defines.filter(d => d.kind === 'syscall');
  if (!separators.size)
    for (const d of h.defines)
      if (syscalls.some(x => x.line === d.line)) separators.set(d.separator, (separators.get(d.separator) ?? 0) + 1);
  const sep = [...separators].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (sep !== undefined) model.style.separator = sep;
  const lines = splitLines(text);
  const starts = new Map<number, number>();
  const ends = new Map<number, number>();
  for (const d of syscalls) {
    const before = visualWidth(lines[d.line].slice(0, d.ranges.value.start.character));
    starts.set(before, (starts.get(before) ?? 0) + 1);
    const after = before + d.value.length;
    ends.set(after, (ends.get(after) ?? 0) + 1);
  }
  const top = (m: Map<number, number>) => [...m].sort((a, b) => b[1] - a[1])[0];
  const [sAt, sN] = top(starts) ?? [0, 0];
  const [eAt, eN] = top(ends) ?? [0, 0];
  if (Math.max(sN, eN) * 2 > syscalls.length && syscalls.length > 1) {
    const end = eN > sN;
    const at = end ? eAt : sAt;
    const sepOf = new Map(h.defines.map(d => [d.line, d.separator] as const));
    const aligned = syscalls.filter(d => {
      const before = visualWidth(lines[d.line].slice(0, d.ranges.value.start.character));
      return (end ? before + d.value.length : before) === at;
    });
    const tabbed = aligned.filter(d => sepOf.get(d.line)?.includes('\t')).length;
    model.style.column = { at, end, tabs: tabbed * 2 > aligned.length };
  }
  // The template is the commonest shape (`(TARGET_NR_Linux +` and the width its numbers are padded to).
  const shapes = new Map<string, { n: number; value: string }>();
  for (const d of syscalls) {
    const m = BASE_FORM.exec(d.value);
    if (!m) continue;
    const k = `${m[1]}${m[2]}${m[3]}${m[4].length + m[5].length}${m[6]}`;
    shapes.set(k, { n: (shapes.get(k)?.n ?? 0) + 1, value: d.value });
  }
  const forms = [...shapes.values()].reduce((a, x) => a + x.n, 0);
  const shape = [...shapes.values()].sort((a, b) => b.n - a.n)[0];
  if (shape && forms * 2 > syscalls.length) model.style.baseForm = shape.value;
  return model;
}

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

const BASE_FORM = /^(\(\s*)([A-Za-z_][A-Za-z0-9_]*)(\s*\+)(\s*)(0[xX][0-9a-fA-F]+|\d+)(\s*\))$/;

/**
 * `template` (`(BASE + N)`) with `n` instead of its number, the padding kept to the width the
 * template gives its number; undefined when `template` has another form or `n` is below the base.
 */
export function baseValue(model: NrModel, template: string, n: number): string | undefined {
  const m = BASE_FORM.exec(template);
  if (!m) return undefined;
  const base =
    model.defines.find(x => x.macro === m[2])?.number ??
    model.macros.find(x => x.macro === m[2])?.number ??
    model.known?.[m[2]];
  if (base === undefined || n < base) return undefined;
  const digits = String(n - base);
  const pad = Math.max(m[4].length ? 1 : 0, m[4].length + m[5].length - digits.length);
  return `${m[1]}${m[2]}${m[3]}${' '.repeat(pad)}${digits}${m[6]}`;
}

/** A syscall number as the file writes new ones: in its `(BASE + N)` form when most lines use one. */
export const numberText = (model: NrModel, n: number): string =>
  (model.style.baseForm && baseValue(model, model.style.baseForm, n)) ?? String(n);

/** The width of `s` on screen, tabs to every 8th column. */
function visualWidth(s: string): number {
  let w = 0;
  for (const ch of s) w = ch === '\t' ? w + 8 - (w % 8) : w + 1;
  return w;
}

/**
 * A `#define` line for `macro` = `value` in the file's style: padded to the column most lines
 * align their values to (with the file's tabs or spaces), else its most common separator.
 */
export function renderDefine(model: NrModel, macro: string, value: string): string {
  const head = `#define ${macro}`;
  const col = model.style.column;
  const target = col ? col.at - (col.end ? value.length : 0) : -1;
  const plain = head + model.style.separator;
  if (!col || visualWidth(plain) === target) return `${plain}${value}`;
  let pad = '';
  let w = head.length;
  if (col.tabs) for (; w + 8 - (w % 8) <= target; w += 8 - (w % 8)) pad += '\t';
  pad += ' '.repeat(Math.max(0, target - w));
  return `${head}${pad || (col.tabs ? '\t' : ' ')}${value}`;
}

/**
 * The defines one build compiles: each whose `#if`s hold when exactly `defined` (and the
 * header's own earlier defines) are defined, its value evaluated with the values defined before
 * it, then `known` (bases another header of the directory defines). Copies; the model is kept.
 */
export function definesFor(model: NrModel, defined: readonly string[], known: Record<string, number> = {}): NrDefine[] {
  return evaluate(model, defined, known).defines;
}

/** Every value one build of the header defines (bases and counts included), for headers that take a base from it. */
export const valuesFor = (model: NrModel, defined: readonly string[], known: Record<string, number> = {}) =>
  evaluate(model, defined, known).values;

function evaluate(model: NrModel, defined: readonly string[], known: Record<string, number>) {
  const values = new Map<string, number>(defined.map(d => [d, 1]));
  const names = new Set(defined);
  const lookup = (n: string) => values.get(n) ?? known[n];
  const holds = (conds: string[]) =>
    conds.every(c => (evalCondition(c, n => names.has(n) || n in known, lookup) ?? 0) !== 0);
  type Entry = { macro: string; value: string; number?: number; line: number; conditions: string[]; define?: NrDefine };
  const all: Entry[] = [
    ...model.defines.map(d => ({ macro: d.macro, value: d.value, line: d.line, define: d, conditions: d.conditions })),
    ...model.macros.map(m => ({ macro: m.macro, value: m.value, line: m.line, conditions: m.conditions })),
  ].sort((a, b) => a.line - b.line);
  const entries: Entry[] = [];
  for (const e of all) {
    if (!holds(e.conditions)) continue;
    entries.push(e);
    names.add(e.macro);
    e.number = e.value === '' ? undefined : evalExpr(e.value, lookup);
    if (e.number !== undefined) values.set(e.macro, e.number);
  }
  for (const [k, v] of Object.entries(known)) if (!values.has(k)) values.set(k, v);
  resolveForward(entries, values);
  return { defines: entries.flatMap(e => (e.define ? [{ ...e.define, number: e.number }] : [])), values };
}

/** The model as one build sees it (definesFor), for the rules. */
export const modelFor = (model: NrModel, defines: NrDefine[], known?: Record<string, number>): NrModel => ({
  ...model,
  defines,
  known,
});
