// The kernel index's list of files to read, in shared memory: the walk appends each file as
// it finds it, and every reading thread (the walking one too, once its walk is done) claims
// the next chunk of the list, so reading starts with the walk instead of after it.

/** What the index reads a file for (kernelIndex.ts, classify). */
export type JobKind = 'c' | 'h' | 'tbl' | 'kconfig' | 'unistd' | 'known';

export interface Job {
  rel: string;
  /** `unistd`: a file of the generic table before scripts/syscall.tbl (see genericTables). */
  kind: JobKind;
}

/** The list as the threads share it: each path's bytes, where each ends, each kind's letter, and the control words. */
export interface JobLog {
  bytes: Uint8Array;
  ends: Int32Array;
  kinds: Uint8Array;
  control: Int32Array;
}

/** Control words: jobs published, the walk is over, the next job to claim, jobs done, stop (a failure or a cancel). */
const COUNT = 0,
  CLOSED = 1,
  NEXT = 2,
  DONE = 3,
  STOP = 4;

/** Jobs claimed at a time: a few milliseconds of reading. */
export const CHUNK = 256;
const MIN_CHUNK = 16;

const KINDS: JobKind[] = ['c', 'h', 'tbl', 'kconfig', 'unistd', 'known'];
const KIND_CODE = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<JobKind, number>;

/**
 * A list with room for `maxJobs` paths of `maxBytes` in all: a Linux tree has about 32,000
 * files to read in 1.5 MB of paths. Untouched pages of shared memory cost nothing.
 */
export function newJobLog(maxJobs = 1 << 18, maxBytes = 16 << 20): JobLog {
  return {
    bytes: new Uint8Array(new SharedArrayBuffer(maxBytes)),
    ends: new Int32Array(new SharedArrayBuffer(4 * maxJobs)),
    kinds: new Uint8Array(new SharedArrayBuffer(maxJobs)),
    control: new Int32Array(new SharedArrayBuffer(4 * 5)),
  };
}

const text = (log: JobLog) => Buffer.from(log.bytes.buffer, log.bytes.byteOffset, log.bytes.byteLength);

/**
 * Append the jobs not yet in the list while they fit and wake the waiting threads; returns how many jobs
 * the list now holds. A job that does not fit stays with the walking thread (readTree reads it
 * there).
 */
export function publish(log: JobLog, jobs: readonly Job[]): number {
  let n = Atomics.load(log.control, COUNT);
  const buf = text(log);
  let end = n ? log.ends[n - 1] : 0;
  for (let i = n; i < jobs.length && i < log.ends.length; i++) {
    const rel = jobs[i].rel;
    if (end + 3 * rel.length > buf.length) break; // a UTF-8 byte length never exceeds 3 per UTF-16 unit
    end += buf.write(rel, end, 'utf8');
    log.ends[i] = end;
    log.kinds[i] = KIND_CODE[jobs[i].kind];
    n = i + 1;
  }
  Atomics.store(log.control, COUNT, n);
  Atomics.notify(log.control, COUNT);
  return n;
}

/** The walk is over: what the list holds is all it will hold. */
export function closeLog(log: JobLog): void {
  Atomics.store(log.control, CLOSED, 1);
  Atomics.notify(log.control, COUNT);
}

export const stopLog = (log: JobLog) => Atomics.store(log.control, STOP, 1);
export const jobsDone = (log: JobLog) => Atomics.load(log.control, DONE);
export const jobsHeld = (log: JobLog) => Atomics.load(log.control, COUNT);

/** The job at `i`, as the walk published it. */
export function jobAt(log: JobLog, i: number): Job {
  const start = i ? log.ends[i - 1] : 0;
  return { rel: text(log).toString('utf8', start, log.ends[i]), kind: KINDS[log.kinds[i]] };
}

/**
 * The next chunk: CHUNK jobs while the walk goes on, then an eighth of what is left (at
 * least MIN_CHUNK), so that the threads run out of work at about the same time.
 */
function claim(c: Int32Array): [from: number, to: number] {
  for (;;) {
    const next = Atomics.load(c, NEXT);
    const closed = Atomics.load(c, CLOSED);
    const size = closed ? Math.max(MIN_CHUNK, Math.min(CHUNK, (Atomics.load(c, COUNT) - next) >> 3)) : CHUNK;
    if (Atomics.compareExchange(c, NEXT, next, next + size) === next) return [next, next + size];
  }
}

/**
 * Claim chunks and hand each job in them to `each`, until the list is closed and claimed to
 * its end, the index stopped, or `maxChunks` chunks were taken. A thread that claims past
 * what the walk has published waits for it (`wait`: a reading thread). The walking thread
 * claims only once the list is closed (`wait` false: a claim past the end of an open list
 * would be dropped). 'more': stopped at maxChunks.
 */
export function drain(
  log: JobLog,
  each: (index: number, job: Job) => void,
  { wait, maxChunks = Infinity }: { wait: boolean; maxChunks?: number },
): 'empty' | 'more' {
  const c = log.control;
  for (let k = 0; k < maxChunks; k++) {
    if (Atomics.load(c, STOP)) return 'empty';
    const [from, end] = claim(c);
    for (let i = from; i < end;) {
      // CLOSED before COUNT: once closed, the count read after it is the final one.
      const closed = Atomics.load(c, CLOSED);
      const count = Atomics.load(c, COUNT);
      if (i >= count) {
        if (closed || !wait) return 'empty';
        Atomics.wait(c, COUNT, count, 100);
        if (Atomics.load(c, STOP)) return 'empty';
        continue;
      }
      const to = Math.min(end, count);
      const start = i;
      for (; i < to; i++) each(i, jobAt(log, i));
      Atomics.add(c, DONE, to - start);
    }
  }
  return 'more';
}
