// Kernel syscall `.tbl` files: `<number> <abi> <name> [<entry> [<compat> [flags]]]` per line.
import { binaryProblem, LineMap, lineMap, looksBinary, splitLines } from '../../core/text';
import { Range, range } from '../../core/types';
import type { TableEntry } from '../reference';
import { canonicalEntry } from './entryNames';

/** A line of the table (`line` is zero-based), with where each field is. */
export interface TblEntry extends TableEntry {
  /** Range of each field on its line, for precise diagnostics. */
  ranges: { number: Range; abi: Range; name: Range; entry?: Range; compat?: Range; line: Range };
}

export interface TblComment {
  line: number;
  text: string;
  number?: number;
}

export interface TblProblem {
  line: number;
  range: Range;
  message: string;
}

export interface TblModel {
  file: string;
  entries: TblEntry[];
  /** Comment-only lines, e.g. `# 443 reserved for quotactl_path`. */
  comments: TblComment[];
  problems: TblProblem[];
  binary: boolean;
  map: LineMap;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An entry point, with the qualifier x86 tables of 4.10-4.16 put after some (`sys_clone/ptregs`). */
const ENTRY = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)?$/;
const NUMBER = /^(0[xX][0-9a-fA-F]+|[0-9]+)$/;
const ABI = /^[A-Za-z0-9_]+$/;
/** Trailing flag words seen in newer kernels (x86 `noreturn`). */
const FLAGS = new Set(['noreturn']);

export function parseTbl(file: string, text: string): TblModel {
  const map = lineMap(text);
  const model: TblModel = { file, entries: [], comments: [], problems: [], binary: false, map };
  if (looksBinary(text)) {
    model.binary = true;
    model.problems.push(binaryProblem('a syscall table'));
    return model;
  }
  const lines = splitLines(text);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].replace(/\r$/, '');
    const hash = raw.indexOf('#');
    const body = hash >= 0 ? raw.slice(0, hash) : raw;
    if (hash >= 0 && body.trim() === '') {
      const m = /^#\s*(\d+)\b/.exec(raw.slice(hash));
      model.comments.push({ line: n, text: raw.slice(hash), number: m ? Number(m[1]) : undefined });
      continue;
    }
    if (body.trim() === '') continue;
    const fields: { text: string; start: number; end: number }[] = [];
    const re = /\S+/g;
    for (let m = re.exec(body); m; m = re.exec(body))
      fields.push({ text: m[0], start: m.index, end: m.index + m[0].length });
    const lineRange = range(n, fields[0].start, n, fields[fields.length - 1].end);
    const bad = (message: string, f = fields[0]) =>
      model.problems.push({ line: n, range: range(n, f.start, n, f.end), message });
    if (fields.length < 3) {
      model.problems.push({
        line: n,
        range: lineRange,
        message: `expected \`<number> <abi> <name> [<entry point> [<compat entry point>]]\`, found ${fields.length} field${fields.length === 1 ? '' : 's'}`,
      });
      continue;
    }
    const [num, abi, name, entry, compat, ...rest] = fields;
    if (!NUMBER.test(num.text)) {
      bad(`\`${num.text}\` is not a syscall number`, num);
      continue;
    }
    if (!ABI.test(abi.text)) {
      bad(`\`${abi.text}\` is not an ABI name`, abi);
      continue;
    }
    if (!IDENT.test(name.text)) {
      bad(`\`${name.text}\` is not a syscall name`, name);
      continue;
    }
    if (entry && !ENTRY.test(entry.text) && entry.text !== '-') {
      bad(`\`${entry.text}\` is not an entry point`, entry);
      continue;
    }
    if (compat && !ENTRY.test(compat.text) && compat.text !== '-') {
      bad(`\`${compat.text}\` is not a compat entry point`, compat);
      continue;
    }
    const extra = rest.filter(f => !FLAGS.has(f.text));
    if (extra.length) {
      bad(`unexpected field \`${extra[0].text}\` after the compat entry point`, extra[0]);
      continue;
    }
    const value = (f?: { text: string }) => (f && f.text !== '-' ? f.text : undefined);
    const r = (f: { start: number; end: number }) => range(n, f.start, n, f.end);
    model.entries.push({
      number: Number(num.text),
      abi: abi.text,
      name: name.text,
      entry: value(entry),
      compat: value(compat),
      line: n,
      ranges: {
        number: r(num),
        abi: r(abi),
        name: r(name),
        entry: entry ? r(entry) : undefined,
        compat: compat ? r(compat) : undefined,
        line: lineRange,
      },
    });
  }
  return model;
}

/** The entries a consumer selecting `abis` sees, in file order. */
export function selectAbis(model: TblModel, abis: readonly string[]): TblEntry[] {
  return model.entries.filter(e => abis.includes(e.abi));
}

/** Entries by number (the first one wins; duplicates are reported separately). */
export function byNumber(entries: TblEntry[]): Map<number, TblEntry> {
  const m = new Map<number, TblEntry>();
  for (const e of entries) if (!m.has(e.number)) m.set(e.number, e);
  return m;
}

/** True when a `.tbl` path is a syscall table by its name (atomics.tbl and friends are not). */
export function isSyscallTblPath(file: string): boolean {
  const base = file.replace(/\\/g, '/').split('/').pop() ?? '';
  return /^syscall.*\.tbl$/.test(base);
}

/** A `.tbl` of another name is a syscall table only when most of its lines read as entries. */
export function isSyscallTbl(model: TblModel): boolean {
  if (isSyscallTblPath(model.file)) return true;
  return model.entries.length >= 3 && model.entries.length >= 4 * model.problems.length;
}

/** Whether an entry point implements its number: a `.tbl` leaves it out or names `sys_ni_syscall` for one that is not. */
export const implemented = (entryPoint?: string) => !!entryPoint && canonicalEntry(entryPoint) !== 'sys_ni_syscall';
