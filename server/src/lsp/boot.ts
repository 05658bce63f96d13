#!/usr/bin/env node
// `systab-server` (dist/server.js): runs the server bundle beside it (dist/serverMain.js,
// from main.ts) from a V8 code cache, saved once the first diagnostics are out; without
// one (first start, a new build or node) it runs as compiled. The cache is kept under
// --storage-path=DIR (the VS Code client's storage), else the default cache directory.
import * as path from 'path';
import * as v8 from 'v8';
import { defaultStoragePath } from '../io/cacheDir';
import { runWithCodeCache } from '../io/codeCache';
import { FIRST_DIAGNOSTICS } from './warm';

// V8 first runs WASM from its baseline compiler and recompiles the hottest functions with
// its optimizing one as they run. During the first parse of a table (the first diagnostics'
// critical path) that recompiling slowed the parse itself: 140 ms instead of 65 on two
// cores. A larger budget before the recompiling (V8's default is 1.8 MB of code executed)
// moves it to after the first parses; later parses run optimized as before. Set here,
// before the bundle is compiled: V8 accepts a code cache only under the flags it was made
// with, and set later (as the grammar loads) every start rejected the cache and wrote it anew.
v8.setFlagsFromString('--wasm-tiering-budget=300000000');

const named = process.argv.find(a => a.startsWith('--storage-path='))?.slice('--storage-path='.length);
const storage = named || defaultStoragePath();
const run = runWithCodeCache(path.join(__dirname, 'serverMain.js'), storage && path.join(storage, 'code-cache'));
process.once(FIRST_DIAGNOSTICS, () => run.save());
