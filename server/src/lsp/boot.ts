#!/usr/bin/env node
// `systab-server` (dist/server.js): runs the server bundle beside it (dist/serverMain.js,
// from main.ts) from a V8 code cache, saved once the first diagnostics are out; without
// one (first start, a new build or node) it runs as compiled. The cache is kept under
// --storage-path=DIR (the VS Code client's storage), else the default cache directory.
import * as path from 'path';
import { defaultStoragePath } from '../io/cacheDir';
import { runWithCodeCache } from '../io/codeCache';
import { FIRST_DIAGNOSTICS } from './warm';

const named = process.argv.find(a => a.startsWith('--storage-path='))?.slice('--storage-path='.length);
const storage = named || defaultStoragePath();
const run = runWithCodeCache(path.join(__dirname, 'serverMain.js'), storage && path.join(storage, 'code-cache'));
process.once(FIRST_DIAGNOSTICS, () => run.save());
