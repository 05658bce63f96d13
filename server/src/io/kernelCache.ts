// The kernel index cached on disk (in the storage directory the server is given): loaded at
// once on the next start, then checked against the tree in the background.
import { createHash } from 'crypto';
import { promises as fsp } from 'fs';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { Catalogue } from '../reference/linux/catalogue';
import { checkKernelPath, IndexOptions, indexKernel, Manifest } from './kernelIndex';

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

/** True when no directory gained or lost entries and no file read was changed. */
export async function isFresh(root: string, m: Manifest): Promise<boolean> {
  // Synchronous stats in slices: 35,000 promise-based stats cost as much as indexing the tree;
  // a slice at a time keeps the event loop answering, and the first change ends the check.
  const checks: [string, (st: fs.Stats) => boolean][] = [
    ...Object.entries(m.dirs).map(
      ([rel, mtime]) => [rel, (st: fs.Stats) => st.mtimeMs === mtime] as [string, (st: fs.Stats) => boolean],
    ),
    ...Object.entries(m.files).map(
      ([rel, [mtime, size]]) =>
        [rel, (st: fs.Stats) => st.mtimeMs === mtime && st.size === size] as [string, (st: fs.Stats) => boolean],
    ),
  ];
  for (let i = 0; i < checks.length; i++) {
    if (i % 4096 === 4095) await new Promise(r => setImmediate(r));
    const [rel, ok] = checks[i];
    const st = fs.statSync(path.join(root, rel), { throwIfNoEntry: false });
    if (!st || !ok(st)) return false;
  }
  return true;
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
