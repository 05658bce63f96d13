// Where the files shipped with systab are: beside the bundle (dist/), or in the source tree
// (data/) when run from it. A module of its own so that the command's quick path (a stored
// run, cli/main.ts) finds them without loading the indexers.
import * as fs from 'fs';
import * as path from 'path';

const near = (name: string): string | undefined =>
  [__dirname, path.join(__dirname, '..', 'data'), path.join(__dirname, '..', '..', 'data')]
    .map(d => path.join(d, name))
    .find(p => fs.existsSync(p));

/** The bundled Linux catalogue: unzipped beside the bundle (dist/), zipped in the source tree. */
export const bundledCataloguePath = () => near('catalogue.json') ?? near('catalogue.json.gz');
/** The bundled FreeBSD catalogue. */
export const bundledFreeBsdPath = () => near('freebsd-catalogue.json.gz');
/** The reading and checking threads' bundle (kernelIndexWorker.ts), beside this bundle or in a folder above it (the tests' bundles). */
export function indexWorkerScript(): string | undefined {
  for (let d = __dirname, i = 0; i < 3; i++, d = path.dirname(d)) {
    const f = path.join(d, 'kernelIndexWorker.js');
    if (fs.existsSync(f)) return f;
  }
  return undefined;
}
