// A QEMU tree as systab sees it: its linux-user targets, their tables and the names they
// define. Found by known paths: configs/targets/*-linux-user.mak and linux-user/<dir>/.
import * as path from 'path';
import { parseTbl, TblModel } from './tbl';

export interface QemuTarget {
  /** `mipsn32`, from configs/targets/mipsn32-linux-user.mak. */
  name: string;
  /** The linux-user/<dir> holding its tables (TARGET_ABI_DIR, else TARGET_ARCH). */
  dir: string;
  /** TARGET_SYSTBL and TARGET_SYSTBL_ABI, when the target has a `.tbl`. */
  tbl?: string;
  abis: string[];
}

export interface QemuReader {
  read(file: string): string | undefined;
  list(dir: string): string[];
}

/** The QEMU root above a file in linux-user/ (or bsd-user/), if any. */
export function qemuRootOf(file: string): string | undefined {
  const parts = path.resolve(file).split(path.sep);
  const i = parts.lastIndexOf('linux-user');
  return i > 0 ? parts.slice(0, i).join(path.sep) || path.sep : undefined;
}

/** KEY=VALUE lines of a QEMU .mak file. */
export function readMak(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_0-9]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export function qemuTargets(root: string, r: QemuReader): QemuTarget[] {
  const dir = path.join(root, 'configs', 'targets');
  const out: QemuTarget[] = [];
  for (const n of r.list(dir).filter(f => f.endsWith('-linux-user.mak')).sort()) {
    const text = r.read(path.join(dir, n));
    if (text === undefined) continue;
    const mak = readMak(text);
    out.push({
      name: n.replace(/-linux-user\.mak$/, ''),
      dir: mak.TARGET_ABI_DIR || mak.TARGET_ARCH || n.replace(/-linux-user\.mak$/, ''),
      tbl: mak.TARGET_SYSTBL || undefined,
      abis: (mak.TARGET_SYSTBL_ABI ?? '').split(',').map(s => s.trim()).filter(Boolean),
    });
  }
  return out;
}

/** The targets that read the `.tbl` at linux-user/<dir>/<base>. */
export function targetsOfTbl(targets: QemuTarget[], dir: string, base: string): QemuTarget[] {
  return targets.filter(t => t.dir === dir && t.tbl === base);
}

/** Renames a target's syscallhdr.sh applies: `if [ "$name" = "X" ] ; then name="Y"`. */
export function headerRenames(script: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!script) return out;
  const re = /\[\s*"\$name"\s*=\s*"(\w+)"\s*\]\s*;\s*then\s*\n?\s*name="(\w+)"/g;
  for (let m = re.exec(script); m; m = re.exec(script)) out.set(m[1], m[2]);
  return out;
}

const cache = new Map<string, { texts: string[]; names: Set<string> }>();

/**
 * Every `TARGET_NR_` name some target defines: from each linux-user/<dir>/*.tbl (as its
 * syscallhdr.sh would name it), each hand-written syscall_nr.h, and syscall.c's own aliases.
 */
export function definedNames(root: string, r: QemuReader, syscallC: string): Set<string> {
  const lu = path.join(root, 'linux-user');
  const texts: string[] = [];
  const files: [string, string][] = [];
  for (const d of r.list(lu).sort()) {
    const sub = path.join(lu, d);
    for (const f of r.list(sub).sort()) {
      if (!/^syscall.*\.tbl$/.test(f) && !/^syscall\w*_nr\.h$/.test(f) && f !== 'syscallhdr.sh') continue;
      const text = r.read(path.join(sub, f));
      if (text !== undefined) { files.push([path.join(d, f), text]); texts.push(text); }
    }
  }
  texts.push(syscallC);
  // Unchanged files come back as the same strings from the reader's cache: a cheap compare.
  const hit = cache.get(root);
  if (hit && hit.texts.length === texts.length && hit.texts.every((t, i) => t === texts[i])) return hit.names;
  const names = new Set<string>();
  const define = /#\s*define\s+TARGET_NR_(\w+)/g;
  for (const [rel, text] of files) {
    if (rel.endsWith('.tbl')) {
      const renames = headerRenames(files.find(([p]) => p === path.join(path.dirname(rel), 'syscallhdr.sh'))?.[1]);
      for (const e of parseTbl(rel, text).entries) names.add(renames.get(e.name) ?? e.name);
    } else if (rel.endsWith('.h')) {
      for (let m = define.exec(text); m; m = define.exec(text)) names.add(m[1]);
    }
  }
  for (let m = define.exec(syscallC); m; m = define.exec(syscallC)) names.add(m[1]);
  cache.set(root, { texts, names });
  return names;
}

export type { TblModel };
