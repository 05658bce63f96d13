// How the language server's Node process is started by the VS Code client (and measured by
// the benchmark): a smaller young generation keeps the resident set down for a process
// that runs for hours allocating little at a time.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2'];
