// Running a CommonJS bundle from a V8 code cache kept on disk (Node 20 has no
// module.enableCompileCache): the language server's start-up then skips compiling the
// bundle and the functions its first analysis ran. V8 checks a cache against the source's
// length and its own version and flags only, so the file's name says which bundle (size,
// modification time), node and flags it was made for; any other is ignored and replaced.
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import { makeDirSync } from './makeDir';
import * as vm from 'vm';

export interface CachedRun {
  /** Whether the bundle was compiled from the cache (false: none, or V8 rejected it). */
  fromCache: boolean;
  /** What the bundle exported. */
  exports: unknown;
  /**
   * Write the cache if it was missing or rejected, with every function compiled so far
   * (call it once the work worth caching has run). Failures are ignored: a cache is optional.
   */
  save(): void;
}

/**
 * The cache file for `bundle` under `dir`: one per bundle (its path: installs side by side
 * keep their own), build, node version, arch and flags.
 */
export function codeCacheFile(dir: string, bundle: string, stat: fs.Stats): string {
  const build = `${stat.size}-${Math.round(stat.mtimeMs)}`;
  const runtime = `${process.version}-${process.arch}-${hash(process.execArgv.join(' '))}`;
  return path.join(dir, `${path.basename(bundle, '.js')}-${hash(path.resolve(bundle))}-${build}-${runtime}.bin`);
}

function hash(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

/** Run `bundle` as node's require would (module, exports, require, __filename, __dirname). */
export function runWithCodeCache(bundle: string, dir: string | undefined): CachedRun {
  const file = path.resolve(bundle);
  let source = fs.readFileSync(file, 'utf8');
  // A shebang is valid only at the very start of a script, and the wrapper comes first.
  if (source.startsWith('#!')) source = '//' + source.slice(2);
  const cacheFile = dir ? codeCacheFile(dir, file, fs.statSync(file)) : undefined;
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = fs.readFileSync(cacheFile);
  } catch {
    /* none yet */
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const fromCache = !!cachedData && !script.cachedDataRejected;
  const mod = new Module(file, require.main);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(path.dirname(file));
  const req = Module.createRequire(file);
  (script.runInThisContext() as Function).call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
  let saved = fromCache;
  return {
    fromCache,
    exports: mod.exports,
    save() {
      if (saved || !cacheFile || !dir) return;
      saved = true;
      try {
        writeCache(dir, cacheFile, script.createCachedData());
      } catch {
        /* an unwritable cache directory: start without a cache next time too */
      }
    },
  };
}

/** Written whole or not at all (another server may be reading it), the older builds' files removed. */
function writeCache(dir: string, cacheFile: string, data: Buffer): void {
  makeDirSync(dir);
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, cacheFile);
  // The same bundle's other builds: never read again. (Other node versions or flags stay.)
  const [name, where, size, mtime] = path.basename(cacheFile).split('-');
  const bundle = `${name}-${where}-`;
  for (const f of fs.readdirSync(dir))
    if (f.startsWith(bundle) && !f.startsWith(`${bundle}${size}-${mtime}-`))
      fs.rmSync(path.join(dir, f), { force: true });
}
