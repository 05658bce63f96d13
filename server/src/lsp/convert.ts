// Engine findings and edits as LSP values.
import { URI } from 'vscode-uri';
import {
  CodeAction,
  CodeActionKind,
  Diagnostic,
  DiagnosticSeverity,
  TextEdit as LspEdit,
} from 'vscode-languageserver/node';
import { Finding, Fix, Severity, TextEdit } from '../core/types';

export const fileToUri = (f: string) => URI.file(f).toString();
export const uriToFile = (u: string) => URI.parse(u).fsPath;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'systab',
    message: f.message,
    relatedInformation: f.related.map(r => ({
      location: { uri: fileToUri(r.location.file), range: r.location.range },
      message: r.message,
    })),
  };
}

export const toEdits = (edits: TextEdit[]): LspEdit[] => edits.map(e => ({ range: e.range, newText: e.newText }));

export function toCodeAction(uri: string, f: Finding, fix: Fix): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [toDiagnostic(f)],
    isPreferred: fix.preferred,
    edit: { changes: { [uri]: toEdits(fix.edits) } },
  };
}
