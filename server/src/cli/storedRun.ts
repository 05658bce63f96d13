// A check's output kept in the user's cache directory with everything it was made from: the
// files and directories it read (by mtime and size), the systab bundle and catalogues, the
// settings file (or its absence) and, with --kernel, the kernel index's own list of what it
// read. A repeated `systab check` whose inputs are all unchanged prints the stored output
// and exit status without loading the kernel, a parser or a single table. --no-cache and
// --freebsd DIR (a tree read outside the recorded paths) always run afresh.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { makeDirSync } from '../io/makeDir';
import type { Reader } from '../core/reader';
import { defaultStoragePath } from '../io/cacheDir';
import type { Args } from './args';
import { bundledCataloguePath, bundledFreeBsdPath, indexWorkerScript } from '../io/bundled';
import {
  FreshList,
  isFresh as isListFresh,
  loadFreshList,
  statEntry,
  StoredFreshList,
  storeFreshList,
} from '../io/freshness';
import { cacheFile, isFresh, readCache } from '../io/kernelCacheFile';

const VERSION = 1;
/** Stored runs kept per cache directory; the least recently written go first. */
const KEEP = 32;

type Chunk = [fd: 1 | 2, text: string];

interface Stored {
  version: number;
  key: string;
  read: StoredFreshList;
  /** The kernel tree whose cached index the run used, checked against the tree as a command checks it. */
  kernel?: string;
  output: Chunk[];
  code: number;
}

const runsDir = (storage: string) => path.join(storage, 'runs');
const runFile = (storage: string, key: string) =>
  path.join(runsDir(storage), `check-${createHash('sha256').update(key).digest('hex').slice(0, 20)}.json`);

/** Everything a run is recorded reading: each path once, stat'ed before it is read. */
export function recorder() {
  const seen = new Map<string, [number, number]>();
  const note = (p: string) => {
    const abs = path.resolve(p);
    if (!seen.has(abs)) seen.set(abs, statEntry(abs));
  };
  const wrap = (r: Reader): Reader => ({
    read: f => (note(f), r.read(f)),
    list: d => (note(d), r.list(d)),
  });
  const list = (): FreshList => {
    const rels = [...seen.keys()].sort();
    return { rels, mtimes: rels.map(r => seen.get(r)![0]), sizes: rels.map(r => seen.get(r)![1]) };
  };
  return { note, wrap, list };
}

/** stdout and stderr as the run writes them, in order (a progress line written on a terminal is not output). */
export function captureOutput() {
  const chunks: Chunk[] = [];
  const out = process.stdout.write,
    err = process.stderr.write;
  const hook =
    (fd: 1 | 2, write: typeof out, stream: NodeJS.WriteStream) =>
    (s: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push([fd, typeof s === 'string' ? s : Buffer.from(s).toString('utf8')]);
      return (write as (...a: unknown[]) => boolean).call(stream, s, ...rest);
    };
  process.stdout.write = hook(1, out, process.stdout) as typeof out;
  process.stderr.write = hook(2, err, process.stderr) as typeof err;
  return {
    chunks,
    stop() {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}

/**
 * What a run reads that systab itself writes: its bundles and bundled catalogues, and the
 * kernel index's cache file. Each is written whole (a build, an index) far apart from the
 * next, so its mtime tells one from the next even when just written.
 */
function ownFiles(storage: string, kernel: string | undefined): string[] {
  const files = [require.main?.filename, __filename, bundledCataloguePath(), bundledFreeBsdPath()];
  if (kernel) files.push(cacheFile(storage, kernel));
  return files.filter((f): f is string => !!f).map(f => path.resolve(f));
}

/** Where a check's run is kept, or undefined when it is not (--no-cache; --freebsd DIR, read outside the recorder; no cache directory). */
export const runStorage = (a: Args) => (a.noCache || a.freebsd ? undefined : defaultStoragePath());
/** What a run is kept under: the command as parsed, and where it ran. */
export const runKey = (a: Args) => JSON.stringify({ cwd: process.cwd(), args: a });

/**
 * Inputs modified this recently are not trusted to show a later change: a file written twice
 * within its file system's timestamp granularity keeps its mtime (and maybe its size).
 */
const RACY_MS = 2000;

/** The stored output of a run with this key, when nothing it read has changed since. */
export async function storedRun(storage: string, key: string): Promise<{ output: Chunk[]; code: number } | undefined> {
  let s: Stored;
  try {
    s = JSON.parse(fs.readFileSync(runFile(storage, key), 'utf8')) as Stored;
  } catch {
    return undefined;
  }
  if (s?.version !== VERSION || s.key !== key || !Array.isArray(s.output) || typeof s.code !== 'number')
    return undefined;
  const read = loadFreshList(s.read);
  if (!read) return undefined;
  // Both checks at once: the tables' paths (a few hundred), and the kernel's (tens of thousands, on threads).
  const kernelRead = s.kernel ? await readCache(storage, s.kernel, { catalogue: false }) : undefined;
  if (s.kernel && !kernelRead) return undefined;
  const [mine, kernel] = await Promise.all([
    isListFresh('', read, indexWorkerScript).catch(() => false),
    kernelRead ? isFresh(s.kernel!, kernelRead.read).catch(() => false) : true,
  ]);
  return mine && kernel ? { output: s.output, code: s.code } : undefined;
}

/**
 * Keep a run's output with what it read: the recorded reads, the settings file (or its
 * absence) and systab's own files. A failure to write only means the next run is not faster.
 */
export function storeRun(
  storage: string,
  key: string,
  run: { rec: ReturnType<typeof recorder>; configFile: string; kernel?: string; output: Chunk[]; code: number },
): void {
  const own = ownFiles(storage, run.kernel);
  for (const f of [run.configFile, ...own]) run.rec.note(f);
  const read = run.rec.list();
  const now = Date.now();
  const trusted = new Set(own);
  if (read.mtimes.some((t, i) => t > now - RACY_MS && !trusted.has(read.rels[i]))) return;
  try {
    const dir = runsDir(storage);
    makeDirSync(dir);
    const file = runFile(storage, key);
    const stored: Stored = {
      version: VERSION,
      key,
      read: storeFreshList(read),
      kernel: run.kernel,
      output: run.output,
      code: run.code,
    };
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(stored));
    fs.renameSync(tmp, file);
    prune(dir);
  } catch {
    /* an unwritable cache directory: nothing kept */
  }
}

function prune(dir: string): void {
  const runs = fs
    .readdirSync(dir)
    .filter(n => n.startsWith('check-') && n.endsWith('.json'))
    .map(n => ({ n, t: fs.statSync(path.join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((x, y) => y.t - x.t);
  for (const { n } of runs.slice(KEEP)) fs.rmSync(path.join(dir, n), { force: true });
}

/** Replay a stored run: its output in the order it was written, and its exit status. */
export function replay(run: { output: Chunk[]; code: number }): number {
  for (const [fd, text] of run.output) (fd === 1 ? process.stdout : process.stderr).write(text);
  return run.code;
}
