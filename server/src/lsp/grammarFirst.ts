// Imported first by main.ts, so that it runs before the rest of the bundle: the C grammar
// starts loading (its WASM compiles on V8's background threads) while vscode-languageserver
// and the families are set up and the client shakes hands. createServer's newParser() gets
// the same load; its failure is reported there.
//
// V8 first runs WASM from its baseline compiler and recompiles the hottest functions with
// its optimizing one as they run. During the first parse of a table (the first diagnostics'
// critical path) that recompiling slowed the parse itself: 140 ms instead of 65 on two
// cores. A larger budget before the recompiling (V8's default is 1.8 MB of code executed)
// moves it to after the first parses; later parses run optimized as before. Set before the
// grammar is compiled; nothing else in the server is WASM.
import * as v8 from 'v8';
import { loadC } from '../syntax/c/parser';

v8.setFlagsFromString('--wasm-tiering-budget=300000000');
loadC().catch(() => undefined);
