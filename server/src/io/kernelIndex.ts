// Index a Linux source tree into a Catalogue: one walk, reading only files that can hold
// syscall definitions, tables or prototypes.
import * as fs from 'fs';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { addPrototype, Catalogue, emptyCatalogue, ProtoKind } from '../reference/linux/catalogue';
import { parseDefineArgs, parseParamList, splitTopLevel } from '../reference/linux/params';
import { isSyscallTblPath, parseTbl } from '../reference/linux/tbl';
import { archDefines, archSelects, conditionsAt } from '../reference/linux/kconfig';
import { Conditionals, conditionalLines } from '../syntax/c/preprocessor';
import { GENERIC, GENERIC_ABIS } from '../reference/linux/abis';
import { archUnistd, GENERIC_UNISTD, makefileSyscalls, readGenericTable } from '../reference/linux/genericUnistd';
import { ARM_CALLS, ARM_TBL, ARM_UNISTD, armTables } from '../reference/linux/armCalls';
import { ARM_ENTRY, ARM_TRAPS, ARM_UNISTD as ARM_PRIVATE_UNISTD, armPrivatePart } from '../reference/linux/armPrivate';
import { MIPS_O32_ASM, mipsAsmPrototypes } from '../reference/linux/asmWords';

export class KernelPathError extends Error {}

export interface IndexProgress {
  filesSeen: number;
  filesRead: number;
  percent: number;
  message: string;
}

/** What the index read, to tell later whether the tree changed (see cache.ts). */
export interface Manifest {
  dirs: Record<string, number>;
  files: Record<string, [number, number]>;
}

export interface IndexOptions {
  onProgress?: (p: IndexProgress) => void;
  /** Filled with the directories walked and the files read. */
  manifest?: Manifest;
  signal?: AbortSignal;
  /** Largest file read; anything bigger is generated data, not syscall code. */
  maxFileBytes?: number;
}

/** Top-level directories that never hold the kernel's own syscall code. */
const SKIP_TOP = new Set(['.git', 'Documentation', 'tools', 'samples', 'LICENSES', 'usr', 'debian', 'scripts']);

const DEFINE_RE = /\b(COMPAT_SYSCALL_DEFINE|SYSCALL32_DEFINE|PPC32_SYSCALL_DEFINE|SYSCALL_DEFINE)([0-6])\s*\(/g;

export async function checkKernelPath(root: string): Promise<void> {
  let st;
  try {
    st = await fsp.stat(root);
  } catch {
    throw new KernelPathError(`kernel path ${root} does not exist`);
  }
  if (!st.isDirectory()) throw new KernelPathError(`kernel path ${root} is a file, not a Linux source tree`);
  const probes = ['include/linux/syscalls.h', 'arch'];
  for (const p of probes) {
    try {
      await fsp.stat(path.join(root, p));
    } catch {
      throw new KernelPathError(`kernel path ${root} is not a Linux source tree (no ${p})`);
    }
  }
}

function lineOf(text: string, offset: number, cache: { offset: number; line: number }): number {
  let line = cache.line;
  for (let i = text.indexOf('\n', cache.offset); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  // Move the cache to the start of the current line so later matches count from there.
  cache.offset = text.lastIndexOf('\n', offset - 1) + 1;
  cache.line = line;
  return line;
}

/** The text between the parenthesis at `open` and its match, or undefined if unbalanced. */
function balanced(text: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 4000; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

// arch/x86/um is User-mode Linux's code, not x86's: its definitions never stand in for x86's.
const archOf = (rel: string) => (rel.startsWith('arch/x86/um/') ? 'um' : /^arch\/([^/]+)\//.exec(rel)?.[1]);

/** SYSCALL_DEFINEn / COMPAT_SYSCALL_DEFINEn definitions in one C file. */
export function scanDefines(cat: Catalogue, rel: string, text: string): void {
  const cache = { offset: 0, line: 0 };
  const conditions = conditionsAt(text);
  DEFINE_RE.lastIndex = 0;
  for (let m = DEFINE_RE.exec(text); m; m = DEFINE_RE.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (/^\s*#/.test(text.slice(lineStart, m.index))) continue; // the macro's own #define
    const inner = balanced(text, m.index + m[0].length - 1);
    if (inner === undefined) continue;
    const args = splitTopLevel(inner);
    const name = args[0];
    if (!/^\w+$/.test(name)) continue;
    const params = parseDefineArgs(args.slice(1));
    const line = lineOf(text, m.index, cache);
    // PPC32_SYSCALL_DEFINE is SYSCALL_DEFINE on a 32-bit kernel, COMPAT_ on a 64-bit one.
    const kinds: ProtoKind[] =
      m[1] === 'SYSCALL_DEFINE'
        ? ['SYSCALL_DEFINE']
        : m[1] === 'PPC32_SYSCALL_DEFINE'
          ? ['SYSCALL_DEFINE', 'COMPAT_SYSCALL_DEFINE']
          : ['COMPAT_SYSCALL_DEFINE'];
    for (const kind of kinds) {
      const entry = (kind === 'SYSCALL_DEFINE' ? 'sys_' : 'compat_sys_') + name;
      addPrototype(cat, { entry, params, file: rel, line, kind, arch: archOf(rel), ...conditions(m.index) });
    }
  }
}

/**
 * `asmlinkage` prototypes and definitions (syscalls.h, compat.h, arch wrappers such as
 * MIPS `sys32_sync_file_range`). Declarations under `#if ...CONFIG_ARCH_SPLIT_ARG64` are
 * the split variants for other arches and are skipped.
 */
export function scanAsmlinkage(cat: Catalogue, rel: string, text: string): void {
  const skipRanges = splitArgRanges(text);
  const cache = { offset: 0, line: 0 };
  // indexOf and a bounded slice, not one regex: a backtracking pattern over whole files is slow.
  for (let at = text.indexOf('asmlinkage'); at >= 0; at = text.indexOf('asmlinkage', at + 10)) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (text.slice(lineStart, at).trim() !== '') continue;
    const open = text.indexOf('(', at);
    if (open < 0 || open - at > 200) continue;
    const head = text.slice(at + 10, open);
    if (/[;{}#]/.test(head)) continue;
    const entry = /([A-Za-z_]\w*)\s*$/.exec(head)?.[1];
    // Generic headers declare sys_* entry points; arch code also names them its own way
    // (parisc_pread64, xtensa_fadvise64_64).
    if (!entry || (!rel.startsWith('arch/') && !/(^|_)sys/.test(entry))) continue;
    if (skipRanges.some(([s, e]) => at >= s && at < e)) continue;
    const inner = balanced(text, open);
    if (inner === undefined) continue;
    const after = text.slice(open + inner.length + 2, open + inner.length + 40).trimStart();
    const kind: ProtoKind = after.startsWith(';') ? 'declaration' : 'definition';
    addPrototype(cat, {
      entry,
      params: parseParamList(inner),
      file: rel,
      line: lineOf(text, at, cache),
      kind,
      arch: archOf(rel),
    });
  }
}

const isUmlCode = (rel: string) => rel.startsWith('arch/um/') || rel.startsWith('arch/x86/um/');

/**
 * UML's entry points written as plain C (`long sys_rt_sigreturn(void)` in 6.1's
 * arch/x86/um/signal.c): no SYSCALL_DEFINE, no asmlinkage, yet what UML's table links.
 */
export function scanPlainSyscalls(cat: Catalogue, rel: string, text: string): void {
  const cache = { offset: 0, line: 0 };
  const re = /^(?:asmlinkage\s+)?long\s+(sys_\w+)\s*\(/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const open = m.index + m[0].length - 1;
    const inner = balanced(text, open);
    if (inner === undefined) continue;
    if (
      !text
        .slice(open + inner.length + 2, open + inner.length + 40)
        .trimStart()
        .startsWith('{')
    )
      continue;
    if (m[0].startsWith('asmlinkage')) continue; // scanAsmlinkage has it
    addPrototype(cat, {
      entry: m[1],
      params: parseParamList(inner),
      file: rel,
      line: lineOf(text, m.index, cache),
      kind: 'definition',
      arch: archOf(rel),
    });
  }
}

/** Offsets of `#if ... CONFIG_ARCH_SPLIT_ARG64` true branches. */
function splitArgRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  // Only the opening branch's value is read: whether it is such a branch, and where it starts.
  const stack = new Conditionals<{ split: boolean; start: number }>();
  for (const { at, directive: d, rest } of conditionalLines(text)) {
    if (d === 'else' || d === 'elif' || d === 'endif') {
      const open = stack.top?.branches[0].value;
      if (open?.split) {
        out.push([open.start, at]);
        open.split = false;
      }
    }
    stack.step(d, () => ({
      split: d !== 'ifndef' && rest.includes('CONFIG_ARCH_SPLIT_ARG64') && !rest.includes('!'),
      start: at,
    }));
  }
  return out;
}

function kernelRelease(makefile: string): string | undefined {
  const get = (k: string) => new RegExp(`^${k}\\s*=\\s*(\\S*)`, 'm').exec(makefile)?.[1];
  const v = get('VERSION'),
    p = get('PATCHLEVEL'),
    s = get('SUBLEVEL');
  return v ? `${v}.${p ?? 0}${s ? `.${s}` : ''}` : undefined;
}

interface Job {
  rel: string;
  /** `unistd`: a file of the generic table before scripts/syscall.tbl (see genericTables). */
  kind: 'c' | 'h' | 'tbl' | 'kconfig' | 'unistd' | 'known';
}

/**
 * Files read for one fact each, by known path (each a small function of its own text):
 * ARM's private syscalls and the MIPS assembly entry points whose words their code shows.
 */
const KNOWN_FILES: Record<string, (cat: Catalogue, rel: string, text: string) => void> = {
  ...Object.fromEntries([ARM_PRIVATE_UNISTD, ARM_TRAPS, ARM_ENTRY].map(rel => [rel, armPrivateFacts])),
  ...Object.fromEntries(MIPS_O32_ASM.map(rel => [rel, asmPrototypes])),
};

function armPrivateFacts(cat: Catalogue, rel: string, text: string): void {
  const part = armPrivatePart(rel, text);
  if (part && Object.values(part).some(v => v)) cat.armPrivate = { ...cat.armPrivate, ...part };
}

function asmPrototypes(cat: Catalogue, rel: string, text: string): void {
  for (const p of mipsAsmPrototypes(rel, text)) addPrototype(cat, p);
}

function classify(rel: string): Job['kind'] | undefined {
  if (KNOWN_FILES[rel]) return 'known';
  if (rel.endsWith('.c')) return 'c';
  if (/^arch\/[^/]+\/Kconfig$/.test(rel)) return 'kconfig';
  if (rel.endsWith('.tbl')) return isSyscallTblPath(rel) ? 'tbl' : undefined;
  if (rel === 'include/linux/syscalls.h' || rel === 'include/linux/compat.h') return 'h';
  if (/^arch\/[^/]+\/include\/asm\/(syscalls?|compat|unistd)[\w-]*\.h$/.test(rel)) return 'h';
  if (/^include\/asm-generic\/syscalls?\.h$/.test(rel)) return 'h';
  return undefined;
}

/** Build the catalogue of a Linux tree. */
export async function indexKernel(root: string, opts: IndexOptions = {}): Promise<Catalogue> {
  await checkKernelPath(root);
  const maxBytes = opts.maxFileBytes ?? 4 << 20;
  const cat = emptyCatalogue();
  cat.kernel.root = path.resolve(root);
  try {
    cat.kernel.release = kernelRelease(await fsp.readFile(path.join(root, 'Makefile'), 'latin1'));
  } catch {
    /* no Makefile: no release */
  }

  // Synchronous I/O in short slices, yielding between them: much faster than one promise
  // per file, and the server's event loop still answers requests while a tree is indexed.
  const yieldNow = () => new Promise<void>(resolve => setImmediate(resolve));
  const SLICE_MS = 15;
  let sliceStart = Date.now();
  const maybeYield = async () => {
    if (Date.now() - sliceStart < SLICE_MS) return;
    await yieldNow();
    opts.signal?.throwIfAborted();
    sliceStart = Date.now();
  };

  const jobs: Job[] = [];
  let seen = 0;
  // Symbolic links are never followed (a Dirent for one is not a directory), so a link
  // loop cannot trap the walk.
  const dirs = [''];
  while (dirs.length) {
    const relDir = dirs.pop()!;
    const abs = path.join(root, relDir);
    let ents: fs.Dirent[];
    try {
      ents = fs.readdirSync(abs, { withFileTypes: true });
      if (opts.manifest) opts.manifest.dirs[relDir] = fs.statSync(abs).mtimeMs;
    } catch {
      continue;
    } // unreadable or gone: carry on with the rest
    for (const e of ents) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!relDir && SKIP_TOP.has(e.name)) continue;
        dirs.push(rel);
      } else if (e.isFile()) {
        seen++;
        const kind = classify(rel);
        if (kind) jobs.push({ rel, kind });
      }
    }
    await maybeYield();
  }
  // scripts/ is skipped as a whole, except the generic ABI table of newer kernels.
  if (fs.existsSync(path.join(root, GENERIC))) jobs.push({ rel: GENERIC, kind: 'tbl' });
  else {
    // Before Linux 6.11: the generic ABIs' syscalls are include/uapi/asm-generic/unistd.h as
    // each arch's uapi unistd.h includes it.
    const rels = [GENERIC_UNISTD, ...GENERIC_ABIS.flatMap(a => [archUnistd(a.arch), makefileSyscalls(a.arch)])];
    for (const rel of new Set(rels)) if (fs.existsSync(path.join(root, rel))) jobs.push({ rel, kind: 'unistd' });
  }
  // Before Linux 4.10: ARM's table is arch/arm/kernel/calls.S numbered by its unistd.h.
  if (!fs.existsSync(path.join(root, ARM_TBL)))
    for (const rel of [ARM_CALLS, ...ARM_UNISTD])
      if (fs.existsSync(path.join(root, rel))) jobs.push({ rel, kind: 'unistd' });

  jobs.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0)); // same tree, same catalogue
  let lastReport = 0;
  const report = (done: number) =>
    opts.onProgress?.({
      filesSeen: seen,
      filesRead: done,
      percent: Math.floor((done / Math.max(1, jobs.length)) * 100),
      message: `${done}/${jobs.length} files`,
    });
  const unistd = new Map<string, string>();
  // One buffer for every read; only files that mention a syscall become strings.
  const buf = Buffer.allocUnsafe(maxBytes + 1);
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    let n = 0;
    try {
      const fd = fs.openSync(path.join(root, job.rel), 'r');
      try {
        if (opts.manifest) {
          const st = fs.fstatSync(fd);
          opts.manifest.files[job.rel] = [st.mtimeMs, st.size];
        }
        n = fs.readSync(fd, buf, 0, buf.length, 0);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      n = -1;
    } // vanished or unreadable while indexing: skip it
    if (n >= 0 && n <= maxBytes) {
      const bytes = buf.subarray(0, n);
      const wanted =
        job.kind !== 'c' ||
        bytes.indexOf('SYSCALL') >= 0 ||
        isUmlCode(job.rel) ||
        (job.rel.startsWith('arch/') && bytes.indexOf('asmlinkage') >= 0);
      if (job.kind === 'unistd') unistd.set(job.rel, bytes.toString('latin1'));
      else if (wanted) apply(cat, job, bytes.toString('latin1'));
    }
    if (i - lastReport >= 1000) {
      lastReport = i;
      report(i);
    }
    await maybeYield();
  }
  report(jobs.length);
  genericTables(cat, unistd);
  armCallsTables(cat, unistd);
  return cat;
}

/**
 * The generic ABIs' tables of a tree without scripts/syscall.tbl, one per arch under its
 * uapi unistd.h's path, each entry tagged with its ABI's id (riscv32 and riscv64 share
 * arch/riscv's): what AbiDef.older names, so `entries(abi)` finds them.
 */
export function genericTables(cat: Catalogue, files: Map<string, string>): void {
  const generic = files.get(GENERIC_UNISTD);
  if (generic === undefined) return;
  for (const abi of GENERIC_ABIS) {
    const arch = files.get(archUnistd(abi.arch));
    if (arch === undefined) continue;
    const makefile = files.get(makefileSyscalls(abi.arch));
    const t = readGenericTable({
      abi: abi.id,
      bits: abi.words.bits,
      arch: { path: archUnistd(abi.arch), text: arch },
      generic: { path: GENERIC_UNISTD, text: generic },
      makefile: makefile === undefined ? undefined : { path: makefileSyscalls(abi.arch), text: makefile },
    });
    if (!t.entries.length) continue;
    const table = (cat.tables[archUnistd(abi.arch)] ??= []);
    // An entry's file is said only when it is not the table's own (the arch header).
    for (const { file, ...e } of t.entries) table.push(file === archUnistd(abi.arch) ? e : { ...e, file });
  }
}

/** ARM's EABI and OABI tables of a tree without syscall.tbl, under calls.S's path (AbiDef.older). */
export function armCallsTables(cat: Catalogue, files: Map<string, string>): void {
  const calls = files.get(ARM_CALLS);
  if (calls === undefined) return;
  const entries = armTables({ calls, unistd: files }, { eabi: 'arm-eabi', oabi: 'arm-oabi' });
  if (entries.length) cat.tables[ARM_CALLS] = entries;
}

function apply(cat: Catalogue, job: Job, text: string): void {
  if (job.kind === 'known') {
    KNOWN_FILES[job.rel](cat, job.rel, text);
    // traps.c is C code as well: its asmlinkage definitions are prototypes like any other.
    if (job.rel.endsWith('.c')) apply(cat, { rel: job.rel, kind: 'c' }, text);
    return;
  }
  if (job.kind === 'kconfig') {
    (cat.archConfig ??= {})[archOf(job.rel)!] = archSelects(text);
    cat.archDefines = [...new Set([...(cat.archDefines ?? []), ...archDefines(text)])].sort();
    return;
  }
  if (job.kind === 'tbl') {
    const t = parseTbl(job.rel, text);
    if (t.binary) return;
    cat.tables[job.rel] = t.entries.map(e => ({
      number: e.number,
      abi: e.abi,
      name: e.name,
      entry: e.entry,
      compat: e.compat,
      line: e.line,
    }));
    return;
  }
  if (job.kind === 'c' && text.includes('SYSCALL')) scanDefines(cat, job.rel, text);
  if (job.kind === 'c' && isUmlCode(job.rel)) scanPlainSyscalls(cat, job.rel, text);
  if ((job.kind === 'h' || job.rel.startsWith('arch/')) && text.includes('asmlinkage'))
    scanAsmlinkage(cat, job.rel, text);
}
