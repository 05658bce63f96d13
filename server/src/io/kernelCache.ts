// The kernel index cached on disk (in the storage directory the server is given): loaded at
// once on the next start, then checked against the tree in the background.
import { createHash } from 'crypto';
import { promises as fsp } from 'fs';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { Catalogue } from '../reference/linux/catalogue';
import { Worker } from 'worker_threads';
import * as os from 'os';
import { checkKernelPath, IndexOptions, indexKernel, indexWorkerScript, Manifest } from './kernelIndex';

// Raised whenever the indexer reads more of a tree (2: asm-generic/unistd.h tables; 3: ARM's
// calls.S tables; 4: ARM private syscalls, MIPS assembly entry points; 5: UML's plain
// `long sys_x(...)` definitions, arch/x86/um as arch `um`), so an index an older systab made
// is rebuilt rather than reused.
const VERSION = 5;

interface CacheFile {
  version: number;
  root: string;
  manifest: Manifest;
  catalogue: Catalogue;
}

export const cacheFile = (storage: string, root: string) =>
  path.join(storage, `kernel-${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16)}.json.gz`);

export async function readCache(storage: string, root: string): Promise<CacheFile | undefined> {
  try {
    const raw = await fsp.readFile(cacheFile(storage, root));
    const c = JSON.parse(zlib.gunzipSync(raw).toString('utf8')) as CacheFile;
    if (c.version !== VERSION || c.root !== path.resolve(root) || c.catalogue?.format !== 1) return undefined;
    c.catalogue.kernel.root = c.root;
    return c;
  } catch {
    return undefined;
  }
}

export async function writeCache(
  storage: string,
  root: string,
  manifest: Manifest,
  catalogue: Catalogue,
): Promise<void> {
  await fsp.mkdir(storage, { recursive: true });
  const file = cacheFile(storage, root);
  const tmp = `${file}.${process.pid}.tmp`;
  const data: CacheFile = { version: VERSION, root: path.resolve(root), manifest, catalogue };
  await fsp.writeFile(tmp, zlib.gzipSync(JSON.stringify(data), { level: 1 }));
  await fsp.rename(tmp, file);
}

/** One thing the index read, to stat again: a directory's mtime, or a file's mtime and size. */
export type FreshCheck = [rel: string, mtime: number, size?: number];

/** The first of `checks` that changed (or vanished) since the index read it, or undefined. */
export function firstChange(root: string, checks: FreshCheck[], from = 0, to = checks.length): number | undefined {
  for (let i = from; i < to; i++) {
    const [rel, mtime, size] = checks[i];
    const st = fs.statSync(rel ? `${root}/${rel}` : root, { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtime || (size !== undefined && st.size !== size)) return i;
  }
  return undefined;
}

/**
 * True when no directory gained or lost entries and no file read was changed. The stats
 * are split between this thread and the index's reading threads (about 35,000 of them for
 * Linux); the first change ends the check. On this thread, synchronous stats in slices
 * (35,000 promise-based stats cost as much as indexing the tree): the event loop still
 * answers between them.
 */
export async function isFresh(
  root: string,
  m: Manifest,
  opts: { workers?: number; stats?: { threads?: number } } = {},
): Promise<boolean> {
  root = path.resolve(root);
  const checks: FreshCheck[] = [
    ...Object.entries(m.dirs).map(([rel, mtime]): FreshCheck => [rel, mtime]),
    ...Object.entries(m.files).map(([rel, [mtime, size]]): FreshCheck => [rel, mtime, size]),
  ];
  const script = indexWorkerScript();
  const threads = script && checks.length > 4096 ? (opts.workers ?? Math.min(os.availableParallelism(), 4)) : 0;
  if (opts.stats) opts.stats.threads = threads;
  // This thread takes one share, while the others start.
  const shares = threads + 1;
  const cut = (i: number) => Math.floor((checks.length * i) / shares);
  const pool = Array.from({ length: threads }, (_, i) => {
    const worker = new Worker(script!, {
      workerData: { fresh: { root, checks: checks.slice(cut(i + 1), cut(i + 2)) } },
    });
    const answer = new Promise<boolean>((resolve, reject) => {
      worker.once('message', (fresh: boolean) => resolve(fresh));
      worker.once('error', reject);
      worker.once('exit', code => reject(new Error(`a checking thread stopped (exit code ${code})`)));
    });
    return { worker, answer };
  });
  let stale = false;
  try {
    const mine = (async () => {
      for (let i = 0; i < cut(1) && !stale; i += 4096) {
        if (firstChange(root, checks, i, Math.min(i + 4096, cut(1))) !== undefined) return false;
        await new Promise(r => setImmediate(r));
      }
      return true;
    })();
    // The first share to find a change answers for all.
    const all = [mine, ...pool.map(p => p.answer)];
    return await new Promise<boolean>((resolve, reject) => {
      let left = all.length;
      for (const a of all)
        a.then(fresh => {
          if (!fresh) resolve(false);
          else if (--left === 0) resolve(true);
        }, reject);
    });
  } finally {
    stale = true;
    for (const p of pool) {
      p.answer.catch(() => undefined);
      void p.worker.terminate();
    }
  }
}

/**
 * The catalogue of a tree, through the cache when there is one. `onStale` is called with a
 * fresh catalogue when the cached one turns out to be out of date.
 */
export async function cachedIndex(
  root: string,
  storage: string | undefined,
  opts: IndexOptions & { onStale?: (c: Catalogue) => void; verify?: boolean } = {},
): Promise<{ catalogue: Catalogue; fromCache: boolean }> {
  const build = async () => {
    const manifest: Manifest = { dirs: {}, files: {} };
    const catalogue = await indexKernel(root, { ...opts, manifest });
    if (storage) await writeCache(storage, root, manifest, catalogue).catch(() => undefined);
    return catalogue;
  };
  await checkKernelPath(root);
  const cached = storage ? await readCache(storage, root) : undefined;
  if (!cached) return { catalogue: await build(), fromCache: false };
  // A command gives one answer: it checks the cache against the tree first. The editor uses
  // the cache at once and replaces it if the tree turns out to have changed.
  if (opts.verify) {
    if (await isFresh(root, cached.manifest).catch(() => false))
      return { catalogue: cached.catalogue, fromCache: true };
    return { catalogue: await build(), fromCache: false };
  }
  void isFresh(root, cached.manifest)
    .then(async fresh => {
      if (!fresh) opts.onStale?.(await build());
    })
    .catch(() => undefined);
  return { catalogue: cached.catalogue, fromCache: true };
}
