// FreeBSD's catalogue: read from a FreeBSD source tree (sys/kern/syscalls.master and
// sys/compat/freebsd32/syscalls.master, by known paths), or from the file bundled with
// systab (data/freebsd-catalogue.json.gz), and written reproducibly (sorted keys, gzip
// without a timestamp). Two files of about 3,000 lines parse in milliseconds, so there is
// nothing to cache on disk; a reader keyed by modification time keeps repeated loads cheap.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { factsOf, parseMaster } from '../reference/freebsd/master';
import { FREEBSD32_MASTER, FREEBSD_MASTER, FreeBsdCatalogue } from '../reference/freebsd/reference';
import { bundledFreeBsdPath } from './bundled';

export class FreeBsdPathError extends Error {}

/** Where each file of the catalogue is in DIR: a FreeBSD tree, or a flat folder of the files. */
function sourcesIn(dir: string): { rel: string; file: string }[] {
  const candidates: [string, string[]][] = [
    [FREEBSD_MASTER, [FREEBSD_MASTER, 'kern/syscalls.master', 'syscalls.master']],
    [FREEBSD32_MASTER, [FREEBSD32_MASTER, 'compat/freebsd32/syscalls.master', 'compat_freebsd32/syscalls.master']],
  ];
  const out: { rel: string; file: string }[] = [];
  for (const [rel, places] of candidates) {
    const file = places.map(p => path.join(dir, p)).find(f => fs.existsSync(f));
    if (file) out.push({ rel, file });
  }
  return out;
}

/** A FreeBSD tree's catalogue; problems in the files are kept out (the editor reports them). */
export function indexFreeBsd(dir: string, release?: string): FreeBsdCatalogue {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory())
    throw new FreeBsdPathError(`--freebsd ${dir}: not a directory`);
  const sources = sourcesIn(root);
  if (!sources.some(s => s.rel === FREEBSD_MASTER))
    throw new FreeBsdPathError(
      `--freebsd ${dir}: no sys/kern/syscalls.master (nor syscalls.master) there; give a FreeBSD source tree`,
    );
  const cat: FreeBsdCatalogue = { format: 1, kind: 'freebsd', root, files: {} };
  if (release) cat.release = release;
  for (const s of sources) {
    const text = fs.readFileSync(s.file, 'utf8');
    cat.files[s.rel] = parseMaster(s.rel, text).entries.map(factsOf);
  }
  return cat;
}

export function loadFreeBsdFile(file: string): FreeBsdCatalogue {
  const raw = fs.readFileSync(file);
  const json = file.endsWith('.gz') ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const cat = JSON.parse(json) as FreeBsdCatalogue;
  if (cat.format !== 1 || cat.kind !== 'freebsd' || !cat.files) throw new Error(`${file} is not a FreeBSD catalogue`);
  return cat;
}

/** A FreeBSD tree's catalogue when `dir` is given, else the bundled one (undefined when absent). */
export function loadFreeBsd(dir: string | undefined): FreeBsdCatalogue | undefined {
  if (dir) return indexFreeBsd(dir);
  const bundled = bundledFreeBsdPath();
  return bundled ? loadFreeBsdFile(bundled) : undefined;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map(k => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

export function serializeFreeBsd(cat: FreeBsdCatalogue): string {
  const { root: _root, ...rest } = cat;
  return JSON.stringify(sortKeys(rest));
}

export function writeFreeBsd(cat: FreeBsdCatalogue, out: string): void {
  const json = serializeFreeBsd(cat);
  fs.writeFileSync(out, out.endsWith('.gz') ? zlib.gzipSync(json, { level: 9, mtime: 0 } as zlib.ZlibOptions) : json);
}
