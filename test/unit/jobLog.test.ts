// The kernel index's shared job list: what the walk publishes comes back whole, a full list
// keeps the rest with the walking thread, a stopped list hands out nothing, and the index
// over a list too small for its tree still reads every file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import {
  closeLog,
  drain,
  Job,
  jobAt,
  jobsDone,
  jobsHeld,
  newJobLog,
  publish,
  stopLog,
} from '../../server/src/io/jobLog';
import { indexKernel } from '../../server/src/io/kernelIndex';
import { FIXTURES } from '../helpers/paths';

const jobs: Job[] = [
  { rel: 'kernel/fork.c', kind: 'c' },
  { rel: 'arch/mips/kernel/syscalls/syscall_o32.tbl', kind: 'tbl' },
  { rel: 'drivers/ünicode/naïve.c', kind: 'c' },
  { rel: 'arch/arm/Kconfig', kind: 'kconfig' },
  { rel: 'include/uapi/asm-generic/unistd.h', kind: 'unistd' },
];

test('published jobs come back as they went in, non-ASCII paths and every kind included', () => {
  const log = newJobLog();
  assert.equal(publish(log, jobs), jobs.length);
  assert.deepEqual(
    jobs.map((_, i) => jobAt(log, i)),
    jobs,
  );
  // Publishing again adds only what is new.
  const more = [...jobs, { rel: 'mm/mmap.c', kind: 'c' as const }];
  assert.equal(publish(log, more), more.length);
  assert.deepEqual(jobAt(log, 5), more[5]);
});

test('a full list keeps what does not fit: by count and by bytes', () => {
  const byCount = newJobLog(3, 1 << 10);
  assert.equal(publish(byCount, jobs), 3);
  assert.equal(publish(byCount, jobs), 3, 'still full');
  const byBytes = newJobLog(100, 40);
  const held = publish(byBytes, jobs);
  assert.ok(held >= 1 && held < jobs.length, `${held} of ${jobs.length} fit in 40 bytes`);
  assert.deepEqual(jobAt(byBytes, held - 1), jobs[held - 1]);
});

test('a closed list is claimed to its end', () => {
  const log = newJobLog();
  publish(log, jobs);
  closeLog(log);
  const all: number[] = [];
  assert.equal(
    drain(log, i => all.push(i), { wait: false }),
    'empty',
  );
  assert.deepEqual(all, [0, 1, 2, 3, 4]);
  assert.equal(jobsDone(log), 5);
  assert.equal(jobsHeld(log), 5);
});

test('a stopped list hands out nothing more', () => {
  const log = newJobLog();
  publish(log, jobs);
  closeLog(log);
  stopLog(log);
  const seen: number[] = [];
  drain(log, i => seen.push(i), { wait: true });
  assert.deepEqual(seen, []);
});

for (const name of ['linux', 'linux-generic', 'linux-arm']) {
  test(`fixture ${name}: a list with room for 3 jobs gives the same catalogue (the rest read by the walking thread)`, async () => {
    const tree = path.join(FIXTURES, name);
    const whole = await indexKernel(tree, { workers: 0 });
    for (const workers of [0, 2]) {
      const small = await indexKernel(tree, { workers, listRoom: [3, 1 << 12] });
      assert.equal(JSON.stringify(small), JSON.stringify(whole), `${workers} reading threads`);
    }
  });
}
