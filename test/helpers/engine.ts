// Run the engine in-process on a file, as the CLI does.
import * as fs from 'fs';
import { analyze, Analysis, cSyntaxOf, parseC } from '../../server/src/analysis/analyze';
import { Catalogue } from '../../server/src/reference/linux/catalogue';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { readConfig } from '../../server/src/core/config';
import { newParser } from '../../server/src/syntax/c/parser';
import { indexKernel } from '../../server/src/io/kernelIndex';
import { listDir } from '../../server/src/io/files';

const catalogues = new Map<string, Promise<Catalogue>>();
export const catalogueOf = (kernel: string) => {
  if (!catalogues.has(kernel)) catalogues.set(kernel, indexKernel(kernel));
  return catalogues.get(kernel)!;
};

/** The indexed tree as the checks see it. */
export const referenceOf = async (kernel: string) => linuxReference(await catalogueOf(kernel));

export async function analyzeText(
  file: string,
  text: string,
  cat?: Catalogue,
  overrides: Record<string, string> = {},
): Promise<Analysis> {
  const parser = await newParser();
  let parsed: ReturnType<typeof parseC>;
  try {
    return analyze(
      file,
      text,
      {
        kernel: linuxReference(cat),
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
