// What the VS Code client and the language server say to each other beyond LSP itself,
// declared once for both: settings, custom messages, command ids. Plain types and strings:
// no import from the server or from vscode.

/** `systab.*` settings, as the client sends them (initializationOptions and configuration). */
export interface SystabSettings {
  kernelPath: string;
  /** A FreeBSD source tree (sys/kern/syscalls.master) for bsd-user's tables; empty for the bundled catalogue. */
  freebsdPath?: string;
  /** Per diagnostic code: error, warning, information, hint or off. Only what the user set. */
  severity: Record<string, string>;
  ignore: { name: string; reason?: string }[];
  logLevel: string;
  /** Where the server may cache a kernel index (VS Code: the extension's global storage; default $XDG_CACHE_HOME/systab, else ~/.cache/systab). */
  storagePath?: string;
}

/** The server's `systab/status` notification: indexing progress, ready, or an error. */
export const STATUS_NOTIFICATION = 'systab/status';
export interface StatusParams {
  state: 'indexing' | 'ready' | 'error';
  message?: string;
  percent?: number;
  errors?: number;
  /** Which kernel the findings come from: `Linux 6.1.192 at /src/linux`, `bundled Linux 6.12.117`. */
  reference?: string;
}

/** The `systab/coverage` request: one QEMU tree's coverage, found from a path in it. */
export const COVERAGE_REQUEST = 'systab/coverage';
export interface CoverageParams {
  path?: string;
}

export interface Place {
  file: string;
  line: number;
}
export interface Missing {
  name: string;
  where: Place;
}
export interface TargetCoverage {
  target: string;
  abi: string;
  /** Implemented syscalls: in the kernel's table, QEMU's table, dispatched, traced. */
  kernel: number | undefined;
  qemu: number;
  dispatched: number;
  traced: number;
  /** In the kernel, not in QEMU's table; in QEMU's table, not dispatched; dispatched, not traced. */
  notInTable: Missing[];
  notDispatched: Missing[];
  notTraced: Missing[];
  source: string;
}
export interface Coverage {
  root: string;
  kernel?: string;
  targets: TargetCoverage[];
  /** bsd-user, per target (configs/targets/*-bsd-user.mak), when the tree has it. */
  bsd?: BsdTargetCoverage[];
}

/** One bsd-user target: FreeBSD's live syscalls, and how many QEMU defines, dispatches and traces. */
export interface BsdTargetCoverage {
  target: string;
  arch: string;
  /** Live syscalls in FreeBSD's syscall.h; undefined without a FreeBSD reference. */
  freebsd?: number;
  qemu: number;
  dispatched: number;
  traced: number;
  /** In FreeBSD, not in syscall_nr.h; defined, not dispatched in os-syscall.c; defined, not in strace.list; each with where it would go. */
  notInHeader: Missing[];
  notDispatched: Missing[];
  notTraced: Missing[];
}

/** The `systab/stats` request (benchmarks): memory after a collection, documents and trees held. */
export const STATS_REQUEST = 'systab/stats';
export interface Stats {
  rss: number;
  heapUsed: number;
  external: number;
  documents: number;
  trees: number;
}

/** Commands the server executes (workspace/executeCommand), with a document URI. */
export const SERVER_COMMANDS = {
  regenerateTable: 'systab.server.regenerateTable',
  fixAll: 'systab.server.fixAll',
} as const;

/** Client commands a code lens may invoke. */
export const CLIENT_COMMANDS = {
  regenerateTable: 'systab.regenerateTable',
  showProblems: 'workbench.actions.view.problems',
} as const;

/** Code action kinds the server offers besides quick fixes. */
export const ACTION_KINDS = { fixAll: 'source.fixAll.systab', regenerate: 'source.regenerate.systab' } as const;
