// A reading thread of the kernel index (kernelIndex.ts, readTree) or a checking thread of a
// freshness check (freshness.ts, isFresh): bundled on its own (dist/kernelIndexWorker.js) so
// it loads only the per-file parsers. Either way it claims chunks of a shared list until
// none is left, as the thread that started it does.
import { parentPort } from 'worker_threads';
import type { ReadWork } from './kernelIndex';
import { checkShare, FreshWork, linesOf } from './freshness';

parentPort!.once('message', (m: ReadWork | { fresh: FreshWork }) => {
  if ('fresh' in m) {
    // The last chunk or a change: say the check ended.
    if (checkShare({ ...m.fresh, rels: linesOf(m.fresh.rels) }) === 'ended') parentPort!.postMessage(true);
  } else {
    // Loaded here, not at the top: a checking thread, which starts against the clock, never evaluates the indexer.
    const { readShare } = require('./kernelIndex') as typeof import('./kernelIndex');
    const { pageAlignedBuffer } = require('./readBuffer') as typeof import('./readBuffer');
    parentPort!.postMessage(readShare(m, pageAlignedBuffer(m.maxBytes + 1)));
  }
});
