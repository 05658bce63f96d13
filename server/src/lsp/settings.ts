// The server's settings, read from whatever a client sends, keeping only what is valid.
// Sources merge in this order, each key taken from the last source that gives it:
// initializationOptions, then the client's answer to workspace/configuration (when it is
// not null: Neovim and Helix answer null unless told the settings), then what
// didChangeConfiguration pushes. A source may nest the settings under `systab`.
import type { SystabSettings } from '../../../protocol/protocol';
import { Config, readConfig } from '../core/config';

export const LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type Level = (typeof LEVELS)[number];

export interface Settings {
  kernelPath: string;
  /** A FreeBSD source tree for bsd-user's tables; '' for the bundled FreeBSD catalogue. */
  freebsdPath: string;
  logLevel: Level;
  config: Config;
  storagePath?: string;
}

export function readSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof SystabSettings, unknown>>;
  const level = LEVELS.includes(r.logLevel as Level) ? (r.logLevel as Level) : 'info';
  return {
    kernelPath: typeof r.kernelPath === 'string' ? r.kernelPath : '',
    freebsdPath: typeof r.freebsdPath === 'string' ? r.freebsdPath : '',
    logLevel: level,
    config: readConfig(r),
    storagePath: typeof r.storagePath === 'string' && r.storagePath ? r.storagePath : undefined,
  };
}

/** One source's settings as an object of the keys it gives ({} for null or junk). */
export function settingsObject(raw: unknown): Record<string, unknown> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const nested =
    r.systab && typeof r.systab === 'object' && !Array.isArray(r.systab) ? (r.systab as Record<string, unknown>) : {};
  const own = Object.fromEntries(Object.entries(r).filter(([k, v]) => k !== 'systab' && v !== undefined && v !== null));
  return { ...own, ...Object.fromEntries(Object.entries(nested).filter(([, v]) => v !== undefined && v !== null)) };
}

/** The settings from several sources, later ones winning key by key. */
export function mergeSettings(...sources: unknown[]): Settings {
  return readSettings(Object.assign({}, ...sources.map(settingsObject)));
}
