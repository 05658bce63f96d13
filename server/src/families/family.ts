// What a table family is: the files it claims, the model it reads from them, its rules,
// and what it offers under the cursor. The analysis, the LSP server and the CLI see
// families only through this interface and the registry (registry.ts).
import type { Code } from '../core/codes';
import type { Config } from '../core/config';
import type { Reader } from '../core/reader';
import type { Finding, Location, Position, Range, TextEdit } from '../core/types';
import type { FreeBsdReference } from '../reference/freebsd/reference';
import type { KernelReference } from '../reference/reference';
import type { CParse } from '../syntax/c/parse';
import type { Parser } from '../syntax/c/parser';

/** Everything a family may consult besides the document: other files, the kernel, settings. */
export interface Workspace extends Reader {
  /** For checks that need another C file parsed (syscall.c's case labels). */
  parser?: Parser;
  /** The kernel the tables are checked against. */
  kernel?: KernelReference;
  /** FreeBSD's syscalls.master, for QEMU bsd-user's tables and syscalls.master itself. */
  freebsd?: FreeBsdReference;
  config: Config;
}

/** The document a family analyses. */
export interface Doc {
  file: string;
  text: string;
  /** The tree-sitter parse (families with `syntax: 'c'`); undefined when it ran out of time. */
  c?: () => CParse | undefined;
}

export interface FamilyResult<M> {
  /** Undefined when the file turned out not to hold this family's table after all. */
  model?: M;
  findings: Finding[];
}

/** One check: a module of its own, whose `about` is its documentation. */
export interface Rule<C> {
  /** The codes it reports (their default severities and summaries are in core/codes). */
  codes: readonly Code[];
  /** One paragraph: what it checks, why it matters, what its fix does. */
  about: string;
  run(ctx: C): Finding[];
}

export interface Hover {
  markdown: string;
  range: Range;
}

export interface Lens {
  line: number;
  title: string;
  command: string;
  arguments?: unknown[];
}

export interface Regenerated {
  edit: TextEdit;
  /** Said on standard error by `systab regen` (e.g. counts kept for want of a prototype). */
  notes: string[];
}

/** A glob the editor hands to the server, and the language the extension gives such files. */
export interface DocumentPattern {
  pattern?: string;
  language?: 'c' | 'systab-tbl' | 'systab-master';
}

export interface Family<M = unknown> {
  /** `<project>/<table>`, e.g. `qemu/o32`: its folder under families/. */
  id: string;
  /** One line for docs and logs. */
  title: string;
  /** The files the editor must send to the server for this family. */
  documents: DocumentPattern[];
  /** A C family: `analyze` gets a tree-sitter parse of the document. */
  syntax?: 'c';
  /** Text to parse around a document that is not whole C (a bare row list); absent for whole C. */
  wrap?(file: string, text: string): { prefix: string; suffix: string } | undefined;
  /** Does this family read the file? Path first, then content if needed; cheap. */
  claims(file: string, text: string): boolean;
  /** The files `check DIR` opens for this family, by known paths from DIR: never a walk. */
  locate?(dir: string, io: Reader): string[];
  analyze(doc: Doc, ws: Workspace): FamilyResult<M>;
  hover?(model: M, pos: Position, ws: Workspace): Hover | undefined;
  /** The syscall under the cursor and its evidence: `.tbl` lines, kernel definitions. */
  definition?(model: M, pos: Position, ws: Workspace): Location[];
  lenses?(model: M, findings: Finding[]): Lens[];
  regenerate?(model: M, ws: Workspace): Regenerated | undefined;
  /** The rules it runs, for docs and the architecture test. */
  rules: readonly Rule<never>[];
}
