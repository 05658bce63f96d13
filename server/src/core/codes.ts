// The one list of diagnostic codes. The manifest's `systab.severity` settings and the
// README's code table are generated from it (`npm run gen`), and a test fails when they
// disagree. A code keeps one meaning; `formerly` names the code it was split from, so a
// user setting for the old code still reaches it.
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface CodeInfo {
  code: string;
  /** The severity a finding gets unless its rule or the user says otherwise. */
  severity: Severity;
  /** When the rule chooses by the finding: the words the docs show instead of the bare default. */
  severityNote?: string;
  /** One line: what the finding means. */
  summary: string;
  /** A code this one was split from: a severity set for that code applies here too. */
  formerly?: string;
}

export const CODE_INFO = [
  {
    code: 'missing-entry',
    severity: 'error',
    summary: 'a number the `.tbl` implements has no row (the call fails with ENOSYS at run time)',
  },
  {
    code: 'arg-count-mismatch',
    severity: 'error',
    severityNote: 'error, or warning when nothing is lost at run time',
    summary: "a row's argument count differs from the words the kernel prototype needs on that ABI",
  },
  {
    code: 'unused-slot-zero',
    severity: 'warning',
    severityNote: 'warning, or error for a real syscall marked unused',
    summary: 'an unimplemented slot holds a count instead of `MIPS_SYSCALL_NUMBER_UNUSED`, or the reverse',
  },
  {
    code: 'name-mismatch',
    severity: 'information',
    severityNote: 'information, or warning in `MIPS_SYS` tables (where it can mean shifted rows)',
    summary: "a row's name differs from the `.tbl` name at that number",
  },
  { code: 'duplicate-entry', severity: 'error', summary: 'the same syscall number appears twice' },
  { code: 'out-of-order', severity: 'warning', summary: 'rows are not in ascending number order' },
  {
    code: 'unknown-signature',
    severity: 'information',
    summary: 'no kernel prototype was found, so the argument count cannot be checked',
  },
  {
    code: 'unused-marker-type',
    severity: 'error',
    severityNote: 'error, or warning for plain `char` (unsigned on some hosts)',
    summary: "the MIPS o32 argument table's element type cannot hold the unused marker (`-1` in a `uint8_t` is 255)",
  },
  {
    code: 'unused-marker-undefined',
    severity: 'error',
    summary: '`MIPS_SYSCALL_NUMBER_UNUSED` is used by the table or its test but not defined before the table',
  },
  {
    code: 'syscall-bound',
    severity: 'error',
    severityNote: 'error for a MIPS table read past its end, warning for an ARM bound that differs from the kernel',
    summary: "a bound before a syscall table or ARM's private calls differs from what the table or the kernel needs",
  },
  {
    code: 'arg-fetch',
    severity: 'error',
    summary: "MIPS o32 stack arguments fetched from the wrong slot, or fewer than the table's rows need",
  },
  {
    code: 'private-syscall-missing',
    severity: 'warning',
    summary: "an ARM private syscall the kernel's arm_syscall() handles has no case in QEMU's cpu loop",
  },
  {
    code: 'private-syscall-return',
    severity: 'warning',
    summary: 'an ARM private-syscall case never sets r0 where the kernel returns a value',
  },
  {
    code: 'nr-mismatch',
    severity: 'error',
    summary: 'a `TARGET_NR_x` number differs from the `.tbl` (or the catalogue)',
  },
  {
    code: 'tbl-drift',
    severity: 'warning',
    summary: "a `.tbl` copy differs from the kernel's (lines added, removed or renumbered)",
  },
  {
    code: 'copy-drift',
    severity: 'warning',
    summary: "a kernel tree's tools/ copy of a unistd header differs from its original (numbers, names, switches)",
  },
  {
    code: 'ptrace-mismatch',
    severity: 'warning',
    summary: "a ptrace request User-mode Linux defines itself has another value than the kernel's uapi header",
  },
  {
    code: 'ptrace-redefined',
    severity: 'warning',
    summary: 'one ptrace constant is defined with two values in the headers one User-mode Linux build sees',
  },
  {
    code: 'not-dispatched',
    severity: 'information',
    summary: "a syscall a target's table defines has no `case` in `linux-user/syscall.c`",
  },
  {
    code: 'dead-case',
    severity: 'warning',
    formerly: 'name-mismatch',
    summary: 'a `case TARGET_NR_x:` in `syscall.c` that no target defines: dead code, often a misspelt name',
  },
  {
    code: 'strace-format-args',
    severity: 'warning',
    summary: "a `strace.list` format's conversions differ from the prototype's parameter count",
  },
  {
    code: 'case-fallthrough',
    severity: 'error',
    summary: "a syscall's `case` runs on into the next syscall's code without `break` or `return`",
  },
  {
    code: 'unaligned-pair',
    severity: 'error',
    summary: 'a `syscall.c` case reads a 64-bit argument from other words than an ABI that aligns pairs passes it in',
  },
  {
    code: 'not-traced',
    severity: 'information',
    summary: 'a syscall the emulator defines has no `strace.list` row, so `-strace` prints raw words for it',
  },
  {
    code: 'register-mismatch',
    severity: 'error',
    summary:
      "a wrapper reads a 64-bit argument's halves from other registers than the kernel on that ABI (the alignment pad ignored)",
  },
  {
    code: 'not-in-kernel',
    severity: 'information',
    summary: 'a syscall a table names that the kernel does not have on that ABI, at any number',
  },
  {
    code: 'dead-row',
    severity: 'information',
    severityNote: 'information, warning for a misspelt row, error for one no `#ifdef` guards',
    summary: 'a `strace.list` row for a syscall no target defines: no build compiles it',
  },
  {
    code: 'row-misnumbered',
    severity: 'error',
    summary:
      'an ARM `calls.S` row sits at another number than `unistd.h` (or its `/* N */` markers) give its syscall: rows inserted or removed without renumbering, or a wrong number in `unistd.h`',
  },
  {
    code: 'marker-mismatch',
    severity: 'warning',
    summary: "a `/* N */` marker in ARM's `calls.S` is not the number of the row it stands on",
  },
  {
    code: 'unnumbered-row',
    severity: 'warning',
    summary: 'an ARM `calls.S` row that `unistd.h` gives no `__NR_` number: user space cannot name the syscall',
  },
  {
    code: 'table-size',
    severity: 'error',
    summary: "ARM's `calls.S` holds more or fewer rows than `NR_syscalls` / `__NR_syscalls` say",
  },
  {
    code: 'config-in-uapi',
    severity: 'warning',
    summary:
      'a syscall number defined under a `CONFIG_` test in a header user space sees, where no `CONFIG_` symbol is ever defined',
  },
  {
    code: 'eabi-obsolete-mismatch',
    severity: 'warning',
    summary: "an `OBSOLETE()` row of ARM's `calls.S` and the EABI `#undef` list of `unistd.h` disagree",
  },
  {
    code: 'uml-override',
    severity: 'information',
    summary: "a `#define` in UML's table file replaces a host `.tbl` entry (`sys_iopl` by `sys_ni_syscall`: ENOSYS)",
  },
  {
    code: 'uml-enosys',
    severity: 'information',
    summary: 'a host `.tbl` entry nothing UML builds defines: the weak `COND_SYSCALL` alias gives the guest ENOSYS',
  },
  {
    code: 'uml-unlinkable',
    severity: 'error',
    summary:
      "a host `.tbl` entry UML's link cannot resolve (a pt_regs wrapper name like `__x64_sys_x`, or nothing defines it)",
  },
  {
    code: 'uml-stale',
    severity: 'warning',
    summary: "an override in UML's table file for an entry no `.tbl` line names, or a UML declaration nothing defines",
  },
  { code: 'malformed-line', severity: 'error', summary: 'a line or row that cannot be read' },
  {
    code: 'not-checked',
    severity: 'information',
    summary: 'a recognised table that could not be compared: the message says what is missing and how to supply it',
  },
  {
    code: 'file-too-large',
    severity: 'warning',
    formerly: 'malformed-line',
    summary: 'the file is larger than systab reads (8 MB), so it was not checked',
  },
  {
    code: 'parse-timeout',
    severity: 'warning',
    formerly: 'malformed-line',
    summary: 'the file could not be parsed within the time budget, so it was not checked',
  },
] as const satisfies readonly CodeInfo[];

export type Code = (typeof CODE_INFO)[number]['code'];

export const CODES: readonly Code[] = CODE_INFO.map(c => c.code);

export const codeInfo = (code: string): CodeInfo | undefined =>
  (CODE_INFO as readonly CodeInfo[]).find(c => c.code === code);

/** The codes a severity setting for `key` reaches: the code itself and those split from it. */
export const codesSetBy = (key: string): Code[] =>
  (CODE_INFO as readonly CodeInfo[]).filter(c => c.code === key || c.formerly === key).map(c => c.code as Code);
