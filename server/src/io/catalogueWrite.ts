// Writing a catalogue: stable key order so the same tree gives the same bytes, laid out
// one entry point and one table per line (catalogueText.ts) so that reading it is lazy.
import * as fs from 'fs';
import * as zlib from 'zlib';
import { Catalogue } from '../reference/linux/catalogue';
import { layOut } from './catalogueText';

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map(k => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

export function serializeCatalogue(cat: Catalogue): string {
  // The kernel's location on this machine is not part of the data.
  const { root: _root, ...kernel } = cat.kernel;
  return layOut(sortKeys({ ...cat, kernel }) as Record<string, unknown>);
}

export function writeCatalogue(cat: Catalogue, out: string): void {
  const json = serializeCatalogue(cat);
  const data = out.endsWith('.gz') ? zlib.gzipSync(json, { level: 9, mtime: 0 } as zlib.ZlibOptions) : json;
  fs.writeFileSync(out, data);
}
