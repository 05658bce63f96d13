// One buffer that reads whole files, placed where the kernel copies into it fastest.

// The one WebAssembly type used here (the project's TypeScript libraries declare none).
declare const WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } };

/**
 * A buffer of `bytes` that starts on a page boundary. The kernel's copy from the page cache
 * slows down sharply when the destination sits a few bytes past a page boundary (where
 * malloc puts a large block: 16 bytes in): on the AMD EPYC machines systab is measured on,
 * reading Linux's .c files took 1.6x as long into such a buffer. A WebAssembly memory is
 * always page-aligned.
 */
export function pageAlignedBuffer(bytes: number): Buffer {
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) || 1 });
  return Buffer.from(memory.buffer, 0, bytes);
}
