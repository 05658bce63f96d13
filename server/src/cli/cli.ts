#!/usr/bin/env node
// The `systab` command: check, fix and regen over the same engine as the language server.
import * as fs from 'fs';
import * as path from 'path';
import { loadCatalogue } from '../io/catalogueFile';
import { writeCatalogue } from '../io/catalogueWrite';
import { unifiedDiff } from '../core/diff';
import { analyze, Analysis, cSyntaxOf, parseC, tooLarge, Workspace } from '../analysis/analyze';
import { lookedFor, tableFiles } from '../analysis/locate';
import { Catalogue } from '../reference/linux/catalogue';
import { linuxReference } from '../reference/linux/reference';
import { Config, readConfig } from '../core/config';
import { newParser, Parser } from '../syntax/c/parser';
import { applyEdits, fixAllEdits } from '../core/edits';
import { coverage, coverageText } from '../families/qemu/coverage';
import { qemuRootOf } from '../families/qemu/tree';
import { regenHeader } from '../families/qemu/syscallhdr';
import { Finding } from '../core/types';
import { diskReader, listDir, readOrUndefined, readText } from '../io/files';
import { KernelPathError } from '../io/kernelIndex';
import { toSarif } from './sarif';

const USAGE = `usage:
  systab check [PATH...] [--kernel DIR] [--format text|json|sarif]
  systab fix   [PATH...] [--kernel DIR] [--dry-run]
  systab regen FILE [--kernel DIR] [--target NAME]
        an o32 table: the whole table regenerated; a .tbl under linux-user/<dir>/: the header
        that dir's syscallhdr.sh generates for QEMU target NAME (required where targets differ)
  systab coverage [PATH] [--kernel DIR] [--format text|json|markdown]
  systab index --kernel DIR --out FILE      write the kernel's catalogue as JSON (.gz to compress)

PATH is a table file or a tree (a QEMU checkout, its linux-user/, or a directory of tables);
the default is the current directory. Without --kernel the bundled catalogue is used.
Exit status: 0 no error findings, 1 error findings, 2 bad usage or unreadable input.`;

class UsageError extends Error {}

interface Args {
  cmd: string;
  paths: string[];
  kernel?: string;
  format: string;
  dryRun: boolean;
  out?: string;
  config?: string;
  target?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { cmd: argv[0] ?? '', paths: [], format: 'text', dryRun: false };
  for (let i = 1; i < argv.length; i++) {
    const x = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${x} needs a value`);
      return v;
    };
    if (x === '--kernel') a.kernel = val();
    else if (x.startsWith('--kernel=')) a.kernel = x.slice(9);
    else if (x === '--format') a.format = val();
    else if (x.startsWith('--format=')) a.format = x.slice(9);
    else if (x === '--dry-run') a.dryRun = true;
    else if (x === '--out') a.out = val();
    else if (x === '--config') a.config = val();
    else if (x === '--target') a.target = val();
    else if (x.startsWith('--target=')) a.target = x.slice(9);
    else if (x.startsWith('-')) throw new UsageError(`unknown option ${x}`);
    else a.paths.push(x);
  }
  const formats = a.cmd === 'coverage' ? ['text', 'json', 'markdown'] : ['text', 'json', 'sarif'];
  if (!formats.includes(a.format))
    throw new UsageError(
      `--format must be ${formats.slice(0, -1).join(', ')} or ${formats[formats.length - 1]}, not ${a.format}`,
    );
  return a;
}

const err = (s: string) => process.stderr.write(`systab: ${s}\n`);

function progress(): ((p: { percent: number; message: string }) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return p => process.stderr.write(`\rsystab: indexing kernel ${p.percent}% (${p.message})  `);
}

async function catalogueFor(a: Args): Promise<Catalogue | undefined> {
  const cat = await loadCatalogue(a.kernel, { onProgress: progress() });
  if (a.kernel && process.stderr.isTTY) process.stderr.write('\n');
  return cat;
}

/** `.systab.json` in the current directory: the same settings as the editor's. */
function loadConfig(a: Args): Config {
  const file = a.config ?? (fs.existsSync('.systab.json') ? '.systab.json' : undefined);
  if (!file) return readConfig(undefined);
  try {
    return readConfig(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Expand PATH arguments to the files to check; unreadable paths are errors. */
function expand(paths: string[]): { files: string[]; problems: string[] } {
  const files: string[] = [],
    problems: string[] = [];
  for (const p of paths.length ? paths : ['.']) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      problems.push(`${p} does not exist`);
      continue;
    }
    if (st.isDirectory()) {
      const found = tableFiles(p, diskReader);
      if (!found.length) err(`no syscall tables found under ${p} (systab reads: ${lookedFor()})`);
      files.push(...found);
    } else files.push(p);
  }
  return { files: [...new Set(files.map(f => path.resolve(f)))], problems };
}

function workspace(cat: Catalogue | undefined, config: Config, parser?: Parser): Workspace {
  return { kernel: linuxReference(cat), config, parser, list: listDir, read: readOrUndefined };
}

function analyzeFile(parser: Parser, ws: Workspace, file: string, text: string): Analysis {
  let parsed: ReturnType<typeof parseC>;
  try {
    return analyze(file, text, ws, () => (parsed = parseC(parser, text, undefined, cSyntaxOf(file, text)?.wrap)));
  } finally {
    parsed?.tree.delete();
  }
}

const rel = (f: string) => path.relative(process.cwd(), f) || f;

function printText(findings: Finding[]): void {
  for (const f of findings) {
    process.stdout.write(
      `${rel(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity}: ${f.message} [${f.code}]\n`,
    );
  }
}

function printJson(findings: Finding[]): void {
  const out = findings.map(f => ({
    file: rel(f.file),
    range: f.range,
    severity: f.severity,
    code: f.code,
    message: f.message,
    related: f.related.map(r => ({ file: rel(r.location.file), range: r.location.range, message: r.message })),
  }));
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

/** What check and fix share: the files named, the catalogue, settings and a parser. */
async function session(a: Args) {
  const config = loadConfig(a);
  const { files, problems } = expand(a.paths);
  const parser = await newParser();
  const ws = workspace(await catalogueFor(a), config, parser);
  return { files, problems, ws, parser };
}

async function check(a: Args): Promise<number> {
  const { files, problems, ws, parser } = await session(a);
  const named = new Set(a.paths.map(p => path.resolve(p)));
  const findings: Finding[] = [];
  for (const file of files) {
    const r = readText(file);
    if (!('text' in r)) {
      if (r.size) findings.push(tooLarge(file, r.size));
      else problems.push(r.error);
      continue;
    }
    const an = analyzeFile(parser, ws, file, r.text);
    for (const n of an.notes) err(`${rel(file)}: ${n}`);
    if (!an.parts.length && !an.findings.length && named.has(file))
      err(`${rel(file)} is not a syscall table systab knows`);
    findings.push(...an.findings);
  }
  parser.delete();
  if (a.format === 'json') printJson(findings);
  else if (a.format === 'sarif') process.stdout.write(JSON.stringify(toSarif(findings, rel), null, 2) + '\n');
  else printText(findings);
  for (const p of problems) err(p);
  if (problems.length) return 2;
  return findings.some(f => f.severity === 'error') ? 1 : 0;
}

/** Write only if the file still holds what was read, through a temporary file and rename. */
function writeAtomically(file: string, before: string, after: string): void {
  const now = fs.readFileSync(file, 'utf8');
  if (now !== before) throw new Error(`${rel(file)} changed on disk while systab was fixing it; nothing was written`);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.systab-${process.pid}`);
  fs.writeFileSync(tmp, after, { mode: fs.statSync(file).mode });
  fs.renameSync(tmp, file);
}

async function fix(a: Args): Promise<number> {
  const { files, problems, ws, parser } = await session(a);
  let changed = 0,
    applied = 0;
  // A table is checked against the .tbl beside it: fix the .tbl files first.
  const ordered = [...files].sort((a, b) => Number(!a.endsWith('.tbl')) - Number(!b.endsWith('.tbl')));
  for (const file of ordered) {
    const r = readText(file);
    if (!('text' in r)) {
      problems.push(r.error);
      continue;
    }
    const an = analyzeFile(parser, ws, file, r.text);
    const edits = fixAllEdits(an.findings);
    if (!edits.length) continue;
    const after = applyEdits(r.text, edits);
    if (after === r.text) continue;
    applied += an.findings.filter(f => f.fixes.some(x => x.preferred)).length;
    changed++;
    if (a.dryRun) process.stdout.write(unifiedDiff(rel(file), r.text, after));
    else {
      try {
        writeAtomically(file, r.text, after);
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
  }
  parser.delete();
  err(
    `${a.dryRun ? 'would fix' : 'fixed'} ${applied} finding${applied === 1 ? '' : 's'} in ${changed} file${changed === 1 ? '' : 's'}`,
  );
  for (const p of problems) err(p);
  return problems.length ? 2 : 0;
}

async function regen(a: Args): Promise<number> {
  if (a.paths.length !== 1) throw new UsageError('regen takes exactly one FILE');
  const file = path.resolve(a.paths[0]);
  const r = readText(file);
  if (!('text' in r)) {
    err(r.error);
    return 2;
  }
  if (file.endsWith('.tbl')) {
    const root = qemuRootOf(file);
    if (!root) {
      err(`${rel(file)} is not under a QEMU linux-user/ directory`);
      return 2;
    }
    const io = { read: readOrUndefined, list: listDir };
    const g = regenHeader(root, r.text, path.relative(root, file), a.target, io);
    if (!g.ok) {
      err(g.error + (g.candidates ? `\n  candidates: ${g.candidates.join(', ')}` : ''));
      return 2;
    }
    process.stdout.write(g.text);
    return 0;
  }
  const cat = await catalogueFor(a);
  const parser = await newParser();
  const ws = workspace(cat, loadConfig(a), parser);
  const an = analyzeFile(parser, ws, file, r.text);
  parser.delete();
  const g = an.parts.map(p => p.family.regenerate?.(p.model, ws)).find(x => x);
  if (!g) {
    err(an.notes.length ? `${rel(file)}: ${an.notes[0]}` : `${rel(file)} is not a table systab can regenerate`);
    return 2;
  }
  process.stdout.write(applyEdits(r.text, [g.edit]));
  for (const n of g.notes) err(n);
  return 0;
}

async function coverageCmd(a: Args): Promise<number> {
  const root =
    qemuRootOf(path.resolve(a.paths[0] ?? '.', 'linux-user', 'x')) ?? qemuRootOf(path.resolve(a.paths[0] ?? '.', 'x'));
  if (!root || !fs.existsSync(path.join(root, 'linux-user'))) {
    err(`${a.paths[0] ?? '.'} is not a QEMU tree (no linux-user/)`);
    return 2;
  }
  const parser = await newParser();
  const cov = coverage(root, { read: readOrUndefined, list: listDir }, parser, linuxReference(await catalogueFor(a)));
  parser.delete();
  if (!cov.targets.length) {
    err(`no linux-user targets under ${root} (configs/targets/*-linux-user.mak)`);
    return 2;
  }
  process.stdout.write(
    a.format === 'json' ? JSON.stringify(cov, null, 2) + '\n' : coverageText(cov, a.format === 'markdown'),
  );
  return 0;
}

async function index(a: Args): Promise<number> {
  if (!a.kernel || !a.out) throw new UsageError('index needs --kernel DIR and --out FILE');
  const cat = await loadCatalogue(a.kernel, { onProgress: progress() });
  if (process.stderr.isTTY) process.stderr.write('\n');
  writeCatalogue(cat!, a.out);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const a = parseArgs(argv);
    if (a.cmd === 'check') return await check(a);
    if (a.cmd === 'fix') return await fix(a);
    if (a.cmd === 'regen') return await regen(a);
    if (a.cmd === 'index') return await index(a);
    if (a.cmd === 'coverage') return await coverageCmd(a);
    if (a.cmd === '--help' || a.cmd === '-h' || a.cmd === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    throw new UsageError(a.cmd ? `unknown command ${a.cmd}` : 'no command given');
  } catch (e) {
    if (e instanceof UsageError) {
      err(e.message);
      process.stderr.write(USAGE + '\n');
      return 2;
    }
    if (e instanceof KernelPathError) {
      err(e.message);
      return 2;
    }
    err(`internal error: ${(e as Error).stack ?? e}`);
    return 2;
  }
}

// `systab check ... | head`: a closed pipe ends the output, not the process with a trace.
process.stdout.on('error', e => {
  if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

if (require.main === module)
  main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
