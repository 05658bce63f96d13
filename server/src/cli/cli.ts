// The `systab` command's work: check, fix, regen, coverage and index over the same analysis
// as the language server (loaded by main.ts, the entry, when a stored run does not answer).
import * as fs from 'fs';
import * as path from 'path';
import { tooLarge } from '../analysis/analyze';
import { placesFor } from '../analysis/locate';
import { applyEdits, fixAll } from '../core/edits';
import { Finding } from '../core/types';
import { coverage, coverageText } from '../families/qemu/coverage';
import { regenHeader } from '../families/qemu/syscallhdr';
import { qemuRootOf } from '../families/qemu/tree';
import { writeCatalogue } from '../io/catalogueWrite';
import { diskReader, readText } from '../io/files';
import { KernelPathError } from '../io/kernelIndex';
import { FreeBsdPathError, indexFreeBsd, loadFreeBsd, writeFreeBsd } from '../io/freebsdCatalogue';
import { freebsdReference } from '../reference/freebsd/reference';
import { bsdCoverage, bsdCoverageText } from '../families/qemu/bsdCoverage';
import { linuxReference } from '../reference/linux/reference';
import { newParser } from '../syntax/c/parser';
import { version } from '../../../package.json';
import { Args, commandHelp, COMMANDS, InputError, parseArgs, usage, UsageError } from './args';
import { patchText } from './patch';
import { atLeast, byCode, byPosition, jsonText, pathDisplay, summary, textLines } from './output';
import { reviewPatch, treeOf } from './review';
import { toSarif } from './sarif';
import { analyzeFile, catalogueFor, configPath, err, loadConfig, noTables, session, workspace } from './session';
import { captureOutput, recorder, runKey, runStorage, storeRun } from './storedRun';

/** check, run afresh (main.ts has looked for a stored run already), its run kept for the next. */
async function check(a: Args): Promise<number> {
  if (a.patch !== undefined) return checkPatch(a);
  const storage = runStorage(a);
  const rec = recorder();
  const out = storage ? captureOutput() : undefined;
  let run: { code: number; kernel?: string };
  try {
    run = await checkFiles(a, rec);
  } finally {
    out?.stop();
  }
  if (storage && out)
    storeRun(storage, runKey(a), {
      rec,
      configFile: configPath(a),
      kernel: run.kernel,
      output: out.chunks,
      code: run.code,
    });
  return run.code;
}

async function checkFiles(a: Args, rec: ReturnType<typeof recorder>): Promise<{ code: number; kernel?: string }> {
  for (const p of a.paths.length ? a.paths : ['.']) rec.note(p);
  const { files, problems, empty, ws, parser, kernel } = await session(a, rec.wrap(diskReader));
  const show = pathDisplay(a.paths);
  const named = new Set(a.paths.map(p => path.resolve(p)));
  const found: Finding[] = [];
  let read = 0;
  for (const file of files) {
    rec.note(file);
    const r = readText(file);
    if (!('text' in r)) {
      if (r.size) {
        found.push(tooLarge(file, r.size));
        read++;
      } else problems.push(r.error);
      continue;
    }
    const an = analyzeFile(parser, ws, file, r.text);
    if (an.parts.length || an.findings.length) read++;
    else if (named.has(file)) {
      const places = placesFor(file);
      err(
        places.length
          ? `${show(file)} is not read here: systab reads files of this name at ${places.join(' or ')} (it takes the target and the tables beside it from the path)`
          : `${show(file)} is not a syscall table systab knows`,
      );
    }
    found.push(...an.findings);
  }
  parser.delete();
  for (const d of empty) err(noTables(d));
  return { code: report(a, found, read, problems, show, () => '', !!empty.length), kernel };
}

/**
 * What check prints and returns: findings chosen, sorted and formatted, the summary (text),
 * and the exit status (2 on problems or nothing read, 1 on errors, else 0).
 */
function report(
  a: Args,
  found: Finding[],
  read: number,
  problems: string[],
  show: (f: string) => string,
  more: () => string,
  saidEmpty: boolean,
): number {
  const findings = byCode(found, a.only, a.skip).sort(byPosition);
  // The text format is read by people: notes are counted, not listed, unless asked for.
  const min = a.minSeverity ?? (a.format === 'text' ? 'warning' : 'hint');
  const shown = findings.filter(f => atLeast(f, min));
  if (a.format === 'json') process.stdout.write(jsonText(shown, show));
  else if (a.format === 'sarif') process.stdout.write(JSON.stringify(toSarif(shown, version), null, 2) + '\n');
  else process.stdout.write(textLines(shown, show));
  for (const p of problems) err(p);
  if (a.format === 'text' && read) {
    const held = findings.length - shown.length;
    err(
      summary(findings, read) +
        more() +
        (held ? `; ${held} not shown (below ${min}: --min-severity information shows them)` : ''),
    );
  }
  if (problems.length) return 2;
  if (!read) {
    if (!saidEmpty) err('not one syscall table was read');
    return 2;
  }
  return findings.some(f => f.severity === 'error') ? 1 : 0;
}

/** check --patch FILE: the findings the patch adds or causes, in the tree it applies to. */
async function checkPatch(a: Args): Promise<number> {
  treeOf(a); // before the kernel is loaded: a wrong PATH is said at once
  const { config, kernelPath } = loadConfig(a);
  const parser = await newParser();
  const ws = workspace(await catalogueFor(a.kernel ?? kernelPath, !a.noCache), config, parser);
  const show = pathDisplay(a.paths);
  let r: ReturnType<typeof reviewPatch>;
  try {
    r = reviewPatch(a, ws, parser, show);
  } finally {
    parser.delete();
  }
  for (const n of r.notes) err(n);
  if (r.empty) err(noTables(a.paths[0] ?? '.'));
  const left = byCode(r.leftOut, a.only, a.skip).length;
  const n = r.patched.length;
  const more = () =>
    `; the patch changes ${n} file${n === 1 ? '' : 's'}` +
    (left
      ? `; ${left} finding${left === 1 ? '' : 's'} left out: the patch did not cause ${left === 1 ? 'it' : 'them'} (check without --patch lists ${left === 1 ? 'it' : 'them'})`
      : '');
  return report(a, r.findings, r.read, [], show, more, r.empty);
}

/** Write only if the file still holds what was read, through a temporary file and rename. */
function writeAtomically(file: string, before: string, after: string, show: (f: string) => string): void {
  const now = fs.readFileSync(file, 'utf8');
  if (now !== before) throw new Error(`${show(file)} changed on disk while systab was fixing it; nothing was written`);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.systab-${process.pid}`);
  fs.writeFileSync(tmp, after, { mode: fs.statSync(file).mode });
  fs.renameSync(tmp, file);
}

async function fix(a: Args): Promise<number> {
  const { files, problems, empty, ws, parser } = await session(a);
  const show = pathDisplay(a.paths);
  // A table is checked against the .tbl beside it: the .tbl files are fixed first, and the
  // rest are checked against their fixed text (in memory: --dry-run shows what fix writes).
  const fixedText = new Map<string, string>();
  const planned: Workspace = { ...ws, read: f => fixedText.get(f) ?? ws.read(f) };
  const ordered = [...files].sort(
    (x, y) => Number(!x.endsWith('.tbl')) - Number(!y.endsWith('.tbl')) || x.localeCompare(y),
  );
  const changes: { file: string; before: string; after: string }[] = [];
  let count = 0;
  for (const file of ordered) {
    const r = readText(file);
    if (!('text' in r)) {
      problems.push(r.error);
      continue;
    }
    const an = analyzeFile(parser, planned, file, r.text);
    const { edits, fixed } = fixAll(byCode(an.findings, a.only, a.skip));
    const after = edits.length ? applyEdits(r.text, edits) : r.text;
    if (after === r.text) continue;
    fixedText.set(file, after);
    changes.push({ file, before: r.text, after });
    count += fixed.length;
  }
  parser.delete();
  for (const d of empty) err(noTables(d));
  for (const c of changes.sort((x, y) => x.file.localeCompare(y.file))) {
    if (a.dryRun) process.stdout.write(patchText(show(c.file), c.before, c.after));
    else {
      try {
        writeAtomically(c.file, c.before, c.after, show);
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
  }
  const n = changes.length;
  err(
    `${a.dryRun ? 'would fix' : 'fixed'} ${count} finding${count === 1 ? '' : 's'} in ${n} file${n === 1 ? '' : 's'}`,
  );
  for (const p of problems) err(p);
  return problems.length || (!files.length && empty.length) ? 2 : 0;
}

type Workspace = ReturnType<typeof workspace>;

async function regen(a: Args): Promise<number> {
  if (a.paths.length !== 1) throw new UsageError('regen takes exactly one FILE', 'regen');
  const file = path.resolve(a.paths[0]);
  const show = pathDisplay(a.paths);
  const r = readText(file);
  if (!('text' in r)) {
    err(r.error);
    return 2;
  }
  if (file.endsWith('.tbl')) {
    const root = qemuRootOf(file);
    if (!root) {
      err(`${show(file)} is not under a QEMU linux-user/ directory`);
      return 2;
    }
    const g = regenHeader(root, r.text, path.relative(root, file), a.target, diskReader);
    if (!g.ok) {
      err(g.error + (g.candidates ? `\n  candidates: ${g.candidates.join(', ')}` : ''));
      return 2;
    }
    process.stdout.write(g.text);
    return 0;
  }
  const { config, kernelPath } = loadConfig(a);
  const cat = await catalogueFor(a.kernel ?? kernelPath, !a.noCache);
  const parser = await newParser();
  const ws = workspace(cat, config, parser, a.freebsd);
  const an = analyzeFile(parser, ws, file, r.text);
  parser.delete();
  const g = an.parts.map(p => p.family.regenerate?.(p.model, ws)).find(x => x);
  if (!g) {
    const why = an.findings.find(f => f.code === 'not-checked');
    err(why ? `${show(file)}: ${why.message}` : `${show(file)} is not a table systab can regenerate`);
    return 2;
  }
  process.stdout.write(applyEdits(r.text, [g.edit]));
  for (const n of g.notes) err(n);
  return 0;
}

/** The QEMU root for a PATH that is the root, its linux-user/, or inside it. */
function qemuRootFor(p: string): string | undefined {
  const abs = path.resolve(p);
  if (fs.existsSync(path.join(abs, 'linux-user'))) return abs;
  const root = qemuRootOf(path.join(abs, 'x'));
  return root && fs.existsSync(path.join(root, 'linux-user')) ? root : undefined;
}

async function coverageCmd(a: Args): Promise<number> {
  const given = a.paths[0] ?? '.';
  const root = qemuRootFor(given);
  if (!root) {
    err(`${given} is not a QEMU tree (no linux-user/ in or above it)`);
    return 2;
  }
  const parser = await newParser();
  const cov = coverage(root, diskReader, parser, linuxReference(await catalogueFor(a.kernel, !a.noCache)));
  const bsd = bsdCoverage(root, diskReader, parser, freebsdReference(loadFreeBsd(a.freebsd)));
  if (bsd.length) cov.bsd = bsd;
  parser.delete();
  if (!cov.targets.length) {
    err(`no linux-user targets under ${root} (configs/targets/*-linux-user.mak)`);
    return 2;
  }
  process.stdout.write(
    a.format === 'json'
      ? JSON.stringify(cov, null, 2) + '\n'
      : coverageText(cov, a.format === 'markdown') + bsdCoverageText(cov.bsd ?? [], a.format === 'markdown'),
  );
  return 0;
}

async function index(a: Args): Promise<number> {
  if (a.freebsd && a.out && !a.kernel) {
    writeFreeBsd(indexFreeBsd(a.freebsd), a.out);
    return 0;
  }
  if (!a.kernel || !a.out) throw new UsageError('index needs --kernel DIR (or --freebsd DIR) and --out FILE', 'index');
  // The catalogue written is always indexed afresh (its bytes must follow the tree alone).
  const cat = await catalogueFor(a.kernel, false);
  writeCatalogue(cat!, a.out);
  return 0;
}

const RUN: Record<string, (a: Args) => Promise<number>> = { check, fix, regen, coverage: coverageCmd, index };

export async function main(argv: string[]): Promise<number> {
  try {
    const first = argv[0];
    if (first === '--version' || first === '-V' || first === 'version') {
      process.stdout.write(`systab ${version}\n`);
      return 0;
    }
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const topic = argv[1];
      if (first === 'help' && topic) {
        if (!COMMANDS.some(c => c.name === topic)) throw new UsageError(`no command ${topic}`);
        process.stdout.write(commandHelp(topic) + '\n');
        return 0;
      }
      (first === undefined ? process.stderr : process.stdout).write(usage() + '\n');
      return first === undefined ? 2 : 0;
    }
    const a = parseArgs(argv);
    if (!RUN[a.cmd]) throw new UsageError(`unknown command ${a.cmd}`);
    if (a.help) {
      process.stdout.write(commandHelp(a.cmd) + '\n');
      return 0;
    }
    return await RUN[a.cmd](a);
  } catch (e) {
    if (e instanceof UsageError) {
      err(e.message);
      process.stderr.write(`${e.command ? `see systab help ${e.command}` : usage()}\n`);
      return 2;
    }
    if (e instanceof KernelPathError || e instanceof FreeBsdPathError || e instanceof InputError) {
      err(e.message);
      return 2;
    }
    err(`internal error: ${(e as Error).stack ?? e}`);
    return 2;
  }
}
