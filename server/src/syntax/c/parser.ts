// tree-sitter C through web-tree-sitter (WASM: no native build, works under Electron).
import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser } from 'web-tree-sitter';

let ready: Promise<Language> | undefined;

/** Where the two .wasm files are: beside the bundle, or in node_modules when run from source. */
function wasmPath(file: string, pkg: string): string {
  const beside = [__dirname, path.join(__dirname, '..', 'dist'), path.join(__dirname, '..', '..', 'dist')]
    .map(d => path.join(d, file))
    .find(p => fs.existsSync(p));
  if (beside) return beside;
  return require.resolve(`${pkg}/${file}`);
}

export function loadC(): Promise<Language> {
  ready ??= (async () => {
    await Parser.init({ locateFile: () => wasmPath('tree-sitter.wasm', 'web-tree-sitter') });
    return Language.load(wasmPath('tree-sitter-c.wasm', 'tree-sitter-c'));
  })();
  return ready;
}

export async function newParser(): Promise<Parser> {
  const lang = await loadC();
  const p = new Parser();
  p.setLanguage(lang);
  return p;
}

export type { Node, Tree, Parser } from 'web-tree-sitter';
