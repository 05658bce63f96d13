// Creating a directory and its missing parents. Node 20's `mkdir(dir, { recursive: true })`
// never returns when a parent exists but refuses new entries with ENOENT (under /proc, as a
// cache directory set to one would be): it retries that parent forever, sync or async (the
// async one holds a libuv thread). Here each missing level is created once, in order, and
// the first refusal is thrown.
import * as fs from 'fs';
import * as path from 'path';

/** The levels of `dir` that do not exist, outermost first. */
function missingLevels(dir: string): string[] {
  const out: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    out.unshift(d);
    if (path.dirname(d) === d) break;
  }
  return out;
}

export function makeDirSync(dir: string): void {
  for (const d of missingLevels(dir)) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // made meanwhile: fine
    }
  }
}

export async function makeDir(dir: string): Promise<void> {
  for (const d of missingLevels(dir)) {
    try {
      await fs.promises.mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
