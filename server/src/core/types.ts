// Engine-wide data shapes. Positions are zero-based line/character (UTF-16), as in LSP,
// but the engine never imports LSP: front ends translate.

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface Location {
  file: string;
  range: Range;
}

import type { Code, Severity } from './codes';

export type { Code, Severity } from './codes';

export interface TextEdit {
  range: Range;
  newText: string;
  /** Orders several insertions at the same place (lower first). */
  order?: number;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Part of "fix all": the edit that resolves the finding with no choice to make. */
  preferred: boolean;
}

export interface Related {
  location: Location;
  message: string;
}

export interface Finding {
  file: string;
  range: Range;
  severity: Severity;
  code: Code;
  message: string;
  related: Related[];
  fixes: Fix[];
  /** The syscall the finding is about, for the ignore list and hover. */
  syscall?: string;
}

/** What a finding may carry besides its place and message. */
export interface FindingExtra {
  related?: Related[];
  fixes?: Fix[];
  syscall?: string;
}

/** A finding with no related information or fixes unless given. */
export function makeFinding(
  file: string,
  code: Code,
  severity: Severity,
  at: Range,
  message: string,
  extra: FindingExtra = {},
): Finding {
  return {
    file,
    range: at,
    severity,
    code,
    message,
    related: extra.related ?? [],
    fixes: extra.fixes ?? [],
    syscall: extra.syscall,
  };
}

export const range = (sl: number, sc: number, el: number, ec: number): Range => ({
  start: { line: sl, character: sc },
  end: { line: el, character: ec },
});
