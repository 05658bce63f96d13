// Index a Linux source tree into a Catalogue: one walk, reading only files that can hold
// syscall definitions, tables or prototypes.
import * as fs from 'fs';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { addPrototype, Catalogue, emptyCatalogue, ProtoKind } from '../reference/linux/catalogue';
import { parseDefineArgs, parseParamList, splitTopLevel } from '../reference/linux/params';
import { isSyscallTblPath, parseTbl } from '../reference/linux/tbl';
import { archDefines, archSelects, Conditions, conditionsAt } from '../reference/linux/kconfig';
import { Conditionals, conditionalLines } from '../syntax/c/preprocessor';
import { GENERIC, GENERIC_ABIS } from '../reference/linux/abis';
import { archUnistd, GENERIC_UNISTD, makefileSyscalls, readGenericTable } from '../reference/linux/genericUnistd';
import { ARM_CALLS, ARM_TBL, ARM_UNISTD, armTables } from '../reference/linux/armCalls';
import { ARM_ENTRY, ARM_TRAPS, ARM_UNISTD as ARM_PRIVATE_UNISTD, armPrivatePart } from '../reference/linux/armPrivate';
import { MIPS_O32_ASM, mipsAsmPrototypes } from '../reference/linux/asmWords';
import { indexWorkerScript } from './bundled';
import { pageAlignedBuffer } from './readBuffer';
import { helperThreads } from './threads';
import { closeLog, drain, Job, JobLog, jobsDone, newJobLog, publish, stopLog } from './jobLog';

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
  /** Reading threads (default: the machine's cores, at most 4); 0 reads on this thread. */
  workers?: number;
  /** The reading thread's script, when not the bundled one (indexWorkerScript). */
  workerScript?: string;
  /** The shared list's room, jobs and bytes of paths (the default fits any Linux tree many times over; tests make it small). */
  listRoom?: [jobs: number, bytes: number];
  /** Filled with how the index ran: `threads` 0 when it read on this thread. */
  stats?: { threads?: number };
}

const MAX_FILE_BYTES = 4 << 20;

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
  // Read on the first definition only: most files that mention SYSCALL define none.
  let conditionsOf: ((offset: number) => Conditions) | undefined;
  const conditions = (at: number) => (conditionsOf ??= conditionsAt(text))(at);
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
  let ranges: [number, number][] | undefined;
  const skipRanges = () => (ranges ??= splitArgRanges(text));
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
    if (skipRanges().some(([s, e]) => at >= s && at < e)) continue;
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

export type { Job } from './jobLog';

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

/**
 * Whether a file name can be one the index reads, before its path is built: a walk meets
 * about 80,000 names and keeps under half (the .c files, a few headers and tables).
 */
function mayRead(name: string): boolean {
  if (KNOWN_NAMES.has(name)) return true;
  const dot = name.lastIndexOf('.');
  if (dot < 0) return name === 'Kconfig';
  const ext = name.slice(dot + 1);
  return ext === 'c' || ext === 'h' || ext === 'tbl' || ext === 'S';
}

const KNOWN_NAMES = new Set(Object.keys(KNOWN_FILES).map(rel => rel.slice(rel.lastIndexOf('/') + 1)));

/** What the index reads `rel` for (`name`, its last part, tells most files apart without hashing the path). */
function classify(rel: string, name = rel.slice(rel.lastIndexOf('/') + 1)): Job['kind'] | undefined {
  if (KNOWN_NAMES.has(name) && KNOWN_FILES[rel]) return 'known';
  if (rel.endsWith('.c')) return 'c';
  if (rel.endsWith('.h')) {
    if (rel === 'include/linux/syscalls.h' || rel === 'include/linux/compat.h') return 'h';
    if (/^arch\/[^/]+\/include\/asm\/(syscalls?|compat|unistd)[\w-]*\.h$/.test(rel)) return 'h';
    if (/^include\/asm-generic\/syscalls?\.h$/.test(rel)) return 'h';
    return undefined;
  }
  if (rel.endsWith('.tbl')) return isSyscallTblPath(rel) ? 'tbl' : undefined;
  if (/^arch\/[^/]+\/Kconfig$/.test(rel)) return 'kconfig';
  return undefined;
}

/**
 * One directory of the walk: its subdirectories to `onDir`, its files the index reads to
 * `onJob`. Symbolic links are never followed (a Dirent for one is not a directory), so a
 * link loop cannot trap the walk. Returns how many files it holds.
 */
export function walkDir(
  root: string,
  relDir: string,
  dirMtimes: Record<string, number> | undefined,
  onDir: (rel: string) => void,
  onJob: (job: Job) => void,
): number {
  const abs = relDir ? `${root}/${relDir}` : root;
  let ents: fs.Dirent[];
  try {
    ents = fs.readdirSync(abs, { withFileTypes: true });
    if (dirMtimes) dirMtimes[relDir] = fs.statSync(abs).mtimeMs;
  } catch {
    return 0; // unreadable or gone: carry on with the rest
  }
  let files = 0;
  const prefix = relDir ? `${relDir}/` : '';
  for (const e of ents) {
    if (e.isDirectory()) {
      if (!relDir && SKIP_TOP.has(e.name)) continue;
      onDir(prefix + e.name);
    } else if (e.isFile()) {
      files++;
      if (!mayRead(e.name)) continue;
      const rel = prefix + e.name;
      const kind = classify(rel, e.name);
      if (kind) onJob({ rel, kind });
    }
  }
  return files;
}

/** The files read outside the walk: scripts/ is skipped as a whole, but for the generic ABIs' table. */
function extraJobs(root: string): Job[] {
  const jobs: Job[] = [];
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
  return jobs;
}

const byRel = (a: { rel: string }, b: { rel: string }) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0);

/**
 * A word to look for in a file's bytes, searched from its letter at `pivot`: the search
 * skips ahead to a pattern's first byte, so starting at a letter rare in C (the Y of
 * SYSCALL, the k of asmlinkage) reads the same bytes about twice as fast; each hit is then
 * checked whole.
 */
function word(text: string, pivot: number) {
  const whole = Buffer.from(text);
  return { whole, tail: whole.subarray(pivot), pivot };
}
const SYSCALL_WORD = word('SYSCALL', 1);
const ASMLINKAGE_WORD = word('asmlinkage', 6);

function holds(bytes: Buffer, w: ReturnType<typeof word>): boolean {
  for (let i = bytes.indexOf(w.tail); i >= 0; i = bytes.indexOf(w.tail, i + 1))
    if (i >= w.pivot && bytes.compare(w.whole, 0, w.pivot, i - w.pivot, i) === 0) return true;
  return false;
}

/** What reading one file gave: its text when it can hold what the index wants, its stat for the manifest. */
export interface FileRead {
  text?: string;
  stat?: [number, number];
}

/**
 * Read one file into `buf` (one buffer for every read; only files that mention a syscall
 * become strings). A file that vanished or cannot be read while indexing is skipped (no
 * text): the tree may change under the index. O_NONBLOCK: a FIFO put in a file's place
 * fails to read instead of blocking the thread forever.
 */
export function readJob(root: string, job: Job, buf: Buffer, stat: boolean): FileRead {
  const out: FileRead = {};
  let n: number;
  try {
    const fd = fs.openSync(`${root}/${job.rel}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      if (stat) {
        const st = fs.fstatSync(fd);
        out.stat = [st.mtimeMs, st.size];
      }
      n = fs.readSync(fd, buf, 0, buf.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return out;
  }
  if (n >= buf.length) return out; // bigger than maxFileBytes: generated data, not syscall code
  const bytes = buf.subarray(0, n);
  // A fast test on the bytes before any decoding: most C files mention no syscall.
  const wanted =
    job.kind !== 'c' ||
    holds(bytes, SYSCALL_WORD) ||
    isUmlCode(job.rel) ||
    (job.rel.startsWith('arch/') && holds(bytes, ASMLINKAGE_WORD));
  if (wanted) out.text = bytes.toString('latin1');
  return out;
}

/** `apply` with the file named in any error, so a parse that throws says where. */
export function applyFile(cat: Catalogue, job: Job, text: string): void {
  try {
    apply(cat, job, text);
  } catch (e) {
    throw new Error(`${job.rel}: ${(e as Error).message}`);
  }
}

/** What a reading thread sends back for one file with something to say. */
export interface FileResult {
  rel: string;
  /** The file's own share of the catalogue (apply on an empty one), when not empty. */
  part?: Catalogue;
  /** A file of the generic table before scripts/syscall.tbl: its text, for genericTables. */
  unistd?: string;
  stat?: [number, number];
}

const isEmptyValue = (v: unknown) =>
  Array.isArray(v) ? !v.length : v && typeof v === 'object' ? !Object.keys(v).length : v === undefined;
const isEmptyPart = (c: Catalogue) =>
  Object.entries(c).every(([k, v]) => k === 'format' || k === 'kernel' || isEmptyValue(v));

/** One file read and parsed on its own, as a reading thread does it. */
export function readOne(root: string, job: Job, buf: Buffer, stat: boolean): FileResult | undefined {
  const r = readJob(root, job, buf, stat);
  const res: FileResult = { rel: job.rel };
  if (r.stat) res.stat = r.stat;
  if (r.text !== undefined) {
    if (job.kind === 'unistd') res.unistd = r.text;
    else {
      const part = emptyCatalogue();
      applyFile(part, job, r.text);
      if (!isEmptyPart(part)) res.part = part;
    }
  }
  return res.stat || res.part || res.unistd !== undefined ? res : undefined;
}

/**
 * Add one file's share to the catalogue, as `apply` would have added it: files merged in
 * path order give the bytes a single thread gives (the reproducibility test). A field a
 * per-file hook adds to the catalogue merges here: records key by key (a later file's key
 * wins, as an assignment in `apply` would), arrays appended; archDefines stays a sorted set.
 */
export function mergePart(cat: Catalogue, part: Catalogue): void {
  for (const [entry, protos] of Object.entries(part.prototypes)) (cat.prototypes[entry] ??= []).push(...protos);
  const into = cat as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(part)) {
    if (k === 'format' || k === 'kernel' || k === 'prototypes' || isEmptyValue(v)) continue;
    if (k === 'archDefines') cat.archDefines = [...new Set([...(cat.archDefines ?? []), ...(v as string[])])].sort();
    else if (Array.isArray(v)) into[k] = [...((into[k] as unknown[]) ?? []), ...v];
    else if (v && typeof v === 'object') into[k] = Object.assign((into[k] as object) ?? {}, v);
    else into[k] = v;
  }
}

/** Build the catalogue of a Linux tree. */
export async function indexKernel(root: string, opts: IndexOptions = {}): Promise<Catalogue> {
  await checkKernelPath(root);
  root = path.resolve(root);
  const cat = emptyCatalogue();
  cat.kernel.root = root;
  try {
    cat.kernel.release = kernelRelease(await fsp.readFile(path.join(root, 'Makefile'), 'latin1'));
  } catch {
    /* no Makefile: no release */
  }
  const threads = opts.workers ?? helperThreads();
  const script = threads > 0 ? (opts.workerScript ?? indexWorkerScript()) : undefined;
  if (opts.stats) opts.stats.threads = script ? threads : 0;
  const unistd = new Map<string, string>();
  // Merged in path order: the same tree gives the same catalogue, whichever thread read what.
  for (const r of await readTree(root, script ? threads : 0, script, opts)) {
    if (r.stat) opts.manifest!.files[r.rel] = r.stat;
    if (r.unistd !== undefined) unistd.set(r.rel, r.unistd);
    if (r.part) mergePart(cat, r.part);
  }
  genericTables(cat, unistd);
  armCallsTables(cat, unistd);
  return cat;
}

/**
 * Synchronous I/O in short slices, yielding between them: much faster than one promise per
 * file, and the server's event loop still answers requests while a tree is indexed.
 */
function slicer(check: () => void) {
  const SLICE_MS = 15;
  let sliceStart = Date.now();
  return async (now = false) => {
    if (!now && Date.now() - sliceStart < SLICE_MS) return;
    await new Promise<void>(resolve => setImmediate(resolve));
    check();
    sliceStart = Date.now();
  };
}

function reporter(opts: IndexOptions) {
  let last = -Infinity;
  return (seen: number, done: number, total: number, final = false) => {
    if (!final && done - last < 1000) return;
    last = done;
    opts.onProgress?.({
      filesSeen: seen,
      filesRead: done,
      percent: Math.min(final ? 100 : 99, Math.floor((done / Math.max(1, total)) * 100)),
      message: `${done}/${total} files`,
    });
  };
}

/** What a reading thread is handed (kernelIndexWorker.ts). */
export interface ReadWork {
  root: string;
  log: JobLog;
  maxBytes: number;
  stat: boolean;
}

/** What a reading thread sends back: each job it read that has something to say, by its place in the list. */
export type ReadResults = [index: number, result: FileResult][];

/** A reading thread's part, until the list is closed and claimed to its end. */
export function readShare(w: ReadWork, buf: Buffer): ReadResults {
  const out: ReadResults = [];
  drain(
    w.log,
    (i, job) => {
      const r = readOne(w.root, job, buf, w.stat);
      if (r) out.push([i, r]);
    },
    { wait: true },
  );
  return out;
}

/** Reading threads, each handed the list at once: they start up while the walk begins. */
function startReaders(script: string, n: number, work: ReadWork) {
  const workers = Array.from({ length: n }, () => new Worker(script));
  let closing = false;
  const results = Promise.all(
    workers.map(
      w =>
        new Promise<ReadResults>((resolve, reject) => {
          w.once('message', (m: ReadResults) => resolve(m));
          w.once('error', e => reject(new Error(`a reading thread failed: ${e.message}`)));
          w.once('exit', code => {
            if (!closing)
              reject(new Error(`a reading thread stopped (exit code ${code}) before the index was complete`));
          });
          w.postMessage(work);
        }),
    ),
  );
  return {
    results,
    close() {
      closing = true;
      for (const w of workers) void w.terminate();
    },
  };
}

/**
 * Walk the tree and read every file the index wants: the walk, on this thread, publishes the
 * files to the job list as it finds them and the reading threads read them meanwhile; once
 * the walk is done this thread claims chunks too, until none is left (files are independent
 * and the tree is read-only, so a thread that starts late or meets big files simply claims
 * fewer). Returns what the files said, in path order.
 */
async function readTree(
  root: string,
  threads: number,
  script: string | undefined,
  opts: IndexOptions,
): Promise<FileResult[]> {
  opts.signal?.throwIfAborted();
  const maxBytes = opts.maxFileBytes ?? MAX_FILE_BYTES;
  const stat = !!opts.manifest;
  const log = newJobLog(...(opts.listRoom ?? []));
  const readers = script ? startReaders(script, threads, { root, log, maxBytes, stat }) : undefined;
  let failure: Error | undefined;
  readers?.results.catch(e => {
    failure ??= e;
    stopLog(log);
  });
  let onAbort = () => undefined as void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      stopLog(log);
      reject(opts.signal!.reason ?? new Error('aborted'));
    };
  });
  aborted.catch(() => undefined);
  opts.signal?.addEventListener('abort', onAbort);
  const check = () => {
    opts.signal?.throwIfAborted();
    if (failure) throw failure;
  };
  try {
    const maybeYield = slicer(check);
    const jobs: Job[] = [];
    const dirs = [''];
    let seen = 0,
      held = 0;
    while (dirs.length) {
      seen += walkDir(
        root,
        dirs.pop()!,
        opts.manifest?.dirs,
        d => dirs.push(d),
        j => jobs.push(j),
      );
      if (jobs.length - held >= 64) held = publish(log, jobs);
      await maybeYield();
    }
    jobs.push(...extraJobs(root));
    held = publish(log, jobs);
    closeLog(log);

    const report = reporter(opts);
    const results: (FileResult | undefined)[] = new Array(jobs.length);
    const buf = pageAlignedBuffer(maxBytes + 1);
    const mine = (i: number, job: Job) => (results[i] = readOne(root, job, buf, stat));
    while (drain(log, mine, { wait: false, maxChunks: 4 }) === 'more') {
      report(seen, jobsDone(log), jobs.length);
      await maybeYield(true);
    }
    // Jobs past the list's room (a tree far bigger than Linux) are this thread's alone.
    for (let i = held; i < jobs.length; i++) {
      mine(i, jobs[i]);
      await maybeYield();
    }
    if (readers) {
      // This thread is out of work: report the others' progress until they are done too.
      const timer = setInterval(() => report(seen, jobsDone(log) + jobs.length - held, jobs.length), 50);
      try {
        for (const part of await Promise.race([readers.results, aborted])) for (const [i, r] of part) results[i] = r;
      } finally {
        clearInterval(timer);
      }
    }
    check();
    report(seen, jobs.length, jobs.length, true);
    return results.filter((r): r is FileResult => r !== undefined).sort(byRel);
  } finally {
    stopLog(log);
    opts.signal?.removeEventListener('abort', onAbort);
    readers?.close();
  }
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
