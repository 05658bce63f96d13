// Whether what a result was made from is still on disk as it was: the directories it listed
// (their mtimes change when entries come or go) and the files it read (mtime and size),
// stat'ed again. Shared by the kernel index cache and the check command's stored runs.
import { Worker } from 'worker_threads';
import { rawStat, statOut } from './rawStat';
import { helperThreads } from './threads';

/** What a result read, flattened: a path (relative to a root), its mtime, and its size (-1 for a directory, -2 for a path that did not exist). */
export interface FreshList {
  rels: string[];
  mtimes: number[];
  sizes: number[];
  /** `rels` joined by newlines, when it was read that way (what the checking threads are handed). */
  joined?: string;
}

export const DIR = -1;
export const ABSENT = -2;

/** A FreshList as it is stored: the paths as one string (parsed and handed to threads at once). */
export interface StoredFreshList {
  rels: string;
  mtimes: number[];
  sizes: number[];
}

export const storeFreshList = (l: FreshList): StoredFreshList => ({
  rels: l.rels.join('\n'),
  mtimes: l.mtimes,
  sizes: l.sizes,
});

export function loadFreshList(s: StoredFreshList): FreshList | undefined {
  if (typeof s?.rels !== 'string' || !Array.isArray(s.mtimes) || !Array.isArray(s.sizes)) return undefined;
  const rels = s.rels ? s.rels.split('\n') : [];
  return rels.length === s.mtimes.length && rels.length === s.sizes.length
    ? { rels, mtimes: s.mtimes, sizes: s.sizes, joined: s.rels }
    : undefined;
}

/** Stat a path into statOut: a path that cannot be stat'ed (a looping link, no permission) is as absent as a missing one. */
function statNow(abs: string): boolean {
  try {
    return rawStat(abs);
  } catch {
    return false;
  }
}

/** A path's entry as the list holds it, now. */
export function statEntry(abs: string): [mtime: number, size: number] {
  return statNow(abs) ? [statOut[0], statOut[2] ? DIR : statOut[1]] : [0, ABSENT];
}

/** The first entry in [from, to) that changed, vanished, appeared or changed kind (file, directory) since it was listed, or undefined. */
export function firstChange(
  root: string,
  rels: Lines,
  mtimes: ArrayLike<number>,
  sizes: ArrayLike<number>,
  from = 0,
  to = rels.length,
): number | undefined {
  const prefix = root ? `${root}/` : '';
  for (let i = from; i < to; i++) {
    // The entry as statEntry gives it now (inline: no pair per path), against the one it gave then.
    const rel = rels.at(i)!;
    const there = statNow(rel ? prefix + rel : root);
    const size = there ? (statOut[2] ? DIR : statOut[1]) : ABSENT;
    if (size !== sizes[i] || (there && statOut[0] !== mtimes[i])) return i;
  }
  return undefined;
}

/** Control words shared with the checking threads: the next entry to claim, entries done, a change seen. */
const NEXT = 0,
  DONE = 1,
  STALE = 2;
export const CHUNK = 1024;

/** What a checking thread is handed (kernelIndexWorker.ts): the paths as one string. */
export type FreshWork = Omit<FreshShare, 'rels'> & { rels: string };

/**
 * One thread's part: claim chunks until none is left, a change is seen or `maxChunks` were
 * checked. 'ended': the list is done (this thread finished its last chunk) or a change was
 * seen; 'empty': nothing left to claim, others may still be checking; 'more': stopped at
 * maxChunks.
 */
export function checkShare(w: FreshShare, maxChunks = Infinity): 'ended' | 'empty' | 'more' {
  const n = w.rels.length;
  const c = w.control;
  for (let k = 0; k < maxChunks; k++) {
    if (Atomics.load(c, STALE)) return 'ended';
    const from = Atomics.add(c, NEXT, CHUNK);
    if (from >= n) return 'empty';
    const to = Math.min(n, from + CHUNK);
    if (firstChange(w.root, w.rels, w.mtimes, w.sizes, from, to) !== undefined) {
      Atomics.store(c, STALE, 1);
      return 'ended';
    }
    if (Atomics.add(c, DONE, to - from) + (to - from) >= n) return 'ended';
  }
  return 'more';
}

/** Paths by index: an array, or lines of one string read as they are asked for (linesOf). */
export type Lines = Pick<readonly string[], 'length' | 'at'>;

/**
 * The lines of `joined`, each made when first asked for: a checking thread handed 35,000
 * paths as one string spent longer splitting them (and collecting the garbage) than on its
 * share of the stats, since it starts late.
 */
export function linesOf(joined: string): Lines {
  const ends: number[] = [];
  for (let i = joined.indexOf('\n'); i >= 0; i = joined.indexOf('\n', i + 1)) ends.push(i);
  ends.push(joined.length);
  const length = joined ? ends.length : 0;
  return {
    length,
    at: (i: number) => (i < 0 || i >= length ? undefined : joined.slice(i ? ends[i - 1] + 1 : 0, ends[i])),
  };
}

export interface FreshShare {
  root: string;
  rels: Lines;
  mtimes: Float64Array;
  sizes: Float64Array;
  control: Int32Array;
}

/** Threads started ahead of a check (startSpare), by script. */
const spares = new Map<string, Worker[]>();

/**
 * Start a checking thread now, for a check that is about to come: a thread takes about
 * 40 ms to start, and started early it checks its share from the first chunk. It does not
 * keep the process alive, and one left unused ends with it.
 */
export function startSpare(script: string | undefined): void {
  if (!script) return;
  const w = new Worker(script);
  w.unref();
  const list = spares.get(script) ?? [];
  list.push(w);
  spares.set(script, list);
  // A spare that fails or ends is simply not there: isFresh starts its own.
  const drop = () => list.includes(w) && list.splice(list.indexOf(w), 1);
  w.on('error', drop);
  w.on('exit', drop);
}

/** The checking thread's script, when there is one (the index's reading threads do this too). */
export type WorkerScript = () => string | undefined;

/**
 * True when nothing in `list` changed. The stats (about 35,000 for a Linux tree, ~100 ms on
 * one thread) are shared out in chunks between this thread and checking threads, whichever
 * is free taking the next, so a thread that starts late costs nothing; the first change ends
 * the check. On this thread the event loop still answers between chunks.
 */
export async function isFresh(
  root: string,
  list: FreshList,
  script: WorkerScript,
  opts: { workers?: number; stats?: { threads?: number } } = {},
): Promise<boolean> {
  const n = list.rels.length;
  const file = n > 4 * CHUNK ? script() : undefined;
  const threads = file ? (opts.workers ?? helperThreads()) : 0;
  if (opts.stats) opts.stats.threads = threads;
  const control = new Int32Array(new SharedArrayBuffer(12));
  const shared = (xs: number[]) => {
    const a = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, xs.length)));
    a.set(xs);
    return a;
  };
  const mine: FreshShare = { root, rels: list.rels, mtimes: shared(list.mtimes), sizes: shared(list.sizes), control };
  const work: FreshWork = { ...mine, rels: threads ? (list.joined ?? list.rels.join('\n')) : '' };
  let finished: () => void = () => undefined;
  let failed: (e: Error) => void = () => undefined;
  const others = new Promise<void>((resolve, reject) => ((finished = resolve), (failed = reject)));
  others.catch(() => undefined); // awaited only when this thread runs out of work first
  let ending = false;
  const pool = Array.from({ length: threads }, () => {
    const w = spares.get(file!)?.pop() ?? new Worker(file!);
    w.ref();
    w.postMessage({ fresh: work });
    w.on('message', () => finished());
    w.once('error', e => failed(e));
    w.once('exit', code => {
      if (code !== 0 && !ending) failed(new Error(`a checking thread stopped (exit code ${code})`));
    });
    return w;
  });
  try {
    while (checkShare(mine, 4) === 'more') await new Promise(r => setImmediate(r));
    if (!Atomics.load(control, STALE) && Atomics.load(control, DONE) < n) await others;
    return !Atomics.load(control, STALE);
  } finally {
    ending = true;
    for (const w of pool) void w.terminate();
  }
}
