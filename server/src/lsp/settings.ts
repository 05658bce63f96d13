// The server's settings, read from whatever a client sends (initializationOptions,
// workspace/configuration, didChangeConfiguration), keeping only what is valid.
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
