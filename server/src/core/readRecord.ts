// What a computation read through a Reader, so that its answer can be reused while every file
// it read, and every directory it listed, still reads the same (the checks of an edited file
// ask the same questions of the same unchanged files on every keystroke).
import type { Reader } from './reader';

export type ReadRecord = (
  { file: string; text: string | undefined } | { dir: string; names: string[]; list: Reader['list']; at: number }
)[];

/** How long a listing is taken as it was (a directory listing is a system call; qemu/tree.ts lists as seldom). */
const LISTING_MS = 2000;

/** `f` run on a reader that notes each read and listing. */
export function recording<T>(r: Reader, f: (r: Reader) => T): { result: T; record: ReadRecord } {
  // Each file and directory once: the replay asks each question once.
  const seen = new Map<string, ReadRecord[number]>();
  const result = f({
    read: file => {
      const text = r.read(file);
      if (!seen.has(`f\0${file}`)) seen.set(`f\0${file}`, { file, text });
      return text;
    },
    list: dir => {
      const names = r.list(dir);
      if (!seen.has(`d\0${dir}`)) seen.set(`d\0${dir}`, { dir, names: names.slice(), list: r.list, at: Date.now() });
      return names;
    },
  });
  return { result, record: [...seen.values()] };
}

/** Whether every read and listing of a record gives the same answer again (a listing made by the same reader within the last two seconds is not made again). */
export function readsTheSame(r: Reader, record: ReadRecord): boolean {
  for (const x of record) {
    if ('file' in x) {
      if (r.read(x.file) !== x.text) return false;
    } else if (x.list !== r.list || Date.now() - x.at >= LISTING_MS) {
      const names = r.list(x.dir);
      if (names.length !== x.names.length || names.some((n, i) => n !== x.names[i])) return false;
      x.list = r.list;
      x.at = Date.now();
    }
  }
  return true;
}
