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
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const SERVER = path.join(ROOT, 'dist', 'server.js');

/** A scratch copy of a fixture directory, so tests may edit it. */
export function scratch(dir: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'systab-test-'));
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
