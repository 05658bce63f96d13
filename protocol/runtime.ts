// How the language server's Node process is started by the VS Code client (and measured by
// the benchmark). The server runs for hours allocating little at a time, but opening a
// workspace is a burst (hundreds of documents parsed and checked at once), and what the
// process takes in that burst it keeps: the resident set is set by the peak, not by what is live.
//  - A smaller young generation (2 MB semi-spaces).
//  - Old space grown by 1.3x at each full collection (V8's own conservative factor) instead of up to 4x
//    on a machine with plenty of memory: after the burst the committed heap was nearly twice the
//    live one (75 MB for 41 MB), in pages V8 never returned. No cap on the heap's size.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2', '--heap-growing-percent=30'];

// The server process's environment, added to the client's own. glibc's malloc raises its
// mmap and trim thresholds as large blocks come and go (up to 32 MB), after which freed memory
// stays in the heap: V8's compilation of the grammar's WebAssembly alone peaks near 40 MB of
// malloc on background threads. Setting the threshold (at glibc's default, 128 KiB) fixes it
// there: large blocks are mapped and unmapped, free heap tops are returned. Other C libraries
// ignore the variable.
export const SERVER_ENV: Record<string, string> = { MALLOC_TRIM_THRESHOLD_: '131072' };
