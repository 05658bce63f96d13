// What the commands share: settings from `.systab.json`, the kernel reference, a parser, the
// files a PATH stands for, and one file analysed as the language server would.
import { loadFreeBsd } from '../io/freebsdCatalogue';
import { freebsdReference } from '../reference/freebsd/reference';
import * as fs from 'fs';
import * as path from 'path';
import { analyze, Analysis, cSyntaxOf, parseC, Workspace } from '../analysis/analyze';
import { lookedFor, tableFiles } from '../analysis/locate';
import { CODES } from '../core/codes';
import { Config, readConfig } from '../core/config';
import { defaultStoragePath } from '../io/cacheDir';
import { loadCatalogue } from '../io/catalogueFile';
import { cachedIndex } from '../io/kernelCache';
import { diskReader } from '../io/files';
import type { Reader } from '../core/reader';
import { Catalogue } from '../reference/linux/catalogue';
import { linuxReference } from '../reference/linux/reference';
import { newParser, Parser } from '../syntax/c/parser';
import { Args, InputError, suggest } from './args';

export const err = (s: string) => process.stderr.write(`systab: ${s}\n`);

// Progress goes to the terminal as it is now: a check's stored output (storedRun.ts) is what
// the check said, not how long its indexing took.
const toTerminal = process.stderr.write.bind(process.stderr);

function progress(): ((p: { percent: number; message: string }) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return p => toTerminal(`\rsystab: indexing kernel ${p.percent}% (${p.message})  `);
}

/** The kernel's catalogue: the bundled one, or a tree's index from the cache the editor uses too (unless `cache` is false). */
export async function catalogueFor(kernel: string | undefined, cache = true): Promise<Catalogue | undefined> {
  const storage = cache && kernel ? defaultStoragePath() : undefined;
  const cat = storage
    ? (await cachedIndex(kernel!, storage, { onProgress: progress(), verify: true })).catalogue
    : await loadCatalogue(kernel, { onProgress: progress() });
  if (kernel && process.stderr.isTTY) toTerminal('\n');
  return cat;
}

const CONFIG_KEYS = ['severity', 'ignore', 'kernelPath'];

const DEFAULT_CONFIG = '.systab.json';

/** The settings file a command reads: --config, else .systab.json here (which may not exist). */
export const configPath = (a: Args) => a.config ?? DEFAULT_CONFIG;

/** `.systab.json` (or --config): the editor's settings; a misspelt key is named, a broken file is one line. */
export function loadConfig(a: Args): { config: Config; kernelPath?: string } {
  const file = a.config ?? (fs.existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
  if (!file) return { config: readConfig(undefined) };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message;
    throw new InputError(`cannot read ${file}: ${why}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${file} must hold a JSON object`);
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r).filter(k => !CONFIG_KEYS.includes(k))) {
    const s = suggest(k, CONFIG_KEYS);
    err(`${file}: unknown setting "${k}"${s ? ` (did you mean "${s}"?)` : ''}; it is ignored`);
  }
  if (r.severity && typeof r.severity === 'object') {
    for (const k of Object.keys(r.severity).filter(k => !(CODES as readonly string[]).includes(k))) {
      const s = suggest(k, CODES);
      err(`${file}: unknown code "${k}" in severity${s ? ` (did you mean "${s}"?)` : ''}; it is ignored`);
    }
  }
  return { config: readConfig(r), kernelPath: typeof r.kernelPath === 'string' ? r.kernelPath : undefined };
}

/** PATH arguments as files: a directory stands for the tables at its known paths (looked for through `io`). */
export function expand(
  paths: string[],
  io: Reader = diskReader,
): { files: string[]; problems: string[]; empty: string[] } {
  const files: string[] = [],
    problems: string[] = [],
    empty: string[] = [];
  for (const p of paths.length ? paths : ['.']) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      problems.push(`${p} does not exist`);
      continue;
    }
    if (st.isDirectory()) {
      const found = tableFiles(p, io);
      if (!found.length) empty.push(p);
      files.push(...found);
    } else files.push(p);
  }
  return { files: [...new Set(files.map(f => path.resolve(f)))], problems, empty };
}

export const noTables = (dir: string) => `no syscall tables found under ${dir} (systab reads: ${lookedFor()})`;

export function workspace(
  cat: Catalogue | undefined,
  config: Config,
  parser?: Parser,
  freebsdDir?: string,
  io: Reader = diskReader,
): Workspace {
  const freebsd = freebsdReference(loadFreeBsd(freebsdDir));
  return { kernel: linuxReference(cat), freebsd, config, parser, list: d => io.list(d), read: f => io.read(f) };
}

export function analyzeFile(parser: Parser, ws: Workspace, file: string, text: string): Analysis {
  let parsed: ReturnType<typeof parseC>;
  try {
    return analyze(file, text, ws, () => (parsed = parseC(parser, text, undefined, cSyntaxOf(file, text)?.wrap)));
  } finally {
    parsed?.tree.delete();
  }
}

/** The files named, the kernel, settings and a parser, for check and fix; every file and directory looked at through `io`. */
export async function session(a: Args, io: Reader = diskReader) {
  const { config, kernelPath } = loadConfig(a);
  const expanded = expand(a.paths, io);
  const parser = await newParser();
  const kernel = a.kernel ?? kernelPath;
  const ws = workspace(await catalogueFor(kernel, !a.noCache), config, parser, a.freebsd, io);
  return { ...expanded, ws, parser, kernel };
}
