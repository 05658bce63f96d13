// An LSP client for the reliability tests: test/lsp/client.ts extended with what those
// tests need to watch: the server's stderr, its window/logMessage and showMessage
// notifications, its exit, a custom environment, and requests bounded in time.
import { ChildProcess, spawn } from 'child_process';
import {
  createProtocolConnection,
  ProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { SERVER } from '../helpers/paths';
import { answerServerRequests } from '../lsp/client';

export interface LogLine {
  type: number;
  message: string;
}

export interface ReliabilityClient {
  conn: ProtocolConnection;
  proc: ChildProcess;
  diagnostics: Map<string, PublishDiagnosticsParams[]>;
  status: { state?: string; message?: string }[];
  applied: unknown[];
  /** window/logMessage notifications, in order. */
  logs: LogLine[];
  /** window/showMessage notifications, in order. */
  shown: LogLine[];
  /** Everything the server wrote to stderr. */
  stderr(): string;
  /** The process has neither exited nor been killed. */
  alive(): boolean;
  /** Resolve with the first diagnostics for `uri` that satisfy `ok`. */
  waitDiagnostics(
    uri: string,
    ok: (p: PublishDiagnosticsParams) => boolean,
    ms?: number,
  ): Promise<PublishDiagnosticsParams>;
  /** Resolve once a systab/status notification satisfies `ok`. */
  waitStatus(ok: (s: { state?: string; message?: string }) => boolean, ms?: number): Promise<void>;
  /** A request that must be answered within `ms`, or the promise rejects. */
  request<T>(method: string, params: unknown, ms?: number): Promise<T>;
  /** Log lines and stderr text that report a crash inside the server. */
  crashes(): string[];
  stop(): Promise<void>;
  /** For a server that may be stuck: stop reading it and SIGKILL it. */
  kill(): void;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  args?: string[];
}

/** Lines that mean the server hit an error it did not expect. */
export const CRASH_RE =
  /unhandled rejection|uncaught exception|UnhandledPromiseRejection|checking .* failed:|RangeError|TypeError|Maximum call stack/i;

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    }),
  ]);
}

export async function startReliabilityServer(
  initializationOptions: object,
  opts: StartOptions = {},
): Promise<ReliabilityClient> {
  const proc = spawn(process.execPath, [SERVER, ...(opts.args ?? ['--stdio'])], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
  });
  let stderr = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (d: string) => {
    stderr += d;
  });
  // A write to a server that died must fail the test by its assertions, not crash the runner.
  proc.stdin!.on('error', () => undefined);
  let exited = false;
  proc.on('exit', () => {
    exited = true;
  });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  conn.onError(() => undefined);
  const diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  const waiters: {
    uri: string;
    ok: (p: PublishDiagnosticsParams) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
  }[] = [];
  const statusWaiters: { ok: (s: { state?: string; message?: string }) => boolean; resolve: () => void }[] = [];
  const status: { state?: string; message?: string }[] = [];
  const applied: unknown[] = [];
  const logs: LogLine[] = [];
  const shown: LogLine[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, [...(diagnostics.get(p.uri) ?? []), p]);
    for (const w of [...waiters])
      if (w.uri === p.uri && w.ok(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
  });
  conn.onNotification('systab/status', (p: { state?: string; message?: string }) => {
    status.push(p);
    for (const w of [...statusWaiters])
      if (w.ok(p)) {
        statusWaiters.splice(statusWaiters.indexOf(w), 1);
        w.resolve();
      }
  });
  conn.onNotification('window/logMessage', (p: LogLine) => {
    logs.push(p);
  });
  conn.onNotification('window/showMessage', (p: LogLine) => {
    shown.push(p);
  });
  conn.onRequest('window/showMessageRequest', (p: LogLine) => {
    shown.push(p);
    return null;
  });
  answerServerRequests(conn, initializationOptions, applied);
  conn.listen();
  await withTimeout(
    conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      initializationOptions,
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, applyEdit: true } },
    }),
    10000,
    'initialize',
  );
  await conn.sendNotification('initialized', {});
  const client: ReliabilityClient = {
    conn,
    proc,
    diagnostics,
    status,
    applied,
    logs,
    shown,
    stderr: () => stderr,
    alive: () => !exited && proc.exitCode === null && proc.signalCode === null,
    waitDiagnostics(uri, ok, ms = 10000) {
      const seen = (diagnostics.get(uri) ?? []).find(ok);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(
            waiters.findIndex(w => w.resolve === done),
            1,
          );
          reject(new Error(`no matching diagnostics for ${uri} in ${ms} ms`));
        }, ms);
        const done = (p: PublishDiagnosticsParams) => {
          clearTimeout(timer);
          resolve(p);
        };
        waiters.push({ uri, ok, resolve: done });
      });
    },
    waitStatus(ok, ms = 10000) {
      if (status.some(ok)) return Promise.resolve();
      return withTimeout(new Promise<void>(resolve => statusWaiters.push({ ok, resolve })), ms, 'systab/status');
    },
    request<T>(method: string, params: unknown, ms = 5000) {
      return withTimeout(conn.sendRequest(method, params) as Promise<T>, ms, method);
    },
    crashes() {
      return [...logs.map(l => l.message), ...stderr.split('\n')].filter(l => CRASH_RE.test(l));
    },
    kill() {
      // Whatever the server is still writing (it may be hundreds of megabytes) is not read.
      proc.stdout!.removeAllListeners('data');
      proc.stdout!.destroy();
      proc.stderr!.destroy();
      proc.stdin!.destroy();
      proc.kill('SIGKILL');
      conn.dispose();
    },
    async stop() {
      try {
        await withTimeout(conn.sendRequest('shutdown'), 3000, 'shutdown');
        await conn.sendNotification('exit');
      } catch {
        /* already gone */
      }
      conn.dispose();
      if (!exited) {
        await new Promise<void>(resolve => {
          const t = setTimeout(() => {
            proc.kill();
            resolve();
          }, 1000);
          proc.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
  };
  return client;
}
