// A QEMU tree as systab sees it: its linux-user targets, their tables and the names they
// define. Found by known paths: configs/targets/*-linux-user.mak and linux-user/<dir>/.
import * as path from 'path';
import { HeaderIO, TargetConfig } from './syscallHdr';
import { parseTbl, TblModel } from './tbl';

/** How the QEMU tree is read: open buffers first, then the disk. */
export type QemuReader = HeaderIO;

/** The QEMU root above a file in linux-user/ (or bsd-user/), if any. */
export function qemuRootOf(file: string): string | undefined {
  const parts = path.resolve(file).split(path.sep);
  const i = parts.lastIndexOf('linux-user');
  return i > 0 ? parts.slice(0, i).join(path.sep) || path.sep : undefined;
}

/** The targets that read the `.tbl` at linux-user/<dir>/<base>. */
export function targetsOfTbl(targets: TargetConfig[], dir: string, base: string): TargetConfig[] {
  return targets.filter(t => t.abiDir === dir && t.systbl === base);
}

/** A target's ABI list (TARGET_SYSTBL_ABI). */
export const targetAbis = (t: TargetConfig) => (t.systblAbi ?? '').split(',').map(x => x.trim()).filter(Boolean);

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
  for (const d of (r.list?.(lu) ?? []).sort()) {
    const sub = path.join(lu, d);
    for (const f of (r.list?.(sub) ?? []).sort()) {
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
