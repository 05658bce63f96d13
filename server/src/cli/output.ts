// What `check` prints: findings sorted by file and position, chosen by code and severity,
// paths as the user gave them, and a summary of what was found and what was held back.
import * as path from 'path';
import { Finding, Severity } from '../core/types';
import type { MinSeverity } from './args';

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * Paths relative to the current directory when under it, else absolute; all absolute when
 * the user named an absolute path (never `../../..`).
 */
export function pathDisplay(given: string[]): (file: string) => string {
  const cwd = process.cwd();
  const absolute = given.some(p => path.isAbsolute(p));
  return file => {
    if (absolute) return file;
    const rel = path.relative(cwd, file);
    return !rel ? file : rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
  };
}

export const byPosition = (a: Finding, b: Finding) =>
  a.file.localeCompare(b.file) ||
  a.range.start.line - b.range.start.line ||
  a.range.start.character - b.range.start.character ||
  RANK[a.severity] - RANK[b.severity] ||
  a.code.localeCompare(b.code);

/** --only and --skip. */
export function byCode(findings: Finding[], only?: string[], skip?: string[]): Finding[] {
  return findings.filter(f => (!only || only.includes(f.code)) && !(skip ?? []).includes(f.code));
}

export const atLeast = (f: Finding, min: MinSeverity) => RANK[f.severity] <= RANK[min];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `4 errors, 149 warnings, 1025 notes in 17 files`. */
export function summary(findings: Finding[], filesRead: number): string {
  const n = (s: Severity[]) => findings.filter(f => s.includes(f.severity)).length;
  const files = new Set(findings.map(f => f.file)).size;
  if (!findings.length) return `no findings in ${plural(filesRead, 'file')}`;
  return `${plural(n(['error']), 'error')}, ${plural(n(['warning']), 'warning')}, ${plural(n(['information', 'hint']), 'note')} in ${plural(files, 'file')} (of ${filesRead} read)`;
}

export function textLines(findings: Finding[], show: (f: string) => string): string {
  return findings
    .map(
      f =>
        `${show(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity}: ${f.message} [${f.code}]\n`,
    )
    .join('');
}

export function jsonText(findings: Finding[], show: (f: string) => string): string {
  const out = findings.map(f => ({
    file: show(f.file),
    range: f.range,
    severity: f.severity,
    code: f.code,
    message: f.message,
    related: f.related.map(r => ({ file: show(r.location.file), range: r.location.range, message: r.message })),
  }));
  return JSON.stringify(out, null, 2) + '\n';
}
