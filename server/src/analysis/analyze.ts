// One document in, its findings out: decide what the file is, find what it is compared
// with (the `.tbl` beside it, or the kernel's), run the checks.
import * as path from 'path';
import type { Parser, Tree } from 'web-tree-sitter';
import { Catalogue, kernelTablePath } from '../reference/linux/catalogue';
import { argCounts } from '../families/qemu/o32/rules/argCount';
import { O32Context, TblSource } from '../families/qemu/o32/context';
import { missingEntries } from '../families/qemu/o32/rules/missingEntry';
import { names } from '../families/qemu/o32/rules/names';
import { order } from '../families/qemu/o32/rules/order';
import { kernelCounterpart, tblFindings } from '../families/linux/tbl/rules';
import { unusedSlots } from '../families/qemu/o32/rules/unusedSlot';
import { caseFindings, notDispatched } from '../families/qemu/dispatch/rules';
import { straceFindings } from '../families/qemu/straceList/rules';
import { expectedForHeader, syscallNrFindings } from '../families/qemu/syscallNr/rules';
import { NrModel, parseSyscallNr } from '../families/qemu/syscallNr/model';
import { parseStraceList, StraceListModel } from '../families/qemu/straceList/model';
import { CaseLabel, caseLabels, dispatchedNames } from '../families/qemu/dispatch/labels';
import { definedNames, qemuRootOf, targetsOfTbl } from '../families/qemu/tree';
import { linuxUserTargets } from '../families/qemu/syscallhdr';
import { applyConfig, Config } from '../core/config';
import { MAX_O32_SLOT, SysEntry } from '../reference/linux/need';
import { mayHoldO32Table, O32Table, parseO32Table, ROW_WRAP_SUFFIX, wrapPrefixFor } from '../families/qemu/o32/table';
import { isSyscallTbl, isSyscallTblPath, parseTbl, TblModel } from '../reference/linux/tbl';
import { Finding, range } from '../core/types';
import { rangeOf } from '../core/text';

/** Files larger than this are not syscall tables a person edits; they are reported, not read. */
export const MAX_TEXT = 8 << 20;

export interface Workspace {
  /** An open editor's text or the file on disk; undefined when missing or unreadable. */
  read(file: string): string | undefined;
  /** A directory's entries (one level, no walk); [] when missing. */
  list(dir: string): string[];
  /** For checks that need another C file parsed (syscall.c's case labels). */
  parser?: Parser;
  catalogue?: Catalogue;
  config: Config;
}

export type Analysis =
  | { kind: 'o32'; file: string; findings: Finding[]; ctx: O32Context }
  | { kind: 'o32-no-tbl'; file: string; findings: Finding[]; table: O32Table }
  | { kind: 'tbl'; file: string; findings: Finding[]; model: TblModel }
  | { kind: 'dispatch'; file: string; findings: Finding[]; labels: CaseLabel[] }
  | { kind: 'strace'; file: string; findings: Finding[]; model: StraceListModel }
  | { kind: 'nr'; file: string; findings: Finding[]; model: NrModel }
  | { kind: 'other'; file: string; findings: Finding[] };

/** A parse of a C document: the tree and how much wrapper text precedes the document. */
export interface CParse { tree: Tree; prefixLength: number }

/** How long one parse may take: tree-sitter's error recovery on pathological input can run for seconds. */
export const PARSE_BUDGET_MS = 1500;

export function parseC(parser: Parser, text: string, old?: CParse, file = ''): CParse | undefined {
  // Only a bare row list (an .inc) is wrapped; a .c file is whole C.
  const prefix = file.endsWith('.c') ? '' : wrapPrefixFor(text);
  const source = prefix ? prefix + text + ROW_WRAP_SUFFIX : text;
  const deadline = performance.now() + PARSE_BUDGET_MS;
  const tree = parser.parse(source, old && old.prefixLength === prefix.length ? old.tree : undefined,
    { progressCallback: () => performance.now() > deadline });
  if (!tree) { parser.reset(); return undefined; } // cancelled: start afresh next time
  return { tree, prefixLength: prefix.length };
}

/** The finding for a file tree-sitter could not parse within the budget. */
export function unparsable(file: string): Finding {
  return { file, range: range(0, 0, 0, 0), severity: 'warning', code: 'malformed-line', related: [], fixes: [],
    message: `this file could not be parsed within ${PARSE_BUDGET_MS / 1000} s (a pathological line, such as thousands of tokens with no punctuation?); it was not checked` };
}

/** The finding for a file too large to read. */
export function tooLarge(file: string, size: number): Finding {
  const mb = (size / (1 << 20)).toFixed(1);
  return { file, range: range(0, 0, 0, 0), severity: 'warning', code: 'malformed-line', message: `this file is ${mb} MB, more than systab reads (${MAX_TEXT >> 20} MB); it was not checked`, related: [], fixes: [] };
}

export type DocKind = 'o32' | 'tbl' | 'dispatch' | 'strace' | 'nr' | 'other';

const isSyscallC = (file: string) => /(^|[\\/])linux-user[\\/]syscall\.c$/.test(file);

export function docKind(file: string, text: string): DocKind {
  if (file.endsWith('.tbl')) return 'tbl';
  if (isSyscallC(file)) return 'dispatch';
  if (/(^|[\\/])linux-user[\\/]strace\.list$/.test(file)) return 'strace';
  if (/(^|[\\/])linux-user[\\/][^\\/]+[\\/]syscall\w*_nr\.h$/.test(file)) return 'nr';
  if (/\.(c|inc|h)$/.test(file) && mayHoldO32Table(file, text)) return 'o32';
  return 'other';
}

const tblCache = new Map<string, { text: string; cat: Catalogue | undefined; src: TblSource }>();

/** not-dispatched on a QEMU `.tbl` copy: what its targets select that syscall.c never handles. */
function dispatchFor(file: string, model: TblModel, ws: Workspace): Finding[] {
  const root = qemuRootOf(file);
  const m = /[\\/]linux-user[\\/]([^\\/]+)[\\/]([^\\/]+)$/.exec(file);
  if (!root || !m || !ws.parser) return [];
  const syscallC = path.join(root, 'linux-user', 'syscall.c');
  const text = ws.read(syscallC);
  const targets = targetsOfTbl(linuxUserTargets(root, ws), m[1], m[2]);
  if (text === undefined || !targets.length) return [];
  const rel = ws.catalogue && kernelCounterpart(file, ws.catalogue);
  const kernelNi = new Set((rel ? ws.catalogue!.tables[rel] : []).filter(k => !k.entry || k.entry === 'sys_ni_syscall').map(k => `${k.number}/${k.name}`));
  return notDispatched(model, targets, dispatchedNames(syscallC, text, ws.parser), syscallC, kernelNi);
}

/** The `.tbl` the o32 table in `file` mirrors: QEMU's copy, else the kernel's. */
export function o32TblFor(file: string, ws: Workspace): TblSource | undefined {
  const dir = path.dirname(file);
  const candidates = [path.join(dir, 'syscall_o32.tbl'), path.join(dir, 'mips', 'syscall_o32.tbl')];
  for (const c of candidates) {
    const text = ws.read(c);
    if (text === undefined) continue;
    // Re-read on every check, re-parsed only when its text or the catalogue changed.
    const hit = tblCache.get(c);
    if (hit && hit.text === text && hit.cat === ws.catalogue) return hit.src;
    const src = withKernelEntries(fromModel(parseTbl(c, text)), ws.catalogue);
    tblCache.set(c, { text, cat: ws.catalogue, src });
    return src;
  }
  const cat = ws.catalogue;
  const rel = cat && kernelTablePath(cat, 'mips', 'syscall_o32.tbl');
  if (!cat || !rel) return undefined;
  return {
    file: cat.kernel.root ? path.join(cat.kernel.root, rel) : rel,
    entries: cat.tables[rel].filter(e => e.abi === 'o32'),
    holeComments: new Map(),
  };
}

/** Attach the kernel's entry points to each syscall of a QEMU copy that the kernel has too. */
function withKernelEntries(src: TblSource, cat: Catalogue | undefined): TblSource {
  const rel = cat && kernelTablePath(cat, 'mips', 'syscall_o32.tbl');
  if (!cat || !rel) return src;
  const file = cat.kernel.root ? path.join(cat.kernel.root, rel) : rel;
  const kernel = new Map(cat.tables[rel].filter(k => k.abi === 'o32').map(k => [k.number, k] as const));
  for (const e of src.entries) {
    const k = kernel.get(e.number);
    if (k && k.name === e.name) e.kernel = { file, line: k.line, entry: k.entry, compat: k.compat };
  }
  return src;
}

function fromModel(model: TblModel): TblSource {
  const entries: SysEntry[] = model.entries.filter(e => e.abi === 'o32')
    .map(e => ({ number: e.number, abi: e.abi, name: e.name, entry: e.entry, compat: e.compat, line: e.line, range: e.ranges.line }));
  const holeComments = new Map<number, string>();
  for (const c of model.comments) if (c.number !== undefined) holeComments.set(c.number, c.text);
  return { file: model.file, entries, holeComments };
}

export function analyze(file: string, text: string, ws: Workspace, parse?: () => CParse | undefined): Analysis {
  if (text.length > MAX_TEXT) return { kind: 'other', file, findings: [tooLarge(file, text.length)] };
  const kind = docKind(file, text);
  if (kind === 'tbl') {
    const model = parseTbl(file, text);
    if (!isSyscallTbl(model) && !isSyscallTblPath(file)) return { kind: 'other', file, findings: [] };
    return { kind: 'tbl', file, model, findings: applyConfig([...tblFindings(model, ws.catalogue), ...dispatchFor(file, model, ws)], ws.config) };
  }
  if (kind === 'nr') {
    const model = parseSyscallNr(file, text);
    const root = qemuRootOf(file);
    const expected = root && !model.stub ? expectedForHeader(path.relative(root, file), root, ws.catalogue, { io: ws }) : undefined;
    return { kind: 'nr', file, model, findings: applyConfig(syscallNrFindings(file, model, expected), ws.config) };
  }
  if (kind === 'strace') {
    const model = parseStraceList(file, text);
    return { kind: 'strace', file, model, findings: applyConfig(straceFindings(file, model, ws.catalogue), ws.config) };
  }
  if (kind === 'dispatch') {
    const parsed = parse?.();
    const root = qemuRootOf(file);
    if (parse && !parsed) return { kind: 'other', file, findings: [unparsable(file)] };
    if (!parsed || !root) return { kind: 'other', file, findings: [] };
    const labels = caseLabels(text, parsed.tree);
    const defined = definedNames(root, ws, text);
    return { kind: 'dispatch', file, labels, findings: applyConfig(caseFindings(file, text, labels, defined), ws.config) };
  }
  if (kind === 'o32') {
    const parsed = parse?.();
    if (parse && !parsed) return { kind: 'other', file, findings: [unparsable(file)] };
    const table = parsed && parseO32Table(text, parsed.tree, parsed.prefixLength);
    if (!table) return { kind: 'other', file, findings: [] };
    const tbl = o32TblFor(file, ws);
    if (!tbl) return { kind: 'o32-no-tbl', file, table, findings: [] };
    // Slots past MAX_O32_SLOT (a typo such as 0x1000000) are reported once, not enumerated.
    const huge = [...table.rows.filter(r => r.number > MAX_O32_SLOT).map(r => r.number), ...tbl.entries.filter(e => e.number > MAX_O32_SLOT).map(e => e.number)];
    const sane: O32Table = huge.length ? { ...table, rows: table.rows.filter(r => r.number <= MAX_O32_SLOT) } : table;
    const ctx: O32Context = { file, table: sane, tbl: huge.length ? { ...tbl, entries: tbl.entries.filter(e => e.number <= MAX_O32_SLOT) } : tbl, cat: ws.catalogue };
    const findings = [...order(ctx), ...missingEntries(ctx), ...argCounts(ctx), ...unusedSlots(ctx), ...names(ctx)];
    for (const r of table.rows.filter(x => x.number > MAX_O32_SLOT)) {
      findings.push({ file, range: rangeOf(table.map, r.row.start, r.row.end), severity: 'error', code: 'malformed-line', related: [], fixes: [],
        message: `slot ${r.number} is far past any o32 syscall (systab checks slots 0-${MAX_O32_SLOT}); a typo in the number?` });
    }
    if (tbl.entries.some(e => e.number > MAX_O32_SLOT)) {
      findings.push({ file, range: range(0, 0, 0, 0), severity: 'warning', code: 'malformed-line', related: [], fixes: [],
        message: `${path.basename(tbl.file)} numbers a syscall ${Math.max(...huge)}, far past any o32 syscall; systab compares slots 0-${MAX_O32_SLOT} only` });
    }
    return { kind: 'o32', file, ctx, findings: applyConfig(findings, ws.config) };
  }
  return { kind: 'other', file, findings: [] };
}
