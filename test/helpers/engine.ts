// Run the engine in-process on a file, as the CLI does.
import * as fs from 'fs';
import { analyze, Analysis, cSyntaxOf, parseC } from '../../server/src/analysis/analyze';
import { Catalogue } from '../../server/src/reference/linux/catalogue';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { readConfig } from '../../server/src/core/config';
import { newParser, Parser } from '../../server/src/syntax/c/parser';
import { loadCatalogueFile } from '../../server/src/io/catalogueFile';
import { indexKernel } from '../../server/src/io/kernelIndex';
import { listDir } from '../../server/src/io/files';
import { indexFreeBsd, loadFreeBsdFile } from '../../server/src/io/freebsdCatalogue';
import { freebsdReference, FreeBsdReference } from '../../server/src/reference/freebsd/reference';
import { FREEBSD_FIXTURE, ROOT } from './paths';
import * as path from 'path';

/** The fixture FreeBSD tree's reference (test/fixtures/freebsd), which the qemu-bsd fixture follows. */
export const fixtureFreeBsd = (): FreeBsdReference => freebsdReference(indexFreeBsd(FREEBSD_FIXTURE));

/** The bundled FreeBSD catalogue's reference, as the CLI and the server load it by default. */
export const bundledFreeBsd = (): FreeBsdReference =>
  freebsdReference(loadFreeBsdFile(path.join(ROOT, 'data', 'freebsd-catalogue.json.gz')));

const catalogues = new Map<string, Promise<Catalogue>>();
export const catalogueOf = (kernel: string) => {
  if (!catalogues.has(kernel)) catalogues.set(kernel, indexKernel(kernel));
  return catalogues.get(kernel)!;
};

/** What the checks are given with the bundled Linux catalogue, reading through `read` (the server reads through a cached reader). */
export const bundledWorkspace = (parser: Parser, read: (f: string) => string | undefined) => ({
  kernel: linuxReference(loadCatalogueFile(path.join(ROOT, 'data', 'catalogue.json.gz'))),
  config: readConfig(undefined),
  list: listDir,
  parser,
  read,
});

/** The indexed tree as the checks see it. */
export const referenceOf = async (kernel: string) => linuxReference(await catalogueOf(kernel));

export async function analyzeText(
  file: string,
  text: string,
  cat?: Catalogue,
  overrides: Record<string, string> = {},
  /** FreeBSD's reference; `null` for none. */
  freebsd: FreeBsdReference | null = bundledFreeBsd(),
): Promise<Analysis> {
  const parser = await newParser();
  let parsed: ReturnType<typeof parseC>;
  try {
    return analyze(
      file,
      text,
      {
        kernel: linuxReference(cat),
        freebsd: freebsd ?? undefined,
        config: readConfig(undefined),
        list: listDir,
        parser,
        read: f => overrides[f] ?? (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
      },
      () => (parsed = parseC(parser, text, undefined, cSyntaxOf(file, text)?.wrap)),
    );
  } finally {
    parsed?.tree.delete();
    parser.delete();
  }
}

export async function analyzeFile(file: string, cat?: Catalogue): Promise<Analysis> {
  return analyzeText(file, fs.readFileSync(file, 'utf8'), cat);
}
