// One legacy ARM table as its two files make it: calls.S's rows and the numbers header's
// names, read from the same tree (the document itself, its sibling through the Workspace),
// and where each row's witnesses put its number.
//
// A row has up to three witnesses: its position, its `/* N */` marker and the number
// unistd.h gives the syscall it calls. They agree in a consistent tree. A row inserted
// without renumbering shifts every later row one place past its marker and its unistd.h
// number, which the kernel's own size check does not see when the padding to a multiple of
// four absorbs it; a wrong number in unistd.h leaves its row alone against it. So the checks
// look at runs: consecutive rows displaced the same way are one shift, found where it starts;
// a row displaced alone is a wrong number (in unistd.h when its own number is free there).
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import {
  ARM_CALLS,
  ARM_UNISTD,
  ArmNumber,
  ArmUnistd,
  CallsRow,
  CallsTable,
  NI,
  parseArmUnistd,
  parseCallsS,
} from '../../../reference/linux/armCalls';

export interface Header {
  file: string;
  /** Relative to the kernel root. */
  rel: string;
  unistd: ArmUnistd;
}

export interface RowView {
  row: CallsRow;
  /** The syscall numbers unistd.h defines at the row's number. */
  here: ArmNumber[];
  /** One of them names the syscall the row calls; undefined when nothing can be compared. */
  agrees?: boolean;
  /** The number elsewhere in unistd.h that names the row's syscall (and no row of its own claims). */
  evidence?: ArmNumber;
  /** How far the row's witnesses put its number from its position (0: where it should be). */
  off?: number;
  by?: 'unistd' | 'marker';
}

export interface Shift {
  off: number;
  /** The displaced rows, first to last. */
  rows: RowView[];
  /** Where the cause is: the rows between the last row in place and the first displaced one. */
  suspects: CallsRow[];
}

export interface ArmModel {
  root: string;
  /** The document's kind. */
  kind: 'calls' | 'unistd';
  callsFile: string;
  calls?: CallsTable;
  /** The tree's unistd.h files, newest place first. */
  headers: Header[];
  /** The one that numbers the syscalls. */
  numbers?: Header;
  /** The kernel's asm/unistd.h with `__NR_syscalls` (3.7-4.9), when it is another file. */
  sizeHeader?: Header;
  views: RowView[];
  shifts: Shift[];
  /** Rows displaced alone. */
  strays: RowView[];
  /** Defines a row at their own number calls. */
  claimed: Set<ArmNumber>;
}

/** The kernel root of a calls.S or an ARM unistd.h path, and which one it is. */
export function armRoot(file: string): { root: string; kind: 'calls' | 'unistd' } | undefined {
  const f = file.replace(/\\/g, '/');
  const places: [string, 'calls' | 'unistd'][] = [
    [ARM_CALLS, 'calls'],
    ...ARM_UNISTD.map(u => [u, 'unistd'] as [string, 'unistd']),
  ];
  for (const [rel, kind] of places)
    // tools/arch/... holds the tools' own copies (families/linux/toolsUnistd), not the kernel's.
    if ((f === rel || f.endsWith(`/${rel}`)) && !f.endsWith(`tools/${rel}`))
      return { root: file.slice(0, file.length - rel.length), kind };
  return undefined;
}

/** unistd.h names whose entry point is another syscall's (ARM 191 ugetrlimit is sys_getrlimit). */
const SPELLINGS: Record<string, string> = { ugetrlimit: 'getrlimit' };

/** Names an entry point and a unistd.h name share once ARM's spellings are set aside. */
export function norm(s: string): string {
  return (SPELLINGS[s] ?? s)
    .replace(/^_+/, '')
    .replace(/^sys_/, '')
    .replace(/_wrapper$/, '')
    .replace(/^(oabi|arm)_/, '')
    .replace(/^old_?/, '')
    .replace(/^new_?/, '')
    .replace(/(_?\d+)+$/, '');
}

const strict = (row: CallsRow, name: string) => row.entry.replace(/^sys_/, '').replace(/_wrapper$/, '') === name;
const loose = (row: CallsRow, name: string) =>
  norm(row.entry) === norm(name) || (!!row.compat && norm(row.compat) === norm(name));

export function readModel(doc: { file: string; text: string }, io: Reader): ArmModel | undefined {
  const where = armRoot(doc.file);
  if (!where) return undefined;
  const { root, kind } = where;
  const read = (f: string) => (path.resolve(f) === path.resolve(doc.file) ? doc.text : io.read(f));
  const callsFile = path.join(root, ARM_CALLS);
  const callsText = read(callsFile);
  const headers: Header[] = [];
  for (const rel of ARM_UNISTD) {
    const file = path.join(root, rel);
    const text = read(file);
    if (text !== undefined) headers.push({ file, rel, unistd: parseArmUnistd(text) });
  }
  const numbers = headers.find(h => h.unistd.numbers.length > 0);
  const sizeHeader =
    headers.find(h => h !== numbers && h.unistd.nrSyscalls) ?? (numbers?.unistd.nrSyscalls ? numbers : undefined);
  const m: ArmModel = {
    root,
    kind,
    callsFile,
    calls: callsText === undefined ? undefined : parseCallsS(callsText),
    headers,
    numbers,
    sizeHeader,
    views: [],
    shifts: [],
    strays: [],
    claimed: new Set(),
  };
  number(m);
  return m;
}

/** The most cells the alignment fills (rows x numbers): beyond it, rows are taken where they are. */
const MAX_CELLS = 4_000_000;
const BAND = 48;

/**
 * Rows against numbers as a diff aligns two sequences: the alignment that pairs the most
 * rows with a number of their syscall's name (a sys_ni_syscall row with any number; a
 * marker with its own number, and staying in place, add a little), rows and numbers
 * left out where that pays. An inserted row is then one row left out and the rest paired
 * one place on, however the names around it happen to look.
 */
function align(rows: CallsRow[], byNumber: Map<number, ArmNumber[]>): (number | undefined)[] {
  const maxDefined = Math.max(-1, ...byNumber.keys());
  const slots = Math.min(maxDefined + 1, rows.length * 2 + 16);
  const out: (number | undefined)[] = rows.map(() => undefined);
  if (!rows.length || slots <= 0) return out;
  if (rows.length * slots > MAX_CELLS) {
    rows.forEach((r, i) => (out[i] = i < slots ? i : undefined));
    return out;
  }
  // Names compared once each: the table is filled rows x numbers times.
  const rowNames = rows.map(r => [norm(r.entry), ...(r.compat ? [norm(r.compat)] : [])]);
  const slotNames: (Set<string> | undefined)[] = [];
  for (let j = 0; j < slots; j++) {
    const here = byNumber.get(j);
    slotNames.push(here && new Set(here.map(d => norm(d.name))));
  }
  // A name 8, sys_ni_syscall 6 (at a free number or a reserved name), its own marker 2, and
  // 1 for staying in place: where two alignments pair as much, rows stay where they are.
  const score = (i: number, j: number): number => {
    const r = rows[i];
    const here = slotNames[j];
    const bonus = (r.marker?.number === j ? 2 : 0) + (i === j ? 1 : 0);
    if (r.entry === NI) return 6 + bonus;
    return here && rowNames[i].some(n => here.has(n)) ? 8 + bonus : 0;
  };
  const W = slots + 1;
  const dp = new Int32Array((rows.length + 1) * W);
  // Within BAND of the diagonal: a shift of more rows than that is no slip of the pen.
  for (let i = 1; i <= rows.length; i++)
    for (let j = Math.max(1, i - BAND), hi = Math.min(slots, i + BAND); j <= hi; j++) {
      const diag = dp[(i - 1) * W + j - 1] + score(i - 1, j - 1);
      dp[i * W + j] = Math.max(diag, dp[(i - 1) * W + j], dp[i * W + j - 1]);
    }
  // Back from the end, pairs first.
  for (let i = rows.length, j = slots; i > 0 && j > 0;) {
    const s = score(i - 1, j - 1);
    if (s > 0 && dp[i * W + j] === dp[(i - 1) * W + j - 1] + s) out[--i] = --j;
    else if (dp[i * W + j] === dp[(i - 1) * W + j]) i--;
    else if (dp[i * W + j] === dp[i * W + j - 1]) j--;
    else (i--, j--);
  }
  return out;
}

/** Each row's witnesses, then the runs of displaced rows. */
function number(m: ArmModel): void {
  const rows = m.calls?.rows ?? [];
  const defs = m.numbers?.unistd.numbers ?? [];
  const byNumber = new Map<number, ArmNumber[]>();
  for (const d of defs) byNumber.set(d.number, [...(byNumber.get(d.number) ?? []), d]);
  const slot = m.numbers ? align(rows, byNumber) : rows.map(() => undefined);
  m.views = rows.map((row, i) => {
    const here = byNumber.get(row.number) ?? [];
    const v: RowView = { row, here };
    const j = slot[i];
    if (j !== undefined) {
      v.off = j - row.number;
      v.by = 'unistd';
      const hit = byNumber.get(j)?.find(d => loose(row, d.name));
      if (hit) m.claimed.add(hit);
      if (hit && j !== row.number) v.evidence = hit;
      if (row.entry !== NI) v.agrees = j === row.number;
    } else if (row.entry !== NI && m.numbers) v.agrees = false;
    return v;
  });
  // A row the alignment left out: its syscall's number elsewhere, if no other row has it.
  for (const v of m.views) {
    if (v.off !== undefined || v.row.entry === NI || !m.numbers) continue;
    const free = defs.filter(d => !m.claimed.has(d) && d.number !== v.row.number);
    const s = free.filter(d => strict(v.row, d.name));
    const l = s.length ? s : free.filter(d => loose(v.row, d.name));
    if (l.length === 1) v.evidence = l[0];
  }
  for (const v of m.views) {
    if (v.off !== undefined) continue;
    if (v.evidence) ((v.off = v.evidence.number - v.row.number), (v.by = 'unistd'));
    else if (v.row.marker) ((v.off = v.row.marker.number - v.row.number), (v.by = 'marker'));
  }
  // Runs of the same displacement among the rows that have a witness.
  const seen = m.views.filter(v => v.off !== undefined);
  const groups: RowView[][] = [];
  for (const v of seen) {
    const g = groups[groups.length - 1];
    if (g && g[0].off === v.off) g.push(v);
    else groups.push([v]);
  }
  const absorbed = new Set<RowView>();
  let lastInPlace = -1; // the number of the last row in place
  for (const g of groups) {
    const off = g[0].off!;
    if (off === 0) {
      lastInPlace = g[g.length - 1].row.number;
      continue;
    }
    // One row displaced alone is a wrong number, not a shift (strays, below).
    if (g.length < 2) continue;
    // The cause lies between the last row in place and the first displaced one.
    const first = g[0].row.number;
    const suspects = rows.slice(lastInPlace + 1, off < 0 ? first : first + 1);
    for (const v of m.views.slice(lastInPlace + 1, first)) absorbed.add(v);
    m.shifts.push({ off, rows: g, suspects: suspects.length ? suspects : [g[0].row] });
  }
  for (const g of groups)
    if (g.length === 1 && g[0].off !== 0 && !absorbed.has(g[0]) && !m.shifts.some(s => s.rows.includes(g[0])))
      m.strays.push(g[0]);
}

/** The shift a row is part of, or whose cause it may be. */
export const shiftOf = (m: ArmModel, row: CallsRow) =>
  m.shifts.find(s => s.rows.some(v => v.row === row) || s.suspects.includes(row));

/** The syscall name a row has: unistd.h's at its number, or the name of what it calls. */
export function rowName(m: ArmModel, v: RowView): string {
  const agreeing = v.here.find(d => loose(v.row, d.name));
  return (agreeing ?? v.here[0])?.name ?? v.row.entry.replace(/^sys_/, '');
}
