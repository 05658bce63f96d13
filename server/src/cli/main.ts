#!/usr/bin/env node
// The `systab` command's entry. A repeated `systab check` whose inputs are unchanged is
// answered here from its stored run (storedRun.ts), loading nothing else; every other
// command loads the commands' bundle (cli.ts, bundled beside this one as cliCommands.js,
// compiled from a code cache).
import * as path from 'path';
import { defaultStoragePath } from '../io/cacheDir';
import { runWithCodeCache } from '../io/codeCache';
import { parseArgs } from './args';
import { startSpare } from '../io/freshness';
import { indexWorkerScript } from '../io/bundled';
import { replay, runKey, runStorage, storedRun } from './storedRun';

/** The stored run's exit status, or undefined when the command is to run afresh (any question about the arguments included: the commands answer those). */
async function fromStoredRun(argv: string[]): Promise<number | undefined> {
  if (argv[0] !== 'check') return undefined;
  let a;
  try {
    a = parseArgs(argv);
  } catch {
    return undefined;
  }
  const storage = a.help || a.patch !== undefined ? undefined : runStorage(a);
  const hit = storage ? await storedRun(storage, runKey(a)).catch(() => undefined) : undefined;
  return hit && replay(hit);
}

async function run(argv: string[]): Promise<number> {
  // A stored run with a kernel checks tens of thousands of paths on two threads: the second
  // starts now, while this one reads what was stored.
  if (argv[0] === 'check' && !argv.includes('--no-cache')) startSpare(indexWorkerScript());
  const stored = await fromStoredRun(argv);
  if (stored !== undefined) return stored;
  // Compiled from a V8 code cache, as the language server is (kept once a command has run).
  const storage = defaultStoragePath();
  const bundle = runWithCodeCache(path.join(__dirname, 'cliCommands.js'), storage && path.join(storage, 'code-cache'));
  const code = await (bundle.exports as typeof import('./cli')).main(argv);
  bundle.save();
  return code;
}

// `systab check ... | head`: a closed pipe ends the output, not the process with a trace.
process.stdout.on('error', e => {
  if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

run(process.argv.slice(2)).then(code => {
  process.exitCode = code;
});
