// `check --patch`: review a patch as QEMU reviewers run scripts/checkpatch.pl. The patch is
// applied in memory; the tree is analysed without it and with it (through a reader that
// sees the patched texts first, so sibling checks see the patched tree), and what is kept is
// what the patch is answerable for: the findings on the lines it adds or changes, and the
// findings anywhere in the tree that the tree without it does not have.
import * as fs from 'fs';
import * as path from 'path';
import { tableFiles } from '../analysis/locate';
import type { Reader } from '../core/reader';
import { Finding } from '../core/types';
import { qemuRootOf } from '../families/qemu/tree';
import type { Parser } from '../syntax/c/parser';
import { Args, InputError, UsageError } from './args';
import { applyToTree, overlayReader, PatchedFile } from './patch';
import { analyzeFile, workspace } from './session';

type Workspace = ReturnType<typeof workspace>;

export interface Review {
  /** The findings the patch is answerable for, their messages saying why. */
  findings: Finding[];
  /** Table files read with the patch applied. */
  read: number;
  /** Findings of the patched tree left out: the tree without the patch has them, on lines it does not touch. */
  leftOut: Finding[];
  patched: PatchedFile[];
  notes: string[];
  /** No table in the tree and none in the patch. */
  empty: boolean;
}

/** The patch text: a file, or standard input for `-`. */
export function readPatchText(file: string): string {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read the patch ${file === '-' ? 'from standard input' : file}: ${code === 'ENOENT' ? 'it does not exist' : (code ?? (e as Error).message)}`,
    );
  }
}

/** The one tree a patch applies to: a directory (default the current one). */
export function treeOf(a: Args): string {
  if (a.paths.length > 1)
    throw new UsageError('with --patch, give one PATH: the tree the patch applies to (default: .)', 'check');
  const tree = path.resolve(a.paths[0] ?? '.');
  let dir = false;
  try {
    dir = fs.statSync(tree).isDirectory();
  } catch {
    throw new InputError(`${a.paths[0] ?? '.'} does not exist`);
  }
  if (!dir)
    throw new UsageError(
      `with --patch, PATH is the tree the patch applies to (a directory), not a file: ${a.paths[0]}`,
      'check',
    );
  return tree;
}

// Numbers in messages move with the rows a patch adds ("the table ends at 443", "the first is
// on line 12"): two findings are the same when they differ only in numbers.
const norm = (m: string) => m.replace(/\d+/g, '#');
const tokens = (m: string) => new Set((norm(m).match(/[\w#]+/g) ?? []).filter(w => w !== 'is' && w !== 'are'));

function analyseAll(files: string[], ws: Workspace, parser: Parser): { findings: Finding[]; read: number } {
  const findings: Finding[] = [];
  let read = 0;
  for (const file of files) {
    const text = ws.read(file);
    if (text === undefined) continue;
    const an = analyzeFile(parser, ws, file, text);
    if (an.parts.length || an.findings.length) read++;
    findings.push(...an.findings);
  }
  return { findings, read };
}

const CAUSED = ' (the patch causes this: the tree without it has no such finding)';
const TOUCHED = ' (on a line the patch changes; the tree without the patch has this too)';

export function reviewPatch(a: Args, ws: Workspace, parser: Parser, show: (f: string) => string): Review {
  const tree = treeOf(a);
  const root = qemuRootOf(path.join(tree, 'x'));
  const bases = [tree, ...(root && root !== tree ? [root] : [])];
  const disk: Reader = { read: ws.read, list: ws.list };
  const applied = applyToTree(readPatchText(a.patch!), bases, disk, show);
  const overlay = overlayReader(disk, applied.texts);
  const after: Workspace = { ...ws, read: overlay.read, list: overlay.list };
  const unpatched = overlayReader(disk, applied.before);
  const without: Workspace = { ...ws, read: unpatched.read, list: unpatched.list };
  if (applied.applied)
    applied.notes.push(`${show(tree)} holds the patch already: it is checked as the change from the tree without it`);

  const beforeFiles = [
    ...new Set([...tableFiles(tree, unpatched), ...applied.files.flatMap(p => (p.old ? [p.old] : []))]),
  ];
  const afterFiles = [
    ...new Set([...tableFiles(tree, overlay), ...applied.files.flatMap(p => (p.file ? [p.file] : []))]),
  ];
  const now = analyseAll(afterFiles, after, parser);
  const then = analyseAll(beforeFiles, without, parser);

  // The tree without the patch, by file as the patch names it (a renamed file by its new name).
  const renamed = new Map(applied.files.filter(p => p.old && p.file).map(p => [p.old!, p.file!] as const));
  const key = (f: Finding, file = f.file) => [file, f.code, f.syscall ?? '', norm(f.message)].join('\0');
  const before = new Map<string, number>();
  for (const f of then.findings) {
    const k = key(f, renamed.get(f.file) ?? f.file);
    before.set(k, (before.get(k) ?? 0) + 1);
  }
  const beforeTokens = then.findings.map(f => ({
    file: renamed.get(f.file) ?? f.file,
    code: f.code,
    tokens: tokens(f.message),
  }));
  const added = new Map(applied.files.filter(p => p.file).map(p => [p.file!, p.added] as const));
  const onAddedLine = (f: Finding) => {
    const lines = added.get(f.file);
    if (!lines) return false;
    const { start, end } = f.range;
    const last = end.line > start.line && end.character === 0 ? end.line - 1 : end.line;
    for (let l = start.line; l <= last; l++) if (lines.has(l)) return true;
    return false;
  };
  const findings: Finding[] = [];
  const leftOut: Finding[] = [];
  for (const f of now.findings) {
    const k = key(f);
    const n = before.get(k) ?? 0;
    let old = n > 0;
    if (old) before.set(k, n - 1);
    else {
      // What remains of a finding the patch partly resolved ("449 a, 450 b are not in this copy"
      // after the patch adds 448) names nothing the tree without it did not name.
      const t = tokens(f.message);
      old = beforeTokens.some(b => b.file === f.file && b.code === f.code && [...t].every(w => b.tokens.has(w)));
    }
    const touched = onAddedLine(f);
    if (!old) findings.push({ ...f, message: f.message + CAUSED });
    else if (touched) findings.push({ ...f, message: f.message + TOUCHED });
    else leftOut.push(f);
  }
  return {
    findings,
    read: now.read,
    leftOut,
    patched: applied.files,
    notes: applied.notes,
    empty: !now.read && !afterFiles.length,
  };
}
