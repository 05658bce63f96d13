// Where the catalogue comes from: a kernel tree (indexed) or the bundled data file.
import * as fs from 'fs';
import * as zlib from 'zlib';
import { Catalogue } from '../reference/linux/catalogue';
import { IndexOptions, indexKernel } from './kernelIndex';
import { bundledCataloguePath } from './bundled';
import { parseLaidOut } from './catalogueText';

export function loadCatalogueFile(file: string): Catalogue {
  const raw = fs.readFileSync(file);
  const json = file.endsWith('.gz') ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const cat = parseLaidOut(json) as Catalogue;
  if (cat.format !== 1 || !cat.prototypes || !cat.tables) throw new Error(`${file} is not a systab catalogue`);
  return cat;
}

export async function loadCatalogue(
  kernel: string | undefined,
  opts: IndexOptions = {},
): Promise<Catalogue | undefined> {
  if (kernel) return indexKernel(kernel, opts);
  const bundled = bundledCataloguePath();
  return bundled ? loadCatalogueFile(bundled) : undefined;
}
