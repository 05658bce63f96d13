// One document in, its findings out: every family that claims the file reads it and runs
// its rules; their findings are merged and shaped by the user's settings.
import { applyConfig } from '../core/config';
import { MAX_TEXT } from '../core/text';
import { Finding, range } from '../core/types';
import type { Doc, Family, Workspace } from '../families/family';
import { FAMILIES } from '../families/registry';
import { CParse, PARSE_BUDGET_MS } from '../syntax/c/parse';

export type { Workspace } from '../families/family';
export { parseC } from '../syntax/c/parse';
export type { CParse } from '../syntax/c/parse';

export { MAX_TEXT } from '../core/text';

export interface Part<M = unknown> {
  family: Family<M>;
  model: M;
}

export interface Analysis {
  file: string;
  findings: Finding[];
  /** What each family that recognised the file read from it. */
  parts: Part[];
}

export const partsOf = (a: Analysis) => a.parts;

/** The model a family read from the file, if it recognised it. */
export function modelOf<M>(a: Analysis, family: Family<M>): M | undefined {
  return a.parts.find(p => p.family === family)?.model as M | undefined;
}

/** The finding for a file tree-sitter could not parse within the budget. */
export function unparsable(file: string): Finding {
  return {
    file,
    range: range(0, 0, 0, 0),
    severity: 'warning',
    code: 'parse-timeout',
    related: [],
    fixes: [],
    message: `this file could not be parsed within ${PARSE_BUDGET_MS / 1000} s (a pathological line, such as thousands of tokens with no punctuation?); it was not checked`,
  };
}

/** The finding for a file too large to read. */
export function tooLarge(file: string, size: number): Finding {
  const mb = (size / (1 << 20)).toFixed(1);
  return {
    file,
    range: range(0, 0, 0, 0),
    severity: 'warning',
    code: 'file-too-large',
    message: `this file is ${mb} MB, more than systab reads (${MAX_TEXT >> 20} MB); it was not checked`,
    related: [],
    fixes: [],
  };
}

// The last answer, per file: the LSP asks twice per edit (for the parse, then the analysis).
const claimed = new Map<string, { text: string; families: Family[] }>();

/** The families that read this file. */
export function familiesOf(file: string, text: string): Family[] {
  const hit = claimed.get(file);
  if (hit && hit.text === text) return hit.families;
  const families = FAMILIES.filter(f => f.claims(file, text));
  claimed.delete(file); // re-inserted last: the map keeps the most recent files only
  claimed.set(file, { text, families });
  if (claimed.size > 64) claimed.delete(claimed.keys().next().value!);
  return families;
}

/** Whether the file needs a C parse, and inside which wrapper. */
export function cSyntaxOf(file: string, text: string): { wrap?: { prefix: string; suffix: string } } | undefined {
  const c = familiesOf(file, text).filter(f => f.syntax === 'c');
  if (!c.length) return undefined;
  return { wrap: c.map(f => f.wrap?.(file, text)).find(w => w) };
}

/**
 * Analyse one document. `parse` gives its tree-sitter parse (made once, shared by the
 * C families; undefined when it ran out of time).
 */
export function analyze(file: string, text: string, ws: Workspace, parse?: () => CParse | undefined): Analysis {
  const out: Analysis = { file, findings: [], parts: [] };
  if (text.length > MAX_TEXT) {
    out.findings.push(tooLarge(file, text.length));
    return out;
  }
  const families = familiesOf(file, text);
  let timedOut = false;
  for (const family of families) {
    const doc: Doc = { file, text };
    if (family.syntax === 'c') {
      doc.c = () => {
        const p = parse?.();
        if (parse && !p) timedOut = true;
        return p;
      };
    }
    const r = family.analyze(doc, ws);
    if (timedOut) break;
    if (r.model !== undefined) out.parts.push({ family, model: r.model });
    out.findings.push(...r.findings);
  }
  if (timedOut) return { file, findings: [unparsable(file)], parts: [] };
  out.findings = applyConfig(out.findings, ws.config);
  return out;
}
