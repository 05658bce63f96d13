// VS Code side of systab: starts the language server, shows its state in the
// status bar and exposes a handful of commands. All analysis happens in the
// server (server/src); this file only wires things together.

import * as vscode from 'vscode';
import { Coverage, showCoverage } from './coverageView';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../../protocol/runtime';
import {
  COVERAGE_REQUEST,
  SERVER_COMMANDS,
  StatusParams,
  STATUS_NOTIFICATION,
  SystabSettings,
} from '../../protocol/protocol';
import { DOCUMENT_SELECTOR } from '../../protocol/documents';
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  NotificationType,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

const statusNotification = new NotificationType<StatusParams>(STATUS_NOTIFICATION);

/** Commands the server implements (workspace/executeCommand). */
const SERVER_REGENERATE = SERVER_COMMANDS.regenerateTable;
const SERVER_FIX_ALL = SERVER_COMMANDS.fixAll;

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
let statusItem: vscode.StatusBarItem | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('systab', { log: true });
  context.subscriptions.push(output);

  statusItem = vscode.window.createStatusBarItem('systab.status', vscode.StatusBarAlignment.Left, 10);
  statusItem.name = 'systab';
  statusItem.command = 'workbench.actions.view.problems';
  setStatus('$(sync~spin) systab: starting', 'The systab language server is starting.');
  statusItem.show();
  context.subscriptions.push(statusItem);

  context.subscriptions.push(
    vscode.commands.registerCommand('systab.regenerateTable', (arg?: unknown) =>
      runServerCommand(SERVER_REGENERATE, arg, 'Regenerate table'),
    ),
    vscode.commands.registerCommand('systab.fixAll', (arg?: unknown) =>
      runServerCommand(SERVER_FIX_ALL, arg, 'Fix all problems'),
    ),
    vscode.commands.registerCommand('systab.showOutput', () => output?.show(true)),
    vscode.commands.registerCommand('systab.showCoverage', async () => {
      const where =
        vscode.window.activeTextEditor?.document.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
      if (!client) {
        void vscode.window.showWarningMessage('systab: the language server is not running');
        return;
      }
      const c = client;
      await showCoverage(p => c.sendRequest<Coverage | { error: string }>(COVERAGE_REQUEST, { path: p }), where);
    }),
    vscode.commands.registerCommand('systab.restartServer', () => restartServer(context)),
  );

  await startClient(context);
}

export async function deactivate(): Promise<void> {
  const current = client;
  client = undefined;
  if (current && current.needsStop()) {
    await current.stop();
  }
}

// ---------------------------------------------------------------------------
// Client lifecycle

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  // The server keeps its code cache there too (read before initialize, hence an argument).
  const args = [`--storage-path=${context.globalStorageUri.fsPath}`];
  const serverOptions: ServerOptions = {
    run: {
      module: serverModule,
      transport: TransportKind.ipc,
      args,
      options: { execArgv: SERVER_NODE_FLAGS, env: SERVER_ENV },
    },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      args,
      options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'], env: SERVER_ENV },
    },
  };

  const clientOptions: LanguageClientOptions = {
    // Generated from the server's family registry (npm run gen).
    documentSelector: DOCUMENT_SELECTOR.map(d => ({ scheme: 'file', ...d })),
    synchronize: { configurationSection: 'systab' },
    // A function, so that a restart hands the server the current settings.
    // The storage path is where the server may cache a kernel index (nowhere else).
    initializationOptions: () => ({ ...readSettings(), storagePath: context.globalStorageUri.fsPath }),
    outputChannel: output,
  };

  // The id 'systab' makes the client honour the `systab.trace.server` setting.
  const created = new LanguageClient('systab', 'systab', serverOptions, clientOptions);

  created.onNotification(statusNotification, params => showServerStatus(params));
  created.onDidChangeState(event => {
    switch (event.newState) {
      case State.Starting:
        setStatus('$(sync~spin) systab: starting', 'The systab language server is starting.');
        break;
      case State.Stopped:
        setStatus(
          '$(circle-slash) systab: stopped',
          'The systab language server is not running. Use "systab: Restart server" to start it again.',
        );
        break;
      case State.Running:
        // The server follows up with systab/status; nothing to show until then.
        break;
    }
  });
  return created;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  try {
    client = createClient(context);
    await client.start();
  } catch (error) {
    const message = errorText(error);
    output?.error(`systab: the language server could not be started: ${message}`);
    setStatus('$(error) systab: not running', `The language server could not be started: ${message}`, true);
    void vscode.window.showErrorMessage(`systab: the language server could not be started: ${message}`);
  }
}

async function restartServer(context: vscode.ExtensionContext): Promise<void> {
  const current = client;
  if (current && current.state === State.Starting) {
    void vscode.window.showInformationMessage('systab: the language server is still starting.');
    return;
  }
  if (current && current.state === State.Running) {
    try {
      await current.restart();
      return;
    } catch (error) {
      output?.error(`systab: restart failed: ${errorText(error)}`);
    }
  }
  // Not running (never started, start failed, crashed too often) or the
  // restart above failed: throw the old client away and begin afresh.
  client = undefined;
  if (current) {
    await current.dispose().catch(() => undefined);
  }
  await startClient(context);
}

// ---------------------------------------------------------------------------
// Commands forwarded to the server

async function runServerCommand(command: string, arg: unknown, label: string): Promise<void> {
  const uri = targetUri(arg);
  if (!uri) {
    void vscode.window.showWarningMessage(`systab: ${label} needs an open file.`);
    return;
  }
  const current = client;
  if (!current || current.state !== State.Running) {
    void vscode.window.showWarningMessage('systab: the language server is not running.');
    return;
  }
  try {
    // The server edits the document itself through workspace/applyEdit.
    await current.sendRequest(ExecuteCommandRequest.type, {
      command,
      arguments: [current.code2ProtocolConverter.asUri(uri)],
    });
  } catch (error) {
    const message = errorText(error);
    output?.error(`systab: ${label} failed: ${message}`);
    void vscode.window.showErrorMessage(`systab: ${label} failed: ${message}`);
  }
}

/** The file a command applies to: an explicit Uri (explorer, editor title) or the active editor's. */
function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) {
    return arg;
  }
  return vscode.window.activeTextEditor?.document.uri;
}

// ---------------------------------------------------------------------------
// Status bar

function showServerStatus(params: StatusParams): void {
  // The tooltip always says which kernel the findings come from.
  const tip = (fallback: string) =>
    (params.message ?? fallback) + (params.reference ? `\n\nChecking against ${params.reference}.` : '');
  switch (params.state) {
    case 'indexing': {
      const percent =
        typeof params.percent === 'number' && Number.isFinite(params.percent)
          ? ` ${Math.max(0, Math.min(100, Math.round(params.percent)))}%`
          : '';
      setStatus(`$(sync~spin) systab: indexing${percent}`, tip('Reading kernel and emulator tables.'));
      break;
    }
    case 'ready': {
      // Ready, with the error findings of the open files counted.
      const count = typeof params.errors === 'number' ? params.errors : 0;
      if (count > 0)
        setStatus(
          `$(error) systab: ${count} ${count === 1 ? 'error' : 'errors'}`,
          tip('systab found errors. Click to open the Problems view.'),
          true,
        );
      else setStatus('$(check) systab', tip('systab is ready. Click to open the Problems view.'));
      break;
    }
    case 'error': {
      const count = typeof params.errors === 'number' ? params.errors : undefined;
      const text =
        count === undefined ? '$(error) systab' : `$(error) systab: ${count} ${count === 1 ? 'error' : 'errors'}`;
      setStatus(text, tip('systab found errors. Click to open the Problems view.'), true);
      break;
    }
    default:
      output?.warn(`systab: unknown status ${JSON.stringify(params)}`);
  }
}

function setStatus(text: string, tooltip: string, isError = false): void {
  if (!statusItem) {
    return;
  }
  statusItem.text = text;
  statusItem.tooltip = tooltip;
  statusItem.backgroundColor = isError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
}

// ---------------------------------------------------------------------------
// Helpers

function userSeverities(config: vscode.WorkspaceConfiguration): Record<string, string> {
  const i = config.inspect<Record<string, string>>('severity');
  return { ...i?.globalValue, ...i?.workspaceValue, ...i?.workspaceFolderValue };
}

/** The `systab` settings as a plain, serialisable object. */
function readSettings(): SystabSettings {
  const config = vscode.workspace.getConfiguration('systab');
  return {
    kernelPath: config.get<string>('kernelPath', ''),
    freebsdPath: config.get<string>('freebsdPath', ''),
    // Only what the user set: the manifest's defaults document the engine's own choices,
    // and sending them would override its context-dependent severities.
    severity: userSeverities(config),
    ignore: config.get<SystabSettings['ignore']>('ignore', []).map(entry => ({ ...entry })),
    logLevel: config.get<string>('logLevel', 'info'),
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}
