// The one way the layers below the front ends see files: the front end supplies it (open
// editor buffers first, then the disk, cached), so nothing below it touches the disk.
export interface Reader {
  /** A file's text, or undefined when it is missing or cannot be read. */
  read(file: string): string | undefined;
  /** The entry names of one directory ([] when it cannot be read): never a walk. */
  list(dir: string): string[];
}
