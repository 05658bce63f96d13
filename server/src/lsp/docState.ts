// Open documents: text, version, and a tree-sitter tree kept up to date incrementally.
// Every replaced tree is deleted (WASM memory is not garbage-collected).
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { CParse, cSyntaxOf, parseC } from '../analysis/analyze';
import { Parser } from '../syntax/c/parser';

export interface DocState {
  uri: string;
  file: string;
  doc: TextDocument;
  parse?: CParse;
  /** The parse is behind the text (edits recorded, reparse pending). */
  stale: boolean;
}

type Point = { row: number; column: number };

function pointAfter(start: Point, text: string): Point {
  const lines = text.split('\n');
  return lines.length === 1
    ? { row: start.row, column: start.column + text.length }
    : { row: start.row + lines.length - 1, column: lines[lines.length - 1].length };
}

/** Apply content changes to the document and, as edits, to its tree. */
export function applyChanges(s: DocState, changes: TextDocumentContentChangeEvent[], version: number): void {
  for (const c of changes) {
    if ('range' in c && c.range && s.parse) {
      const prefix = s.parse.prefixLength;
      const start = s.doc.offsetAt(c.range.start);
      const oldEnd = s.doc.offsetAt(c.range.end);
      // Positions are in the parsed source, which has the wrapper on row 0 before the text.
      const pt = (p: { line: number; character: number }): Point => ({
        row: p.line,
        column: p.character + (p.line === 0 ? prefix : 0),
      });
      const startPoint = pt(c.range.start);
      const newEnd = pointAfter(startPoint, c.text);
      s.parse.tree.edit({
        startIndex: start + prefix,
        oldEndIndex: oldEnd + prefix,
        newEndIndex: start + prefix + c.text.length,
        startPosition: startPoint,
        oldEndPosition: pt(c.range.end),
        newEndPosition: newEnd,
      });
    } else if (s.parse) {
      // A whole-document replacement: start over.
      s.parse.tree.delete();
      s.parse = undefined;
    }
    s.doc = TextDocument.update(s.doc, [c], version);
  }
  s.stale = true;
}

/** The current parse of a C document, reparsing incrementally if edits are pending. */
export function currentParse(s: DocState, parser: Parser): CParse | undefined {
  const c = cSyntaxOf(s.file, s.doc.getText());
  if (!c) {
    if (s.parse) {
      s.parse.tree.delete();
      s.parse = undefined;
    }
    return undefined;
  }
  if (s.parse && !s.stale) return s.parse;
  const old = s.parse;
  const next = parseC(parser, s.doc.getText(), old, c.wrap);
  old?.tree.delete();
  s.parse = next;
  s.stale = false;
  return next;
}

export function closeDoc(s: DocState): void {
  s.parse?.tree.delete();
  s.parse = undefined;
}
