// What a MIPS o32 row must say: the larger of the native and compat entry points' words.
import type { KernelReference, Prototype } from '../reference';
import { formatParams } from './params';
import { AbiDef, abiById } from './abis';
import type { TableEntry } from '../reference';
import { implemented } from './tbl';
import { AbiWords, layout, O32, Word, wordLayout, wordPlace } from './words';

/** A syscall as a table defines it, wherever the table came from. */
export interface SysEntry extends TableEntry {
  /** The entry's line range when the table text is at hand. */
  range?: import('../../core/types').Range;
  /**
   * The kernel's own line for this syscall, when a catalogue has the table: its entry points
   * are the ones the prototypes belong to (a QEMU copy can name ones the kernel dropped).
   */
  kernel?: { file: string; line: number; entry?: string; compat?: string };
}

/** The entry points that count: the kernel's where known, else the table's own. */
export const entryPoints = (e: SysEntry) =>
  e.kernel ? { entry: e.kernel.entry, compat: e.kernel.compat } : { entry: e.entry, compat: e.compat };

export interface Side {
  proto: Prototype;
  words: Word[];
}

export interface O32Need {
  /** Words to fetch; undefined when a prototype is missing. */
  count?: number;
  native?: Side;
  compat?: Side;
  /** Entry points with no prototype in the catalogue. */
  missing: string[];
}

/**
 * The largest o32 slot systab fills or enumerates (the real table has under 500): a number
 * far beyond it in a file is a typo, and enumerating up to it would exhaust memory.
 */
export const MAX_O32_SLOT = 2047;

export const notImplemented = (e: SysEntry | undefined) => !implemented(e && entryPoints(e).entry);

const needs = new WeakMap<KernelReference, Map<string, O32Need>>();

/** The words a syscall needs on an ABI: the larger of native and compat entry points. */
export function needOn(
  e: SysEntry,
  ref: KernelReference | undefined,
  abi: Pick<AbiDef, 'arch' | 'words' | 'compat'>,
): O32Need {
  const { entry, compat } = entryPoints(e);
  if (!ref || !entry) return { missing: entry ? [entry] : [] };
  // A table's entries are asked again on every check of it (each edit): the last answer
  // for this entry object, while it names the same entry points.
  const last = lastNeed.get(e);
  if (last && last.ref === ref && last.abi === abi && last.entry === entry && last.compat === compat) return last.need;
  const need = needOnce(entry, compat, ref, abi);
  lastNeed.set(e, { ref, abi, entry, compat, need });
  return need;
}

const lastNeed = new WeakMap<
  SysEntry,
  { ref: KernelReference; abi: object; entry: string; compat?: string; need: O32Need }
>();

function needOnce(
  entry: string,
  compat: string | undefined,
  ref: KernelReference,
  abi: Pick<AbiDef, 'arch' | 'words' | 'compat'>,
): O32Need {
  // The same entry points on the same ABI always need the same words: computed once per reference.
  let memo = needs.get(ref);
  if (!memo) needs.set(ref, (memo = new Map()));
  const key = `${abi.words.name}|${entry}|${compat ?? ''}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const need: O32Need = { missing: [] };
  memo.set(key, need);
  const native = ref.prototype(entry, abi.arch);
  if (native) need.native = { proto: native, words: layout(native.params, abi.words) };
  else need.missing.push(entry);
  if (compat && abi.compat) {
    const c = ref.prototype(compat, abi.arch);
    if (c) need.compat = { proto: c, words: wordLayout(c.params) };
    else need.missing.push(compat);
  }
  if (!need.missing.length) need.count = Math.max(need.native?.words.length ?? 0, need.compat?.words.length ?? 0);
  return need;
}

let o32Abi: AbiDef | undefined;
export const o32Need = (e: SysEntry, ref: KernelReference | undefined) => needOn(e, ref, (o32Abi ??= abiById('o32')!));

/** `fd` in a0, padding in a1, `offset` (lo/hi) in a2-a3, `count` at sp+16. */
export function describeLayout(side: Side): string {
  const parts: string[] = [];
  side.words.forEach((w, i) => {
    const p = side.proto.params[w.param];
    const what =
      w.part === 'pad'
        ? 'padding'
        : `${p?.name || `arg${w.param + 1}`}${w.part === 'lo' || w.part === 'hi' ? ` (${w.part === 'lo' ? 'first' : 'second'} half)` : ''}`;
    parts.push(`${what} in ${wordPlace(O32, i)}`);
  });
  return parts.length ? parts.join(', ') : 'no arguments';
}

export function signature(p: Prototype): string {
  return `${p.entry}(${formatParams(p.params)})`;
}

/** A markdown table of the words: word, place, parameter. */
export function layoutTable(side: Side, abi: AbiWords = O32): string {
  const rows = side.words.map((w, i) => {
    const p = side.proto.params[w.param];
    const what =
      w.part === 'pad'
        ? '*padding (64-bit alignment)*'
        : `\`${p?.type ?? ''}${p?.name ? ' ' + p.name : ''}\`${w.part === 'lo' || w.part === 'hi' ? ` (${w.part === 'lo' ? '1st' : '2nd'} word)` : ''}`;
    return `| ${i + 1} | ${wordPlace(abi, i)} | ${what} |`;
  });
  return ['| word | from | carries |', '|---|---|---|', ...rows].join('\n');
}

/** The native and compat prototypes behind a count, each with its word layout on `abi`. */
export function sideSections(need: O32Need, abi: AbiWords = O32): string[] {
  const out: string[] = [];
  for (const [label, side] of [
    ['Native', need.native],
    ['Compat', need.compat],
  ] as const) {
    if (!side) continue;
    const n = side.words.length;
    out.push(
      '',
      `${label}: \`${signature(side.proto)}\` — ${n} word${n === 1 ? '' : 's'} (${side.proto.file}:${side.proto.line + 1})`,
      '',
      layoutTable(side, abi),
    );
  }
  return out;
}
