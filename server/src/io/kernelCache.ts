// The kernel index cached on disk: loaded at once on the next start, then checked against
// the tree in the background (the editor) or first (a command).
import { Catalogue } from '../reference/linux/catalogue';
import { checkKernelPath, IndexOptions, indexKernel, Manifest } from './kernelIndex';
import { isFresh, readCache, writeCache } from './kernelCacheFile';

/**
 * The catalogue of a tree, through the cache when there is one. `onStale` is called with a
 * fresh catalogue when the cached one turns out to be out of date.
 */
export async function cachedIndex(
  root: string,
  storage: string | undefined,
  opts: IndexOptions & { onStale?: (c: Catalogue) => void; verify?: boolean } = {},
): Promise<{ catalogue: Catalogue; fromCache: boolean }> {
  const build = async () => {
    const manifest: Manifest = { dirs: {}, files: {} };
    const catalogue = await indexKernel(root, { ...opts, manifest });
    if (storage) await writeCache(storage, root, manifest, catalogue).catch(() => undefined);
    return catalogue;
  };
  await checkKernelPath(root);
  const cached = storage ? await readCache(storage, root) : undefined;
  if (!cached) return { catalogue: await build(), fromCache: false };
  // A command gives one answer: it checks the cache against the tree first. The editor uses
  // the cache at once and replaces it if the tree turns out to have changed.
  if (opts.verify) {
    if (await isFresh(root, cached.read).catch(() => false)) return { catalogue: cached.catalogue!, fromCache: true };
    return { catalogue: await build(), fromCache: false };
  }
  void isFresh(root, cached.read)
    .then(async fresh => {
      if (!fresh) opts.onStale?.(await build());
    })
    .catch(() => undefined);
  return { catalogue: cached.catalogue!, fromCache: true };
}
