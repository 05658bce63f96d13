// Applying edits to text, and merging every finding's preferred fix into one "fix all".
import { lineMap, offsetAt, positionAt } from './text';
import { Finding, TextEdit } from './types';

interface Resolved {
  start: number;
  end: number;
  text: string;
  order: number;
}

function resolve(text: string, edits: TextEdit[]): Resolved[] {
  const map = lineMap(text);
  return edits
    .map(e => ({
      start: offsetAt(map, e.range.start),
      end: offsetAt(map, e.range.end),
      text: e.newText,
      order: e.order ?? 0,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
}

/** Apply edits (non-overlapping after dropping exact duplicates and later overlaps). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = '',
    at = 0;
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

/**
 * The preferred edits of every finding, ready to apply together. Two fixes that would
 * rewrite the same text differently (two rows under one `#ifdef`, each wanting it renamed
 * its way) are both left out: fix-all applies only what has one answer.
 */
export function fixAllEdits(findings: Finding[]): TextEdit[] {
  return fixAll(findings).edits;
}

/** fix-all's edits and the findings they resolve (what `systab fix` counts). */
export function fixAll(findings: Finding[]): { edits: TextEdit[]; fixed: Finding[] } {
  const fixes = findings.flatMap(f => f.fixes.filter(x => x.preferred).map(fix => ({ f, fix })));
  const key = (e: TextEdit) =>
    `${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character}`;
  const wants = new Map<string, Set<string>>();
  for (const e of fixes.flatMap(x => x.fix.edits)) {
    if (e.range.start.line === e.range.end.line && e.range.start.character === e.range.end.character) continue; // insertions combine
    const k = key(e);
    wants.set(k, (wants.get(k) ?? new Set()).add(e.newText));
  }
  const contested = new Set([...wants].filter(([, texts]) => texts.size > 1).map(([k]) => k));
  const kept = fixes.filter(x => !x.fix.edits.some(e => contested.has(key(e))));
  return { edits: kept.flatMap(x => x.fix.edits), fixed: [...new Set(kept.map(x => x.f))] };
}

/** Edits sorted, duplicates and overlaps removed: safe to send to an editor as one change. */
export function normalizeEdits(text: string, edits: TextEdit[]): TextEdit[] {
  const map = lineMap(text);
  return dedupe(resolve(text, edits)).map(e => ({
    range: { start: positionAt(map, e.start), end: positionAt(map, e.end) },
    newText: e.text,
  }));
}
