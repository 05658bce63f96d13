#!/usr/bin/env node
// `systab-server --stdio` (or IPC under VS Code): the language server's entry point.
// First: the grammar loads while the rest is set up.
import './grammarFirst';
import { createConnection } from 'vscode-languageserver/node';
import { createServer } from './server';

const connection = createConnection();
createServer(connection);
process.on('unhandledRejection', e =>
  connection.console.error(`[error] unhandled rejection: ${(e as Error)?.stack ?? e}`),
);
process.on('uncaughtException', e => connection.console.error(`[error] uncaught exception: ${e.stack ?? e}`));
connection.listen();
