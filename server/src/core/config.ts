// User settings that shape findings: severities per code and an ignore list.
import { Code, codesSetBy } from './codes';
import { Finding, Severity } from './types';

export interface IgnoreRule {
  name: string;
  reason?: string;
}

export interface Config {
  severity: Partial<Record<Code, Severity | 'off'>>;
  ignore: IgnoreRule[];
}

export const defaultConfig = (): Config => ({ severity: {}, ignore: [] });

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Settings from any source (LSP settings, a JSON file), keeping only what is valid. */
export function readConfig(raw: unknown): Config {
  const cfg = defaultConfig();
  if (!raw || typeof raw !== 'object') return cfg;
  const r = raw as Record<string, unknown>;
  if (r.severity && typeof r.severity === 'object') {
    const given = Object.entries(r.severity as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && SEVERITIES.has(e[1]),
    );
    // A setting for a code that was split reaches the new codes too, unless they are set themselves.
    for (const [k, v] of given) {
      for (const c of codesSetBy(k)) if (c === k || !given.some(([g]) => g === c)) cfg.severity[c] = v as Severity;
    }
  }
  if (Array.isArray(r.ignore)) {
    for (const i of r.ignore) {
      if (typeof i === 'string') cfg.ignore.push({ name: i });
      else if (i && typeof i === 'object' && typeof (i as IgnoreRule).name === 'string')
        cfg.ignore.push({ name: (i as IgnoreRule).name, reason: (i as IgnoreRule).reason });
    }
  }
  return cfg;
}

/** Drop ignored syscalls and codes set to off; apply severity overrides. */
export function applyConfig(findings: Finding[], cfg: Config): Finding[] {
  const ignored = new Set(cfg.ignore.map(i => i.name));
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.syscall && ignored.has(f.syscall)) continue;
    const s = cfg.severity[f.code];
    if (s === 'off') continue;
    out.push(s ? { ...f, severity: s } : f);
  }
  return out;
}
