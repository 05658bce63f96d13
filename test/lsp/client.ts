// A minimal LSP client for the tests: starts the real server over stdio and speaks JSON-RPC.
import { ChildProcess, spawn } from 'child_process';
import {
  createProtocolConnection,
  ProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../../protocol/runtime';
import { SERVER } from '../helpers/paths';

export interface TestClient {
  conn: ProtocolConnection;
  proc: ChildProcess;
  diagnostics: Map<string, PublishDiagnosticsParams[]>;
  status: unknown[];
  applied: unknown[];
  /** Resolve with the first diagnostics for `uri` that satisfy `ok`. */
  waitDiagnostics(
    uri: string,
    ok: (p: PublishDiagnosticsParams) => boolean,
    ms?: number,
  ): Promise<PublishDiagnosticsParams>;
  stop(): Promise<void>;
}

/** What a client answers the server: edits applied, progress accepted, settings given. */
export function answerServerRequests(conn: ProtocolConnection, settings: object, applied: unknown[] = []): void {
  conn.onRequest('workspace/applyEdit', (p: unknown) => {
    applied.push(p);
    return { applied: true };
  });
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/configuration', () => [settings]);
  conn.onNotification('$/progress', () => undefined);
}

export async function startServer(
  initializationOptions: object,
  args = ['--stdio'],
  env: Record<string, string> = {},
): Promise<TestClient> {
  // Started as the VS Code client starts it: its Node flags and environment.
  const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...SERVER_ENV, ...env },
  });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  const waiters: {
    uri: string;
    ok: (p: PublishDiagnosticsParams) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
  }[] = [];
  const status: unknown[] = [];
  const applied: unknown[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, [...(diagnostics.get(p.uri) ?? []), p]);
    for (const w of [...waiters])
      if (w.uri === p.uri && w.ok(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
  });
  conn.onNotification('systab/status', (p: unknown) => {
    status.push(p);
  });
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('window/showMessage', () => undefined);
  answerServerRequests(conn, initializationOptions, applied);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    initializationOptions,
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, applyEdit: true } },
  });
  await conn.sendNotification('initialized', {});
  return {
    conn,
    proc,
    diagnostics,
    status,
    applied,
    waitDiagnostics(uri, ok, ms = 20000) {
      const seen = (diagnostics.get(uri) ?? []).find(ok);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} in ${ms} ms`)), ms);
        waiters.push({
          uri,
          ok,
          resolve: p => {
            clearTimeout(timer);
            resolve(p);
          },
        });
      });
    },
    async stop() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } catch {
        /* already gone */
      }
      conn.dispose();
      proc.kill();
    },
  };
}
