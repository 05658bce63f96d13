// Unified diffs through the `diff` package, both ways: what `fix --dry-run` prints, in the
// form `git apply` and `patch -p1` take (`a/` and `b/` prefixes, "\ No newline at end of
// file"), and the patches `check --patch` reads (`git diff`, a `git format-patch` mail),
// applied in memory to a tree, never to disk.
import * as path from 'path';
import { applyPatch, formatPatch, parsePatch, reversePatch, structuredPatch, StructuredPatch } from 'diff';
import type { Reader } from '../core/reader';
import { InputError } from './args';

export function patchText(file: string, before: string, after: string): string {
  if (before === after) return '';
  const p = structuredPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
  const body = formatPatch(p, { includeIndex: false, includeUnderline: false, includeFileHeaders: true });
  return `diff --git a/${file} b/${file}\n${body.endsWith('\n') ? body : body + '\n'}`;
}

/** A patch that cannot be read or applied: one clear line, exit 2. */
export class PatchError extends InputError {}

/**
 * The mail around a `git format-patch` patch, left out: the `-- ` line that starts the
 * signature and what follows it, up to the next mail of a series (`From <commit> ...`) or
 * diff. A `-- ` inside a hunk (a removed line `- `) is a hunk line, so hunks are followed.
 */
export function withoutSignatures(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let oldLeft = 0,
    newLeft = 0,
    signature = false;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (oldLeft > 0 || newLeft > 0) {
      const op = line === '' ? ' ' : line[0];
      if (op === '-' || op === ' ') oldLeft--;
      if (op === '+' || op === ' ') newLeft--;
      out.push(raw);
      continue;
    }
    if (signature) {
      if (!/^From [0-9a-f]{7,} /.test(line) && !line.startsWith('diff --git ')) continue;
      signature = false;
    }
    if (line === '-- ') {
      signature = true;
      continue;
    }
    const h = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (h) {
      oldLeft = h[1] === undefined ? 1 : +h[1];
      newLeft = h[2] === undefined ? 1 : +h[2];
    }
    out.push(raw);
  }
  const kept = out.join('\n');
  return text.endsWith('\n') && !kept.endsWith('\n') ? kept + '\n' : kept;
}

/** One file the patch changes, as it ends up in memory. */
export interface PatchedFile {
  /** The file before the patch (absolute); undefined for a file the patch creates. */
  old?: string;
  /** The file after the patch (absolute); undefined for a file the patch deletes. */
  file?: string;
  /** The lines (zero-based, in the new text) the patch adds or changes. */
  added: Set<number>;
}

export interface AppliedPatch {
  /** Patched texts by absolute path; undefined for a file the patch deletes (or renames away). */
  texts: Map<string, string | undefined>;
  /** The texts of the tree without the patch, where they are not the disk's (a patch already applied). */
  before: Map<string, string | undefined>;
  /** The tree already holds the patch: the disk is the patched tree. */
  applied: boolean;
  files: PatchedFile[];
  /** What could not be checked (binary changes), to tell the user. */
  notes: string[];
}

const DEV_NULL = '/dev/null';

/**
 * Where a name in the patch is in the tree: `a/x` and `b/x` as `patch -p1` reads them, and
 * `x` as `-p0` does when that resolves. Tried under each base (the tree, then the QEMU root
 * above it when the tree is its linux-user/): the first that exists wins; for a file the
 * patch creates, the first whose top directory exists.
 */
function resolver(bases: string[], exists: (file: string) => boolean) {
  return (name: string, creating: boolean): string => {
    const parts = name.split('/').filter(Boolean);
    const stripped = parts.slice(1).join('/');
    const forms = /^[ab]\//.test(name) ? [stripped, parts.join('/')] : [parts.join('/'), stripped];
    const candidates = bases.flatMap(b => forms.filter(Boolean).map(f => path.join(b, f)));
    const found = creating
      ? candidates.find(c => {
          const base = bases.find(b => c.startsWith(b + path.sep))!;
          const top = path.relative(base, c).split(path.sep)[0];
          return top === path.basename(c) || exists(path.join(base, top));
        })
      : candidates.find(exists);
    return found ?? candidates[0];
  };
}

/** The lines of `after` that are not in `before` (a changed line counts as added). */
export function addedLines(before: string, after: string): Set<number> {
  const added = new Set<number>();
  const p = structuredPatch('', '', before, after, undefined, undefined, { context: 0 });
  for (const h of p.hunks) {
    let line = h.newStart - 1;
    for (const l of h.lines) {
      if (l[0] === '+') added.add(line++);
      else if (l[0] === ' ') line++;
    }
  }
  return added;
}

/**
 * As for `git apply`: a hunk with no context after it must end the file, and one with no
 * context before it at line 1 must start it (else a row appended twice would apply again).
 */
function anchored(source: string, h: StructuredPatch['hunks'][number]): boolean {
  const body = h.lines.filter(l => l[0] !== '\\');
  if (!body.some(l => l[0] === ' ')) return true; // no context at all (diff -U0): anywhere
  const old = body.filter(l => l[0] === ' ' || l[0] === '-').map(l => l.slice(1));
  const lines = source.split('\n');
  if (source.endsWith('\n')) lines.pop();
  const same = (at: number) =>
    at >= 0 && old.every((l, i) => lines[at + i]?.replace(/\r$/, '') === l.replace(/\r$/, ''));
  if (body[body.length - 1][0] !== ' ' && !same(lines.length - old.length)) return false;
  if (body[0][0] !== ' ' && h.oldStart <= 1 && !same(0)) return false;
  return true;
}

const hunkHeader = (h: StructuredPatch['hunks'][number]) =>
  `@@ -${h.oldStart - (h.oldLines === 0 ? 1 : 0)},${h.oldLines} +${h.newStart - (h.newLines === 0 ? 1 : 0)},${h.newLines} @@`;

/** A hunk that does not apply (the patch may be in the tree already). */
class HunkError extends PatchError {}

type Origin = Map<string, { old?: string; text: string }>;

/**
 * Read a unified diff and apply it to the tree in memory: each file's hunks in the order
 * the patch gives them (a series may change a file twice). A hunk that does not apply, a
 * file that is missing, or a diff that cannot be read is a PatchError naming the file. A
 * patch the tree already holds (a developer's own commit, `git format-patch -1` in the
 * tree) is taken the other way round: the tree is the patched one, the tree without it is
 * the patch reversed.
 */
export function applyToTree(text: string, bases: string[], disk: Reader, show: (file: string) => string): AppliedPatch {
  let indexes: StructuredPatch[];
  try {
    indexes = parsePatch(withoutSignatures(text));
  } catch (e) {
    throw new PatchError(`the patch cannot be read: ${(e as Error).message}`);
  }
  indexes = indexes.filter(i => i.oldFileName !== undefined || i.newFileName !== undefined || i.hunks.length);
  if (!indexes.length) throw new PatchError('the patch holds no diff (no "diff --git", "---" or "@@" lines)');
  try {
    const { texts, origin, notes } = applyAll(indexes, bases, disk, show);
    const files: PatchedFile[] = [];
    for (const [f, o] of origin) {
      const now = texts.get(f);
      files.push(
        now === undefined ? { old: o.old, added: new Set() } : { old: o.old, file: f, added: addedLines(o.text, now) },
      );
    }
    return { texts, before: new Map(), files, notes, applied: false };
  } catch (e) {
    if (!(e instanceof HunkError)) throw e;
    let back: ReturnType<typeof applyAll>;
    try {
      back = applyAll(reversePatch(indexes), bases, disk, show);
    } catch {
      throw e;
    }
    // Reversed: each file the reversed patch writes is a file before the patch; where it came
    // from is the file the patch leaves, on the disk.
    const files: PatchedFile[] = [];
    for (const [f, o] of back.origin) {
      const then = back.texts.get(f);
      if (!o.old) files.push({ old: f, added: new Set() });
      else {
        const now = disk.read(o.old) ?? '';
        files.push({ old: then === undefined ? undefined : f, file: o.old, added: addedLines(then ?? '', now) });
      }
    }
    return { texts: new Map(), before: back.texts, files, notes: back.notes, applied: true };
  }
}

function applyAll(indexes: StructuredPatch[], bases: string[], disk: Reader, show: (file: string) => string) {
  const texts = new Map<string, string | undefined>();
  const read = (f: string) => (texts.has(f) ? texts.get(f) : disk.read(f));
  const where = resolver(bases, f => read(f) !== undefined);
  // Where each patched file started: its text on disk (or '' for a new file), for the lines added.
  const origin: Origin = new Map();
  const notes: string[] = [];
  for (const ix of indexes) {
    const oldName = ix.oldFileName && ix.oldFileName !== DEV_NULL ? ix.oldFileName : undefined;
    const newName = ix.newFileName && ix.newFileName !== DEV_NULL ? ix.newFileName : undefined;
    const creating = ix.isCreate || (!oldName && !!newName);
    const deleting = ix.isDelete || (!!oldName && !newName);
    if (!oldName && !newName) throw new PatchError('the patch has a hunk with no file name (no --- and +++ lines)');
    const oldFile = oldName && !creating ? where(oldName, false) : undefined;
    const newFile = newName && !deleting ? where(newName, creating || !!ix.isRename || !!ix.isCopy) : undefined;
    const named = show(newFile ?? oldFile!);
    if (ix.isBinary) {
      notes.push(`${named}: a binary change, not checked`);
      continue;
    }
    let source = '';
    if (oldFile) {
      const t = read(oldFile);
      if (t === undefined) throw new PatchError(`the patch changes ${named}, which is not in the tree`);
      source = t;
    } else if (newFile && read(newFile) !== undefined) {
      throw new HunkError(`the patch creates ${named}, which already exists`);
    }
    let result: string | false = source;
    const unanchored = ix.hunks.findIndex(h => !anchored(source, h));
    if (unanchored >= 0)
      throw new HunkError(
        `${named}: hunk ${unanchored + 1} of ${ix.hunks.length} (${hunkHeader(ix.hunks[unanchored])}) does not apply: it ends the file (no context after it), and the tree's file ends with other lines`,
      );
    if (ix.hunks.length) {
      result = applyPatch(source, ix);
      if (result === false) {
        // Which hunk: the first that does not apply after the ones before it.
        let bad = ix.hunks.length - 1;
        for (let k = 1; k <= ix.hunks.length; k++)
          if (applyPatch(source, { ...ix, hunks: ix.hunks.slice(0, k) }) === false) {
            bad = k - 1;
            break;
          }
        throw new HunkError(
          `${named}: hunk ${bad + 1} of ${ix.hunks.length} (${hunkHeader(ix.hunks[bad])}) does not apply: the tree's file has other lines there; nothing was checked`,
        );
      }
    }
    const from = oldFile ? (origin.get(oldFile) ?? { old: oldFile, text: disk.read(oldFile) ?? '' }) : { text: '' };
    if (oldFile && (deleting || (ix.isRename && newFile !== oldFile))) {
      texts.set(oldFile, undefined);
      origin.delete(oldFile);
    }
    if (newFile) {
      texts.set(newFile, result);
      origin.set(newFile, from);
    } else if (oldFile) origin.set(oldFile, { ...from, old: oldFile });
  }
  return { texts, origin, notes };
}

/** The tree as the patch leaves it: patched texts first, then the disk; listings follow. */
export function overlayReader(disk: Reader, texts: Map<string, string | undefined>): Reader {
  const added = new Map<string, Set<string>>(),
    removed = new Map<string, Set<string>>();
  const put = (m: Map<string, Set<string>>, dir: string, name: string) => {
    if (!m.has(dir)) m.set(dir, new Set());
    m.get(dir)!.add(name);
  };
  for (const [f, t] of texts) {
    if (t === undefined) put(removed, path.dirname(f), path.basename(f));
    else
      for (let child = f, dir = path.dirname(f); dir !== child; child = dir, dir = path.dirname(dir))
        put(added, dir, path.basename(child));
  }
  return {
    read: f => (texts.has(f) ? texts.get(f) : disk.read(f)),
    list: dir => {
      const names = new Set(disk.list(dir));
      for (const n of removed.get(dir) ?? []) names.delete(n);
      for (const n of added.get(dir) ?? []) names.add(n);
      return [...names];
    },
  };
}
