// Applying edits to text, and merging every finding's preferred fix into one "fix all".
import { lineMap, offsetAt, positionAt } from './text';
import { Finding, TextEdit } from './types';

interface Resolved { start: number; end: number; text: string; order: number }

function resolve(text: string, edits: TextEdit[]): Resolved[] {
  const map = lineMap(text);
  return edits.map(e => ({ start: offsetAt(map, e.range.start), end: offsetAt(map, e.range.end), text: e.newText, order: e.order ?? 0 }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
}

/** Apply edits (non-overlapping after dropping exact duplicates and later overlaps). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = '', at = 0;
  for (const e of dedupe(resolve(text, edits))) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

function dedupe(edits: Resolved[]): Resolved[] {
  const out: Resolved[] = [];
  const seen = new Set<string>();
  let lastEnd = -1;
  for (const e of edits) {
    const key = `${e.start}:${e.end}:${e.text}`;
    if (seen.has(key)) continue;
    // An edit that overlaps one already taken would corrupt the text: skip it.
    if (e.start < lastEnd) continue;
    seen.add(key);
    out.push(e);
    lastEnd = Math.max(lastEnd, e.end);
  }
  return out;
}

/** The preferred edits of every finding, ready to apply together. */
export function fixAllEdits(findings: Finding[]): TextEdit[] {
  return findings.flatMap(f => f.fixes.filter(x => x.preferred).flatMap(x => x.edits));
}

/** Edits sorted, duplicates and overlaps removed: safe to send to an editor as one change. */
export function normalizeEdits(text: string, edits: TextEdit[]): TextEdit[] {
  const map = lineMap(text);
  return dedupe(resolve(text, edits)).map(e => ({
    range: { start: positionAt(map, e.start), end: positionAt(map, e.end) }, newText: e.text,
  }));
}
