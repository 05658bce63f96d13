// The coverage page: one row per linux-user target and ABI, one per bsd-user target, bar
// charts, and per-target lists of what is missing, each linking to where it would go.
// Plain HTML from the protocol's Coverage (no vscode here, so a test can render it).
import type { BsdTargetCoverage, Coverage, Missing, TargetCoverage } from '../../protocol/protocol';

const esc = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

function bar(value: number, of: number | undefined, cls: string): string {
  const pct = of ? Math.min(100, Math.round((100 * value) / of)) : 0;
  // The width is set by the page's script: the CSP allows no inline style attributes.
  return `<div class="bar ${cls}" title="${value}${of ? ` of ${of} (${pct}%)` : ''}"><span data-pct="${pct}"></span><em>${value}</em></div>`;
}

function links(title: string, xs: Missing[]): string {
  if (!xs.length) return '';
  const items = xs
    .map(x => `<a href="#" data-file="${esc(x.where.file)}" data-line="${x.where.line}">${esc(x.name)}</a>`)
    .join(' ');
  return `<details><summary>${esc(title)} (${xs.length})</summary><p>${items}</p></details>`;
}

function linuxTable(targets: TargetCoverage[]): string {
  if (!targets.length) return '';
  const max = Math.max(1, ...targets.map(t => t.kernel ?? t.qemu));
  const rows = targets
    .map(
      t => `<tr>
    <td><b>${esc(t.target)}</b><br><small>${esc(t.abi)} · ${esc(t.source)}</small></td>
    <td>${bar(t.kernel ?? 0, max, 'kernel')}</td><td>${bar(t.qemu, t.kernel ?? max, 'qemu')}</td>
    <td>${bar(t.dispatched, t.qemu, 'dispatch')}</td><td>${bar(t.traced, t.qemu, 'trace')}</td>
    <td>${links('in the kernel, not in the table', t.notInTable)}${links('not dispatched in syscall.c', t.notDispatched)}${links('not in strace.list', t.notTraced)}</td>
  </tr>`,
    )
    .join('');
  return `<h3>linux-user</h3>
<table id="linux-user"><thead><tr><th>target</th><th>kernel</th><th>QEMU table</th><th>dispatched</th><th>traced</th><th>missing</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function bsdTable(targets: BsdTargetCoverage[]): string {
  if (!targets.length) return '';
  const max = Math.max(1, ...targets.map(t => t.freebsd ?? t.qemu));
  const rows = targets
    .map(
      t => `<tr>
    <td><b>${esc(t.target)}</b><br><small>${esc(t.arch)} · bsd-user/freebsd/syscall_nr.h</small></td>
    <td>${bar(t.freebsd ?? 0, max, 'kernel')}</td><td>${bar(t.qemu, t.freebsd ?? max, 'qemu')}</td>
    <td>${bar(t.dispatched, t.qemu, 'dispatch')}</td><td>${bar(t.traced, t.qemu, 'trace')}</td>
    <td>${links('in FreeBSD, not in syscall_nr.h', t.notInHeader)}${links('not dispatched in os-syscall.c', t.notDispatched)}${links('not in strace.list', t.notTraced)}</td>
  </tr>`,
    )
    .join('');
  const reference = targets.some(t => t.freebsd !== undefined) ? '' : ' (no FreeBSD reference loaded)';
  return `<h3>bsd-user</h3>
<p><small>bars: FreeBSD's live syscalls${esc(reference)}, defined in bsd-user/freebsd/syscall_nr.h at FreeBSD's number, dispatched in os-syscall.c, printed by strace.list</small></p>
<table id="bsd-user"><thead><tr><th>target</th><th>FreeBSD</th><th>QEMU header</th><th>dispatched</th><th>traced</th><th>missing</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function coverageHtml(c: Coverage, nonce: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; vertical-align: top; border-bottom: 1px solid var(--vscode-panel-border); }
  small { color: var(--vscode-descriptionForeground); }
  .bar { position: relative; width: 160px; height: 16px; background: var(--vscode-editorWidget-background); border: 1px solid var(--vscode-panel-border); }
  .bar span { display: block; height: 100%; background: var(--vscode-charts-blue); } .bar.qemu span { background: var(--vscode-charts-green); }
  .bar.dispatch span { background: var(--vscode-charts-orange); } .bar.trace span { background: var(--vscode-charts-purple); }
  .bar em { position: absolute; left: 4px; top: 0; font-style: normal; font-size: 11px; line-height: 16px; }
  a { color: var(--vscode-textLink-foreground); margin-right: 6px; } summary { cursor: pointer; }
</style></head><body>
<h2 title="${esc(c.root)}">Syscall coverage of ${esc(c.root.split(/[\\/]/).filter(Boolean).pop() ?? c.root)}</h2>
${
  c.targets.length
    ? `<p><small>Kernel: ${c.kernel ? `Linux ${esc(c.kernel)}` : 'none loaded'} · bars: defined by the kernel, in QEMU's table, dispatched in syscall.c, printed by strace.list</small></p>`
    : ''
}
${linuxTable(c.targets)}
${bsdTable(c.bsd ?? [])}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const s of document.querySelectorAll('span[data-pct]')) s.style.width = s.dataset.pct + '%';
  document.addEventListener('click', e => { const a = e.target.closest('a[data-file]'); if (!a) return; e.preventDefault(); vscode.postMessage({ file: a.dataset.file, line: Number(a.dataset.line) }); });
</script></body></html>`;
}
