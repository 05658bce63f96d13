// The language server built in-process over a pair of in-memory streams, with a client
// that records what the server says: for tests that need no child process.
import { PassThrough } from 'stream';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { createServer } from '../../server/src/lsp/server';

export function inProcessServer() {
  const toServer = new PassThrough(),
    toClient = new PassThrough();
  // Plain streams: the server's own JSON-RPC copy reads and writes them.
  const server = createConnection(toServer, toClient);
  const systab = createServer(server);
  server.listen();
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const diagnostics: PublishDiagnosticsParams[] = [];
  const logs: string[] = [];
  const status: { reference?: string }[] = [];
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    diagnostics.push(p);
  });
  client.onNotification('systab/status', (p: { reference?: string }) => {
    status.push(p);
  });
  client.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  return {
    client,
    diagnostics,
    logs,
    status,
    /** Wait (at most 20 s) until `ok` holds. */
    async until(ok: () => boolean) {
      for (const end = Date.now() + 20000; Date.now() < end && !ok();) await new Promise(r => setTimeout(r, 20));
    },
    dispose() {
      systab.dispose();
      client.dispose();
      server.dispose();
    },
  };
}
