// The kernel index's cache file (in the storage directory the server is given, or the user's
// cache directory): its layout, and whether the tree it was made from is unchanged. Light on
// purpose: the command's quick path (cli/main.ts) checks a cache without the indexers.
import { createHash } from 'crypto';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { makeDir } from './makeDir';
import type { Catalogue } from '../reference/linux/catalogue';
import { DIR, FreshList, isFresh as isListFresh, loadFreshList, StoredFreshList, storeFreshList } from './freshness';
import type { Manifest } from './kernelIndex';
import { indexWorkerScript } from './bundled';
import { layOut, parseLaidOut } from './catalogueText';

// Raised whenever the indexer reads more of a tree (2: asm-generic/unistd.h tables; 3: ARM's
// calls.S tables; 4: ARM private syscalls, MIPS assembly entry points; 5: UML's plain
// `long sys_x(...)` definitions, arch/x86/um as arch `um`) or the file's layout changes (6:
// three lines, the list of what was read apart from the catalogue), so an index an older
// systab made is rebuilt rather than reused.
const VERSION = 6;

/**
 * The cache file: a line of JSON for the header, one for what the index read (FreshList:
 * checked without parsing the catalogue, as the check command's stored runs do), then the
 * catalogue as catalogueText.ts lays it out (read lazily).
 * Not compressed: it is read on every start, and gunzip cost more than the reading.
 */
interface Header {
  version: number;
  root: string;
}

export interface CacheFile extends Header {
  read: FreshList;
  catalogue: Catalogue;
}

export const cacheFile = (storage: string, root: string) =>
  path.join(storage, `kernel-${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16)}.json`);

/** The cache of a tree: its list of what the index read, and its catalogue unless `catalogue` is false. */
export async function readCache(
  storage: string,
  root: string,
  opts: { catalogue?: boolean } = {},
): Promise<(Omit<CacheFile, 'catalogue'> & { catalogue?: Catalogue }) | undefined> {
  try {
    const raw = await fsp.readFile(cacheFile(storage, root), 'utf8');
    const a = raw.indexOf('\n'),
      b = raw.indexOf('\n', a + 1);
    if (a < 0 || b < 0) return undefined;
    const h = JSON.parse(raw.slice(0, a)) as Header;
    if (h.version !== VERSION || h.root !== path.resolve(root)) return undefined;
    const read = loadFreshList(JSON.parse(raw.slice(a + 1, b)) as StoredFreshList);
    if (!read) return undefined;
    if (opts.catalogue === false) return { ...h, read };
    const catalogue = parseLaidOut(raw.slice(b + 1)) as Catalogue;
    if (catalogue?.format !== 1) return undefined;
    catalogue.kernel.root = h.root;
    return { ...h, read, catalogue };
  } catch {
    return undefined;
  }
}

/** What the index read as a FreshList, in path order: directories by their mtimes, files by mtime and size. */
export function manifestList(m: Manifest): FreshList {
  const rows: [string, number, number][] = [
    ...Object.entries(m.dirs).map(([rel, t]): [string, number, number] => [rel, t, DIR]),
    ...Object.entries(m.files).map(([rel, [t, size]]): [string, number, number] => [rel, t, size]),
  ].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return { rels: rows.map(r => r[0]), mtimes: rows.map(r => r[1]), sizes: rows.map(r => r[2]) };
}

export async function writeCache(
  storage: string,
  root: string,
  manifest: Manifest,
  catalogue: Catalogue,
): Promise<void> {
  await makeDir(storage);
  const file = cacheFile(storage, root);
  const tmp = `${file}.${process.pid}.tmp`;
  const header: Header = { version: VERSION, root: path.resolve(root) };
  const text = [
    JSON.stringify(header),
    JSON.stringify(storeFreshList(manifestList(manifest))),
    layOut(catalogue as unknown as Record<string, unknown>),
  ].join('\n');
  await fsp.writeFile(tmp, text);
  await fsp.rename(tmp, file);
  // The gzipped file of systab before this layout (version 5 and older) is of no more use.
  await fsp.rm(file.replace(/\.json$/, '.json.gz'), { force: true });
}

/** True when no directory the index walked gained or lost entries and no file it read changed. */
export const isFresh = (root: string, read: FreshList, opts: { workers?: number; stats?: { threads?: number } } = {}) =>
  isListFresh(path.resolve(root), read, indexWorkerScript, opts);
