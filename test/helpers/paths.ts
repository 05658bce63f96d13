// Paths the tests share: the repository, its fixtures and the built bundles.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = process.env.SYSTAB_ROOT ?? process.cwd();
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const KERNEL = path.join(FIXTURES, 'linux');
export const QEMU = path.join(FIXTURES, 'qemu');
export const QEMU_OLD = path.join(FIXTURES, 'qemu-old');
export const QEMU_DISPATCH = path.join(FIXTURES, 'qemu-dispatch');
export const QEMU_BSD = path.join(FIXTURES, 'qemu-bsd');
/** A QEMU tree whose strace.list misses rows and whose syscall.c reads 64-bit pairs (o32). */
export const QEMU_ROWS = path.join(FIXTURES, 'qemu-rows');
export const FREEBSD_FIXTURE = path.join(FIXTURES, 'freebsd');
export const STRACE_SRC = path.join(FIXTURES, 'strace-src');
/** A kernel tree's tools/ copies and UML's ptrace headers beside their originals. */
export const LINUX_TOOLS = path.join(FIXTURES, 'linux-tools');
export const VALGRIND_SRC = path.join(FIXTURES, 'valgrind-src');
/** cpu loops with planted errors (qemu/), their clean twins (clean/) and a kernel with MIPS's assembly entry points (linux/; KERNEL has ARM's arm_syscall()). */
export const CPULOOP = path.join(FIXTURES, 'cpuloop', 'qemu');
export const CPULOOP_CLEAN = path.join(FIXTURES, 'cpuloop', 'clean');
export const CPULOOP_KERNEL = path.join(FIXTURES, 'cpuloop', 'linux');
/** FreeBSD's real files (../shared/data/freebsd beside the repository), or undefined (tests skip). */
export function freebsdData(): string | undefined {
  const d = path.join(ROOT, '..', 'shared', 'data', 'freebsd');
  return fs.existsSync(path.join(d, 'syscalls.master')) ? d : undefined;
}
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const SERVER = path.join(ROOT, 'dist', 'server.js');

// Every scratch folder a test file makes is removed when its process ends: a test run
// leaves nothing in the temporary folder.
const made: string[] = [];
process.on('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A temporary folder, removed when the test process ends. */
export function tmpDir(tag = 'test'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `systab-${tag}-`));
  made.push(d);
  return d;
}

/** A scratch copy of a fixture directory, so tests may edit it. */
export function scratch(dir: string): string {
  const tmp = tmpDir();
  fs.cpSync(dir, tmp, { recursive: true });
  return tmp;
}

/** The real trees fetched by scripts/fetch-real-data.sh, or undefined (tests skip). */
export function realData(): { qemu: string; linux: string; linux612?: string } | undefined {
  const data = process.env.SYSTAB_DATA ?? path.join(os.homedir(), '.cache', 'systab-real');
  const qemu = path.join(data, 'qemu'),
    linux = path.join(data, 'linux'),
    linux612 = path.join(data, 'linux-6.12');
  if (!fs.existsSync(path.join(qemu, '.done')) || !fs.existsSync(path.join(linux, '.done'))) return undefined;
  return { qemu, linux, linux612: fs.existsSync(path.join(linux612, '.done')) ? linux612 : undefined };
}

/** strace's and valgrind's sources fetched by scripts/fetch-real-data.sh (each undefined when absent: tests skip). */
export function tracerData(): { strace?: string; valgrind?: string } {
  const data = process.env.SYSTAB_DATA ?? path.join(os.homedir(), '.cache', 'systab-real');
  const have = (d: string) => (fs.existsSync(path.join(data, d, '.done')) ? path.join(data, d) : undefined);
  return { strace: have('strace'), valgrind: have('valgrind') };
}
