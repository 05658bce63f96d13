// A reading thread of the kernel index (kernelIndex.ts, parallelIndex): bundled on its own
// (dist/kernelIndexWorker.js) so it loads only the per-file parsers. It walks the
// directories it is handed, depth first, reading and parsing each file on its own, and
// gives half of its pending directories away when another thread waits for work.
import { parentPort, workerData } from 'worker_threads';
import { FileResult, FromWorker, HUNGRY, readOne, ToWorker, walkDir } from './kernelIndex';
import { checkShare, FreshWork } from './freshness';

const data = workerData as
  | { root: string; maxBytes: number; stat: boolean; shared: SharedArrayBuffer; fresh?: undefined }
  | { fresh: FreshWork };
// A checking thread of a freshness check (freshness.ts, isFresh): chunks of the stats until
// none is left; it says so when it ended the check (the last chunk, or a change).
if (data.fresh) {
  const w = data.fresh;
  if (checkShare({ ...w, rels: w.rels.split('\n') }) === 'ended') parentPort!.postMessage(true);
} else index(data);

function index({
  root,
  maxBytes,
  stat,
  shared,
}: {
  root: string;
  maxBytes: number;
  stat: boolean;
  shared: SharedArrayBuffer;
}) {
  const hungry = new Int32Array(shared);
  const buf = Buffer.allocUnsafe(maxBytes + 1);
  const post = (m: FromWorker) => parentPort!.postMessage(m);

  parentPort!.on('message', ({ dirs }: ToWorker) => {
    const stack = [...dirs];
    const results: FileResult[] = [];
    const dirMtimes: Record<string, number> | undefined = stat ? {} : undefined;
    let seen = 0,
      jobs = 0,
      lastReport = 0;
    while (stack.length) {
      seen += walkDir(
        root,
        stack.pop()!,
        dirMtimes,
        d => stack.push(d),
        job => {
          jobs++;
          const r = readOne(root, job, buf, stat);
          if (r) results.push(r);
        },
      );
      // Another thread waits: give it the shallowest half (the biggest subtrees), once.
      if (stack.length > 1 && Atomics.load(hungry, HUNGRY) > 0) {
        if (Atomics.sub(hungry, HUNGRY, 1) > 0) post({ give: stack.splice(0, stack.length >> 1) });
        else Atomics.add(hungry, HUNGRY, 1);
      }
      if (jobs - lastReport >= 2000) {
        lastReport = jobs;
        post({ progress: { seen, jobs } });
      }
    }
    post({ idle: true, results, dirs: Object.entries(dirMtimes ?? {}), seen, jobs });
  });
}
