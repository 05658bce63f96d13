// Imported first by main.ts, so that it runs before the rest of the bundle: the C grammar
// starts loading (its WASM compiles on V8's background threads) while vscode-languageserver
// and the families are set up and the client shakes hands. createServer's newParser() gets
// the same load; its failure is reported there. (The V8 flag its first parse wants is set
// by the loader, boot.ts, before the bundle is compiled.)
import { loadC } from '../syntax/c/parser';

loadC().catch(() => undefined);
