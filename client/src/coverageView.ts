// "systab: Show syscall coverage": a webview with one row per target and ABI, a bar chart,
// and per-target lists of what is missing, each linking to where it would go.
import * as vscode from 'vscode';

import type { Coverage } from '../../protocol/protocol';
import { coverageHtml } from './coverageHtml';

export type { Coverage };

/** Open (or refresh) the coverage panel for the QEMU tree around `path`. */
export async function showCoverage(
  fetch: (path: string) => Promise<Coverage | { error: string }>,
  path: string,
): Promise<void> {
  const result = await fetch(path);
  if ('error' in result) {
    void vscode.window.showWarningMessage(`systab: ${result.error}`);
    return;
  }
  if (!result.targets.length && !result.bsd?.length) {
    void vscode.window.showWarningMessage(
      `systab: no linux-user or bsd-user targets in ${result.root} (it has no configs/targets/*-linux-user.mak or *-bsd-user.mak)`,
    );
    return;
  }
  const panel = vscode.window.createWebviewPanel('systab.coverage', 'Syscall coverage', vscode.ViewColumn.Active, {
    enableScripts: true,
  });
  const nonce = Array.from({ length: 16 }, () => Math.floor(Math.random() * 36).toString(36)).join('');
  panel.webview.html = coverageHtml(result, nonce);
  panel.webview.onDidReceiveMessage(async (m: { file: string; line: number }) => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(m.file));
    const pos = new vscode.Position(m.line, 0);
    await vscode.window.showTextDocument(doc, {
      selection: new vscode.Range(pos, pos),
      viewColumn: vscode.ViewColumn.One,
    });
  });
}
