// Linux as a KernelReference: a plain object over a catalogue, built once per catalogue so
// that it is the same object every time (the needs and syscall-index caches are keyed on it).
import * as path from 'path';
import { KernelReference, tableSource } from '../reference';
import { Catalogue, findPrototype } from './catalogue';

const built = new WeakMap<Catalogue, KernelReference>();

export function linuxReference(cat: Catalogue): KernelReference;
export function linuxReference(cat: Catalogue | undefined): KernelReference | undefined;
export function linuxReference(cat: Catalogue | undefined): KernelReference | undefined {
  if (!cat) return undefined;
  let ref = built.get(cat);
  if (ref) return ref;
  const { root, release } = cat.kernel;
  const name = `Linux${release ? ` ${release}` : ''}`;
  ref = {
    kernel: 'Linux',
    release,
    label: root ? `${name} at ${root}` : `bundled ${name}`,
    root,
    tablePaths: () => Object.keys(cat.tables),
    table: rel => cat.tables[rel],
    entries: abi => {
      const src = tableSource(abi, rel => !!cat.tables[rel]);
      return src && cat.tables[src.table].filter(e => src.tags.includes(e.abi));
    },
    tableOf: abi => tableSource(abi, rel => !!cat.tables[rel]),
    prototype: (entry, arch) => findPrototype(cat, entry, arch),
    definitions: entry => cat.prototypes[entry] ?? [],
    fileOf: rel => (root ? path.join(root, rel) : rel),
    armPrivate: () => cat.armPrivate,
  };
  built.set(cat, ref);
  return ref;
}

/** The kernel's own table for a QEMU copy, by arch and file name. */
export function kernelTablePath(ref: KernelReference, arch: string, base: string): string | undefined {
  return kernelTableCandidates(arch, base).find(c => ref.table(c));
}

/** Where an arch's table of this name has been in the kernel tree over the years. */
export const kernelTableCandidates = (arch: string, base: string) => [
  `arch/${arch}/kernel/syscalls/${base}`,
  `arch/${arch}/entry/syscalls/${base}`,
  `arch/${arch}/tools/${base}`,
];
