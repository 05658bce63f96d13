// Where kernel indexes are cached when no storage directory is named (the CLI, and editors
// other than VS Code, which passes its extension storage).
import * as os from 'os';
import * as path from 'path';

/**
 * `$XDG_CACHE_HOME/systab`, else `~/.cache/systab` (a relative or empty XDG_CACHE_HOME is
 * ignored, as the XDG base directory specification says); undefined without a home directory.
 */
export function defaultStoragePath(env: NodeJS.ProcessEnv = process.env, home = safeHome()): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'systab');
  return home && path.isAbsolute(home) ? path.join(home, '.cache', 'systab') : undefined;
}

function safeHome(): string {
  try {
    return os.homedir();
  } catch {
    return '';
  }
}
