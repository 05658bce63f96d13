// strace-format-args: a strace.list format's conversions against the kernel prototype's C parameters.
import type { Rule } from '../../../family';
import { Finding, Fix, Related } from '../../../../core/types';
import { KernelReference, protoLocation, Prototype } from '../../../../reference/reference';
import { signature } from '../../../../reference/linux/need';
import { implemented } from '../../../../reference/linux/tbl';
import { archOfMacro } from '../../arches';
import { formatConversions, StraceEntry } from '../model';
import { collector, shadowedRows, StraceContext } from './context';

/** A kernel entry point a syscall name reaches, with its prototype. */
interface Candidate {
  arch?: string;
  proto: Prototype;
}

const tableArch = (p: string) => /^arch\/([^/]+)\//.exec(p)?.[1];

/** Every implemented (name -> arch, entry point) pair in the reference's tables. */
function entriesByName(ref: KernelReference): Map<string, { arch?: string; entry: string }[]> {
  const out = new Map<string, { arch?: string; entry: string }[]>();
  for (const p of ref.tablePaths()) {
    const arch = tableArch(p);
    for (const e of ref.table(p)!) {
      if (!implemented(e.entry)) continue;
      const list = out.get(e.name) ?? [];
      if (!list.some(x => x.arch === arch && x.entry === e.entry)) list.push({ arch, entry: e.entry! });
      out.set(e.name, list);
    }
  }
  return out;
}

/** The kernel arches a row is compiled for, from the innermost branch naming a target. */
function rowArches(e: StraceEntry): string[] | undefined {
  for (let k = e.conditions.length - 1; k >= 0; k--) {
    const arches = e.conditions[k].tests
      .filter(t => !t.negated && archOfMacro(t.macro))
      .map(t => archOfMacro(t.macro)!);
    if (arches.length) return [...new Set(arches)];
  }
  return undefined;
}

/** The prototypes behind `name` on the row's arches (every arch when it names none). */
function candidates(
  ref: KernelReference,
  byName: Map<string, { arch?: string; entry: string }[]>,
  name: string,
  arches?: string[],
): Candidate[] {
  const out: Candidate[] = [];
  const add = (proto: Prototype | undefined, arch?: string) => {
    if (proto && !out.some(c => c.proto === proto)) out.push({ arch, proto });
  };
  for (const t of byName.get(name) ?? []) {
    if (arches && (!t.arch || !arches.includes(t.arch))) continue;
    add(ref.prototype(t.entry, t.arch ?? ''), t.arch);
  }
  if (!out.length) for (const arch of arches ?? ['']) add(ref.prototype(`sys_${name}`, arch), arch || undefined);
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const byNameCache = new WeakMap<KernelReference, Map<string, { arch?: string; entry: string }[]>>();

/** A row's format against the kernel: the finding (without the file) and its fix, or undefined. */
function formatCheck(
  ref: KernelReference,
  e: StraceEntry,
  dead: boolean,
): { finding: Omit<Finding, 'file' | 'fixes'>; fix?: Fix } | undefined {
  // A print function prints the call itself; the format is then never used.
  if (!e.format || e.print) return undefined;
  const convs = formatConversions(e.format);
  if (!convs || !convs.length || convs[0].conv !== 's') return undefined;
  const printed = convs.slice(1).reduce((s, c) => s + c.args, 0);
  let byName = byNameCache.get(ref);
  if (!byName) byNameCache.set(ref, (byName = entriesByName(ref)));
  const found = candidates(ref, byName, e.name, rowArches(e));
  if (!found.length) return undefined;
  const counts = [...new Set(found.map(c => c.proto.params.length))];
  // Where arches disagree, no single format is right everywhere: report only a format
  // that matches none of them.
  if (counts.includes(printed)) return undefined;
  const related: Related[] = found.map(c => ({
    location: protoLocation(ref, c.proto),
    message: `${signature(c.proto)}: ${plural(c.proto.params.length, 'parameter')}${c.proto.arch ? ` (${c.proto.arch})` : ''}`,
  }));
  const want = counts.length === 1 ? plural(counts[0], 'parameter') : `${counts.join(' or ')} parameters`;
  // One prototype per count in the message (the native one first); all of them in `related`.
  const shown = counts
    .map(n => found.find(c => c.proto.params.length === n)!)
    .map(c => `${signature(c.proto)}${counts.length > 1 && c.proto.arch ? ` on ${c.proto.arch}` : ''}`)
    .join('; ');
  const fix = counts.length === 1 ? formatFix(e, convs, found[0].proto) : undefined;
  return {
    finding: {
      range: e.ranges.format,
      severity: 'warning',
      code: 'strace-format-args',
      syscall: e.name,
      message:
        `${e.name}: the format ${e.format.text} prints ${plural(printed, 'argument')} after the name, but the kernel's ${e.name} takes ${want}: ${shown}` +
        (printed < counts[0] ? '; -strace leaves the rest out' : '; -strace prints arguments the call does not have'),
      related,
    },
    // A row another shadows is never used: its fix is offered, but left out of fix-all
    // (deleting the row is the duplicate-entry rule's business).
    fix: fix && dead ? { ...fix, preferred: false } : fix,
  };
}

/**
 * The format text each row will have after fix-all (only rows whose format fix-all
 * rewrites): what the duplicate rule compares a shadowed row with.
 */
export function fixedFormats({ model, ref }: StraceContext): Map<StraceEntry, string> {
  const out = new Map<StraceEntry, string>();
  if (!ref) return out;
  const shadowed = shadowedRows(model);
  for (const e of model.entries) {
    const fix = formatCheck(ref, e, shadowed.has(e))?.fix;
    if (fix?.preferred) out.set(e, fix.edits[0].newText);
  }
  return out;
}

function formatArgs({ file, model, ref }: StraceContext): Finding[] {
  const { out, add } = collector(file);
  if (!ref) return out;
  const shadowed = shadowedRows(model);
  for (const e of model.entries) {
    const c = formatCheck(ref, e, shadowed.has(e));
    if (c) add({ ...c.finding, fixes: c.fix ? [c.fix] : [] });
  }
  return out;
}

const SIGNED = new Set([
  'int',
  'long',
  'short',
  'signed',
  'signed int',
  'signed long',
  'long int',
  'pid_t',
  'timer_t',
  'clockid_t',
  'key_serial_t',
  'mqd_t',
  'key_t',
  'rwf_t',
  'int32_t',
  's32',
  '__s32',
  'off_t',
  '__kernel_off_t',
  'compat_off_t',
]);
const UNSIGNED = new Set([
  'unsigned',
  'unsigned int',
  'unsigned long',
  'unsigned long int',
  'unsigned short',
  'size_t',
  'u32',
  '__u32',
  'u16',
  '__u16',
  'uint32_t',
  'uid_t',
  'gid_t',
  'old_uid_t',
  'old_gid_t',
  'umode_t',
  'qid_t',
  'mode_t',
  'aio_context_t',
]);

/** The conversion a parameter needs, or undefined when its type cannot be printed surely. */
function paramClass(type: string): 'pointer' | 'signed' | 'unsigned' | undefined {
  const t = type
    .replace(/\b(const|volatile|__user)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (t.includes('*')) return 'pointer';
  if (SIGNED.has(t)) return 'signed';
  if (UNSIGNED.has(t)) return 'unsigned';
  return undefined;
}

/**
 * Rewrite `"%s(...)"` to one conversion per parameter, keeping each existing conversion
 * that suits its parameter (`%#x` for a flag, `%d` for an fd). Only for a format that is
 * one string literal without escapes inside the parentheses, and parameters whose types
 * have a sure conversion.
 */
function formatFix(
  e: StraceEntry,
  convs: ReturnType<typeof formatConversions> & object,
  proto: Prototype,
): Fix | undefined {
  const f = e.format!;
  if (f.parts.length !== 1 || f.parts[0].kind !== 'string') return undefined;
  const value = f.parts[0].value;
  const m = /^%s\(([^()]*)\)([^%]*)$/.exec(value);
  if (!m) return undefined;
  const rawText = f.text;
  const close = rawText.lastIndexOf(')');
  if (!rawText.startsWith('"%s(') || rawText.slice(4, close) !== m[1]) return undefined;
  const old = convs.slice(1);
  // Only conversions between the parentheses: any other text there would be lost.
  if (old.some(c => c.args !== 1) || m[1] !== old.map(c => c.spec).join(',')) return undefined;
  const next: string[] = [];
  for (let k = 0; k < proto.params.length; k++) {
    const cls = paramClass(proto.params[k].type);
    if (!cls) return undefined;
    const have = old[k];
    const haveCls = have
      ? have.conv === 'p'
        ? 'pointer'
        : /[diouxXc]/.test(have.conv)
          ? 'integer'
          : undefined
      : undefined;
    if (have && (haveCls === cls || (haveCls === 'integer' && cls !== 'pointer'))) next.push(have.spec);
    else next.push(cls === 'pointer' ? '%p' : cls === 'signed' ? '%d' : '%u');
  }
  const newText = `"%s(${next.join(',')}${rawText.slice(close)}`;
  return {
    title: `Print ${plural(proto.params.length, 'argument')}: ${newText}`,
    preferred: true,
    edits: [{ range: f.parts[0].range, newText }],
  };
}

/** A row's format string (`"%s(%d,%p)"`) prints one argument per conversion after the name; it must match the kernel prototype's C parameters on the arches the row is compiled for, or `-strace` leaves arguments out or prints ones the call does not have. Rows with their own print function are skipped (the format is never used); where arches disagree, only a format matching none of them is reported. The fix rewrites the conversions from the prototype's types, and is offered only where every parameter's type can be printed surely; on a row another row shadows (never used) fix-all leaves it out. */
export const rule: Rule<StraceContext> = {
  codes: ['strace-format-args'],
  about:
    "A row's format string (`\"%s(%d,%p)\"`) prints one argument per conversion after the name; it must match the kernel prototype's C parameters on the arches the row is compiled for, or `-strace` leaves arguments out or prints ones the call does not have. Rows with their own print function are skipped (the format is never used); where arches disagree, only a format matching none of them is reported. The fix rewrites the conversions from the prototype's types, and is offered only where every parameter's type can be printed surely; on a row another row shadows (never used) fix-all leaves it out.",
  run: formatArgs,
};
