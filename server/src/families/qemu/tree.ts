// A QEMU tree as systab sees it: its linux-user targets, their tables and the names they
// define. Found by known paths: configs/targets/*-linux-user.mak and linux-user/<dir>/.
import * as path from 'path';
import type { Reader } from '../../core/reader';
import { registerMemo } from '../../core/memos';
import { textChange } from '../../core/textChange';
import { TargetConfig } from './syscallhdr';
import { parseSyscallNr } from './syscallNr/model';
import { implemented, parseTbl, TblModel } from '../../reference/linux/tbl';

/** The QEMU root above a file in linux-user/ (or bsd-user/), if any. */
export function qemuRootOf(file: string): string | undefined {
  const parts = path.resolve(file).split(path.sep);
  const i = parts.lastIndexOf('linux-user');
  return i > 0 ? parts.slice(0, i).join(path.sep) || path.sep : undefined;
}

/** A syscall_nr.h's `TARGET_NR_` defines, as the header parser reads them (any kind). */
export const headerDefines = (file: string, text: string) =>
  parseSyscallNr(file, text).defines.filter(d => d.prefix === 'TARGET_NR_');

/** The targets that read the `.tbl` at linux-user/<dir>/<base>. */
export function targetsOfTbl(targets: TargetConfig[], dir: string, base: string): TargetConfig[] {
  return targets.filter(t => t.abiDir === dir && t.systbl === base);
}

/** A target's ABI list (TARGET_SYSTBL_ABI). */
export const targetAbis = (t: TargetConfig) =>
  (t.systblAbi ?? '')
    .split(',')
    .map(x => x.trim())
    .filter(Boolean);

/** Renames a target's syscallhdr.sh applies: `if [ "$name" = "X" ] ; then name="Y"`. */
export function headerRenames(script: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!script) return out;
  const re = /\[\s*"\$name"\s*=\s*"(\w+)"\s*\]\s*;\s*then\s*\n?\s*name="(\w+)"/g;
  for (let m = re.exec(script); m; m = re.exec(script)) out.set(m[1], m[2]);
  return out;
}

// Per listing function: a reader that lists other entries (the CLI's view of a patched tree)
// never gets the disk's listing from the cache, nor leaves its own there.
const listingsOf = new WeakMap<Reader['list'], Map<string, { at: number; files: string[] }>>();
const cache = new Map<string, { texts: string[]; names: Set<string> }>();

/** The tables and headers under linux-user/<dir>/, listed at most once every two seconds. */
function tableFilesOf(root: string, r: Reader): string[] {
  let listings = listingsOf.get(r.list);
  if (!listings) listingsOf.set(r.list, (listings = new Map()));
  const hit = listings.get(root);
  if (hit && Date.now() - hit.at < 2000) return hit.files;
  const lu = path.join(root, 'linux-user');
  const files: string[] = [];
  for (const d of r.list(lu).sort()) {
    for (const f of r.list(path.join(lu, d)).sort()) {
      if (/^syscall.*\.tbl$/.test(f) || /^syscall\w*_nr\.h$/.test(f) || f === 'syscallhdr.sh')
        files.push(path.join(d, f));
    }
  }
  listings.set(root, { at: Date.now(), files });
  return files;
}

/**
 * Every `TARGET_NR_` name some target defines: from each linux-user/<dir>/*.tbl (as its
 * syscallhdr.sh would name it), each hand-written syscall_nr.h, and syscall.c's own aliases.
 */
export function definedNames(root: string, r: Reader, syscallC: string): Set<string> {
  const lu = path.join(root, 'linux-user');
  const files = tableFilesOf(root, r)
    .map(rel => [rel, r.read(path.join(lu, rel))] as const)
    .filter((x): x is readonly [string, string] => x[1] !== undefined);
  const texts = files.map(f => f[1]);
  // Unchanged files come back as the same strings from the reader's cache: a cheap compare.
  let hit = cache.get(root);
  if (!hit || hit.texts.length !== texts.length || !hit.texts.every((t, i) => t === texts[i])) {
    const names = new Set<string>();
    for (const [rel, text] of files) {
      if (rel.endsWith('.tbl')) {
        const renames = headerRenames(files.find(([p]) => p === path.join(path.dirname(rel), 'syscallhdr.sh'))?.[1]);
        for (const e of parseTbl(rel, text).entries) names.add(renames.get(e.name) ?? e.name);
      } else if (rel.endsWith('.h')) {
        for (const d of headerDefines(rel, text)) names.add(d.name);
      }
    }
    hit = { texts, names };
    cache.set(root, hit);
  }
  // syscall.c changes with every keystroke: its own aliases are added to a copy, made again
  // when they or the tables' names change.
  const aliases = syscallAliases(syscallC);
  if (definedMemo?.names !== hit.names || definedMemo.aliases !== aliases) {
    const out = new Set(hit.names);
    for (const a of aliases) out.add(a);
    definedMemo = { names: hit.names, aliases, out };
  }
  return definedMemo.out;
}

let definedMemo: { names: Set<string>; aliases: string[]; out: Set<string> } | undefined;

let aliasMemo: { text: string; found: { index: number; name: string }[]; names: string[] } = {
  text: '',
  found: [],
  names: [],
};

const ALIAS = /#\s*define\s+TARGET_NR_(\w+)/g;

/** The aliases in `text`, which starts at `at` of the whole. */
function aliasesIn(text: string, at: number): { index: number; name: string }[] {
  const out: { index: number; name: string }[] = [];
  ALIAS.lastIndex = 0;
  for (let m = ALIAS.exec(text); m; m = ALIAS.exec(text)) out.push({ index: at + m.index, name: m[1] });
  ALIAS.lastIndex = 0;
  return out;
}

/**
 * syscall.c's own `#define TARGET_NR_x ...` names (x), read once per text (every target's
 * view asks); the same array while an edit leaves them as they were, so what is built from
 * them can be kept. After an edit only the text from the last `#` before it to its end is
 * read again: a define is read from its `#`, which nothing in it but its own `#` can be, so
 * one that starts before that `#` ends before it, and one after the edit reads the same text.
 */
export function syscallAliases(text: string): string[] {
  const prev = aliasMemo;
  if (prev.text === text) return prev.names;
  let found: { index: number; name: string }[];
  if (prev.text) {
    const c = textChange(prev.text, text);
    const from = c.start > 0 ? Math.max(0, prev.text.lastIndexOf('#', c.start - 1)) : 0;
    // Up to the first `#` after the change: a define from before it ends there.
    const hash = text.indexOf('#', c.bEnd);
    const to = hash < 0 ? text.length : hash;
    const by = c.bEnd - c.aEnd;
    found = [
      ...prev.found.filter(f => f.index < from),
      ...aliasesIn(text.slice(from, to), from),
      ...prev.found.filter(f => f.index >= c.aEnd).map(f => ({ index: f.index + by, name: f.name })),
    ];
  } else found = aliasesIn(text, 0);
  const names = found.map(f => f.name);
  const same = names.length === prev.names.length && names.every((n, i) => n === prev.names[i]);
  aliasMemo = { text, found, names: same ? prev.names : names };
  return aliasMemo.names;
}

export interface TargetDefines {
  /** Each name as the target's header has it, with the table line that defines it. */
  defined: Map<string, { file: string; line: number }>;
  /** The kernel's names for them (before a syscallhdr.sh rename such as fadvise64_64). */
  kernelNames: Set<string>;
  /** The kernel's name for each of the header's names. */
  kernelOf: Map<string, string>;
  /** The table read (the .tbl, or the hand-written header). */
  source: string;
  /**
   * Every name the target's header defines, implemented or not: syscallhdr.sh writes a
   * define for each line of the target's ABIs (ppc's skips `sys_ni_syscall` lines).
   */
  headerNames: Map<string, { file: string; line: number }>;
  /** The table number of each of the header's names (without a target's base). */
  numbers: Map<string, number>;
}

/** What QEMU's tables define for one target: each name (as its header names it) with its place, the kernel's names for them, and the table read. */
export function targetDefines(root: string, r: Reader, t: TargetConfig): TargetDefines {
  // Every check of syscall.c and strace.list asks for every target's names on every edit:
  // reuse the last answer while each file it read still reads the same.
  const key = `${root}\0${t.target}\0${t.file}\0${t.abiDir}\0${t.systbl ?? ''}`;
  const hit = definesMemo.get(key);
  if (hit && hit.reads.every(([f, text]) => r.read(f) === text)) return hit.result;
  const reads: [string, string | undefined][] = [];
  const recording: Reader = {
    read: f => {
      const text = r.read(f);
      reads.push([f, text]);
      return text;
    },
    list: d => r.list(d),
  };
  const result = readTargetDefines(root, recording, t);
  if (definesMemo.size > 256) definesMemo.clear();
  definesMemo.set(key, { reads, result });
  return result;
}

const definesMemo = new Map<string, { reads: [string, string | undefined][]; result: TargetDefines }>();

registerMemo(() => {
  cache.clear();
  definesMemo.clear();
  definedMemo = undefined;
  aliasMemo = { text: '', found: [], names: [] };
});

function readTargetDefines(root: string, r: Reader, t: TargetConfig): TargetDefines {
  const dir = path.join(root, 'linux-user', t.abiDir);
  const abis = targetAbis(t);
  const defined = new Map<string, { file: string; line: number }>();
  const kernelOf = new Map<string, string>();
  const headerNames = new Map<string, { file: string; line: number }>();
  const numbers = new Map<string, number>();
  // The kernel's names for them (before a syscallhdr.sh rename such as fadvise64_64).
  const kernelNames = new Set<string>();
  if (t.systbl) {
    const file = path.join(dir, t.systbl);
    const script = r.read(path.join(dir, 'syscallhdr.sh'));
    const renames = headerRenames(script);
    const skipsNi = /"\$entry"\s*=\s*"sys_ni_syscall"/.test(script ?? '');
    const model = parseTbl(file, r.read(file) ?? '');
    for (const e of model.entries) {
      if (!abis.includes(e.abi)) continue;
      if (!skipsNi || e.entry !== 'sys_ni_syscall')
        headerNames.set(renames.get(e.name) ?? e.name, { file, line: e.line });
      if (!implemented(e.entry)) continue;
      const name = renames.get(e.name) ?? e.name;
      defined.set(name, { file, line: e.line });
      kernelOf.set(name, e.name);
      kernelNames.add(e.name);
    }
    return { defined, kernelNames, kernelOf, source: file, headerNames, numbers };
  }
  // A stub may include the real list: riscv picks syscall32_nr.h or syscall64_nr.h.
  let file = path.join(dir, 'syscall_nr.h');
  let defines = headerDefines(file, r.read(file) ?? '');
  const includes = [...(r.read(file) ?? '').matchAll(/#\s*include\s+"(syscall\w*_nr\.h)"/g)].map(m => m[1]);
  const pick = includes.find(i => i.includes(/32/.test(t.target) ? '32' : '64')) ?? includes[0];
  if (pick && !defines.length) {
    file = path.join(dir, pick);
    defines = headerDefines(file, r.read(file) ?? '');
  }
  // Syscalls only: not TARGET_NR_syscalls (a count) or TARGET_NR_arch_specific_syscall (a base).
  for (const d of defines.filter(x => x.kind === 'syscall')) {
    defined.set(d.name, { file, line: d.line });
    kernelOf.set(d.name, d.name);
    kernelNames.add(d.name);
  }
  for (const d of defines) {
    headerNames.set(d.name, { file, line: d.line });
    if (d.number !== undefined) numbers.set(d.name, d.number);
  }
  return { defined, kernelNames, kernelOf, source: file, headerNames, numbers };
}

export type { TblModel };

/** A QEMU `linux-user/` at, in or just above `dir`. */
export function linuxUserOf(dir: string, io: Reader): string | undefined {
  return [path.join(dir, 'linux-user'), dir, path.dirname(dir)].find(
    d => path.basename(d) === 'linux-user' && io.list(d).length > 0,
  );
}

/** The `linux-user/<target>/` directories `check DIR` looks in: every target from a QEMU root or linux-user/, else DIR's own. */
export function targetDirs(dir: string, io: Reader): string[] {
  const lu = linuxUserOf(dir, io);
  if (!lu) return [];
  const inTarget = path.basename(dir) !== 'linux-user' && path.resolve(dir) !== path.resolve(lu, '..');
  return io
    .list(lu)
    .map(t => path.join(lu, t))
    .filter(t => !inTarget || path.resolve(dir) === path.resolve(t));
}
