// The checks of QEMU's `linux-user/strace.list`: strace-format-args (a format's
// conversions against the kernel prototype's C parameters), duplicate-entry,
// name-mismatch (guard, number and printed name disagree) and malformed-line.
import type { Rule } from '../../family';
import { KernelReference, protoLocation, Prototype } from '../../../reference/reference';
import { signature } from '../../../reference/linux/need';
import { implemented } from '../../../reference/linux/tbl';
import { formatConversions, mutuallyExclusive, StraceEntry, StraceListModel } from './model';
import { lineText } from '../../../core/text';
import { Finding, Fix, Related, Range, range } from '../../../core/types';
import { archOfMacro } from '../arches';

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
const loc = (file: string, r: Range) => ({ file, range: r });

export function straceFindings(file: string, model: StraceListModel, ref: KernelReference | undefined): Finding[] {
  const out: Finding[] = [];
  const add = (f: Omit<Finding, 'file' | 'related' | 'fixes'> & Partial<Pick<Finding, 'related' | 'fixes'>>) =>
    out.push({ file, related: [], fixes: [], ...f });

  for (const p of model.problems)
    add({ range: p.range, severity: 'error', code: 'malformed-line', message: p.message });

  // duplicate-entry: print_syscall() takes the first row for a number, so a second one
  // that can be compiled with it is never used.
  const seen = new Map<string, StraceEntry[]>();
  // Rows the first row for their number shadows: dead code, edited only by deleting them.
  const shadowed = new Set<StraceEntry>();
  for (const e of model.entries) {
    const earlier = seen.get(e.nr) ?? [];
    const first = earlier.find(x => !mutuallyExclusive(x, e));
    if (first) {
      shadowed.add(e);
      add({
        range: e.ranges.nr,
        severity: 'error',
        code: 'duplicate-entry',
        syscall: e.name,
        message: `${e.nr} has a second row (the first is on line ${first.line + 1}): print_syscall() and print_syscall_ret() use the first row for a number, so this one is never used`,
        related: [{ location: loc(file, first.ranges.row), message: `first row for ${e.nr}` }],
        fixes: deleteRow(model, e, first),
      });
    }
    seen.set(e.nr, [...earlier, e]);
  }

  // A guard around several rows cannot be renamed to suit one of them.
  const rowsPerGuard = new Map<number, number>();
  for (const e of model.entries) if (e.guard) rowsPerGuard.set(e.guard.line, (rowsPerGuard.get(e.guard.line) ?? 0) + 1);
  for (const e of model.entries)
    names(file, e, add, (rowsPerGuard.get(e.guard?.line ?? -1) ?? 0) > 1 || shadowed.has(e));

  if (!ref) return out;
  const byName = entriesByName(ref);
  for (const e of model.entries) {
    // A print function prints the call itself; the format is then never used.
    if (!e.format || e.print) continue;
    const convs = formatConversions(e.format);
    if (!convs || !convs.length || convs[0].conv !== 's') continue;
    const printed = convs.slice(1).reduce((s, c) => s + c.args, 0);
    const found = candidates(ref, byName, e.name, rowArches(e));
    if (!found.length) continue;
    const counts = [...new Set(found.map(c => c.proto.params.length))];
    // Where arches disagree, no single format is right everywhere: report only a format
    // that matches none of them.
    if (counts.includes(printed)) continue;
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
    add({
      range: e.ranges.format,
      severity: 'warning',
      code: 'strace-format-args',
      syscall: e.name,
      message:
        `${e.name}: the format ${e.format.text} prints ${plural(printed, 'argument')} after the name, but the kernel's ${e.name} takes ${want}: ${shown}` +
        (printed < counts[0] ? '; -strace leaves the rest out' : '; -strace prints arguments the call does not have'),
      related,
      fixes: fix ? [fix] : [],
    });
  }
  return out;
}

/**
 * Deleting a duplicate changes nothing at run time (the first row wins): offered when the
 * row sits alone in its own `#ifdef`/`#endif` (both go with it), preferred when the row
 * says nothing the first one does not.
 */
function deleteRow(model: StraceListModel, e: StraceEntry, first: StraceEntry): Fix[] {
  const c = e.conditions[e.conditions.length - 1];
  const endLine = e.ranges.row.end.line + 1;
  if (!c || c.directive !== 'ifdef' || c.line !== e.line - 1 || !/^\s*#\s*endif\b/.test(lineText(model.map, endLine)))
    return [];
  if (
    lineText(model.map, e.line).slice(0, e.ranges.row.start.character).trim() !== '' ||
    lineText(model.map, e.ranges.row.end.line)
      .slice(e.ranges.row.end.character)
      .replace(/\s*,?\s*$/, '') !== ''
  )
    return [];
  const same = (a: unknown, b: unknown) => a === null || JSON.stringify(a) === JSON.stringify(b);
  const adds =
    !same(e.format?.text ?? null, first.format?.text ?? null) ||
    !same(e.print, first.print) ||
    !same(e.result, first.result) ||
    e.string !== first.string;
  return [
    {
      title: `Delete this unused row for ${e.nr}`,
      preferred: !adds,
      edits: [{ range: range(c.line, 0, endLine + 1, 0), newText: '' }],
    },
  ];
}

/**
 * name-mismatch: the `#ifdef` guard, the `TARGET_NR_` number and the printed string. With
 * `manual` (a guard shared by several rows, or a row another shadows) fixes are offered but
 * left out of fix-all.
 */
function names(
  file: string,
  e: StraceEntry,
  add: (f: Omit<Finding, 'file' | 'related' | 'fixes'> & Partial<Pick<Finding, 'related' | 'fixes'>>) => void,
  manual = false,
): void {
  const g = e.guard;
  const guardOk = !g || g.macros.some(m => m.macro === e.nr);
  const stringOk = e.string === e.name;
  if (guardOk && stringOk) return;
  const rowRel: Related = { location: loc(file, e.ranges.nr), message: `the row's number: ${e.nr}` };
  const strRel: Related = { location: loc(file, e.ranges.string), message: `the printed name: "${e.string}"` };
  const quote = (s: string) => JSON.stringify(s);
  if (!guardOk && stringOk) {
    add({
      range: g!.range,
      severity: 'warning',
      code: 'name-mismatch',
      syscall: e.name,
      message: `the row for ${e.nr} is guarded by ${g!.macro}: it is compiled only where ${g!.name} exists, and breaks the build where ${e.name} does not`,
      related: [rowRel],
      fixes: [{ title: `Guard with ${e.nr}`, preferred: !manual, edits: [{ range: g!.range, newText: e.nr }] }],
    });
  } else if (!guardOk && g!.name === e.string) {
    add({
      range: e.ranges.nr,
      severity: 'warning',
      code: 'name-mismatch',
      syscall: e.string,
      message: `the row is guarded by ${g!.macro} and prints "${e.string}", but its number is ${e.nr}: -strace shows ${e.name} calls as ${e.string}`,
      related: [{ location: loc(file, g!.range), message: `the guard: ${g!.macro}` }, strRel],
      // Renumbering makes the row another syscall's, whose format is then judged anew:
      // offered, but not applied by fix-all.
      fixes: [{ title: `Use ${g!.macro}`, preferred: false, edits: [{ range: e.ranges.nr, newText: g!.macro }] }],
    });
  } else if (guardOk) {
    add({
      range: e.ranges.string,
      severity: 'warning',
      code: 'name-mismatch',
      syscall: e.name,
      message: `the row for ${e.nr} prints the name "${e.string}": -strace shows ${e.name} calls as ${e.string}`,
      related: [rowRel],
      fixes: [
        { title: `Print "${e.name}"`, preferred: !manual, edits: [{ range: e.ranges.string, newText: quote(e.name) }] },
      ],
    });
  } else {
    add({
      range: e.ranges.nr,
      severity: 'warning',
      code: 'name-mismatch',
      syscall: e.name,
      message: `the row's guard (${g!.macro}), number (${e.nr}) and printed name ("${e.string}") name three different syscalls`,
      related: [{ location: loc(file, g!.range), message: `the guard: ${g!.macro}` }, strRel],
    });
  }
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

/** Rows of `linux-user/strace.list` that cannot be read; a second row for one syscall that can be compiled with the first (print_syscall() takes the first, so the second is dead); an `#ifdef TARGET_NR_x` guard or a quoted name that names another syscall than the row's; and a format string whose conversions differ from the kernel prototype's parameter count, so `-strace` prints the wrong arguments. Format fixes rewrite the conversions from the prototype's types. */
export const rule: Rule<{ file: string; model: StraceListModel; ref?: KernelReference }> = {
  codes: ['malformed-line', 'duplicate-entry', 'name-mismatch', 'strace-format-args'],
  about:
    "Rows of `linux-user/strace.list` that cannot be read; a second row for one syscall that can be compiled with the first (print_syscall() takes the first, so the second is dead); an `#ifdef TARGET_NR_x` guard or a quoted name that names another syscall than the row's; and a format string whose conversions differ from the kernel prototype's parameter count, so `-strace` prints the wrong arguments. Format fixes rewrite the conversions from the prototype's types.",
  run: c => straceFindings(c.file, c.model, c.ref),
};
