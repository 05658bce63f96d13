// A target's syscall numbers as valgrind's build sees them: the number headers of its chain
// (include/pub_tool_vkiscnums_asm.h, else the platform's known list) read with the shared
// numeric-define reader, each `#if` evaluated with the target's macros, values resolved
// in order (`(__NR_Linux + 3)`, `__NR_fcntl __NR3264_fcntl` defined before its target).
import * as path from 'path';
import { splitLines } from '../../core/text';
import {
  CDefine,
  DefineProblem,
  DefinesHeader,
  evalCondition,
  evalExpr,
  readDefines,
  resolveForward,
} from '../../syntax/c/defines';
import { ASM_HEADER, Target, vkiPath } from './platforms';

export interface NrDefine {
  file: string;
  macro: string;
  /** The value in the syscall register, when it can be evaluated. */
  value?: number;
  /** The value is another macro's name as written (an alias: arm's `__NR_sync_file_range2`). */
  alias?: string;
  define: CDefine;
}

export interface Numbers {
  target: Target;
  /** The headers read, in order. */
  files: string[];
  /** Live defines in build order. */
  defines: NrDefine[];
  /** The define that wins for each macro (the last live one). */
  byMacro: Map<string, NrDefine>;
  values: Map<string, number>;
  problems: { file: string; problem: DefineProblem }[];
  /** Whether the chain came from pub_tool_vkiscnums_asm.h (else the built-in list). */
  fromAsmHeader: boolean;
}

type Read = (file: string) => string | undefined;

// One read per header text: the chain is evaluated for a dozen targets per check.
const headers = new Map<string, { text: string; header: DefinesHeader }>();
function readHeader(file: string, text: string): DefinesHeader {
  const hit = headers.get(file);
  if (hit && hit.text === text) return hit.header;
  const header = readDefines(splitLines(text), { header: 'a valgrind number header' });
  if (headers.size > 64) headers.clear();
  headers.set(file, { text, header });
  return header;
}

const holds = (conditions: string[], isDefined: (n: string) => boolean, lookup: (n: string) => number | undefined) =>
  conditions.every(c => !!evalCondition(c, isDefined, lookup));

/** The number headers a target includes, in order, as pub_tool_vkiscnums_asm.h says. */
export function chainOf(root: string, target: Target, read: Read): { files: string[]; fromAsmHeader: boolean } {
  const text = read(path.join(root, ASM_HEADER));
  if (text !== undefined) {
    const h = readHeader(path.join(root, ASM_HEADER), text);
    const isDef = (n: string) => n in target.macros;
    const files = h.includes
      .filter(i => holds(i.conditions, isDef, n => target.macros[n]))
      .map(i => path.join(root, 'include', i.path));
    // A tree's own list wins, even when it leaves the platform out (it has no such platform).
    return { files, fromAsmHeader: true };
  }
  return { files: target.chain.map(h => vkiPath(root, h)), fromAsmHeader: false };
}

export function buildNumbers(root: string, target: Target, read: Read): Numbers {
  const { files, fromAsmHeader } = chainOf(root, target, read);
  const values = new Map<string, number>(Object.entries(target.macros));
  const defined = new Set(Object.keys(target.macros));
  const out: Numbers = {
    target,
    files: [],
    defines: [],
    byMacro: new Map(),
    values,
    problems: [],
    fromAsmHeader,
  };
  const lookup = (n: string) => values.get(n);
  for (const file of files) {
    const text = read(file);
    if (text === undefined) continue;
    out.files.push(file);
    const h = readHeader(file, text);
    for (const problem of h.problems) out.problems.push({ file, problem });
    if (h.guard) defined.add(h.guard);
    for (const d of h.defines) {
      if (!holds(d.conditions, n => defined.has(n), lookup)) continue;
      const value = d.value === '' ? undefined : evalExpr(d.value, lookup);
      defined.add(d.macro);
      if (value !== undefined) values.set(d.macro, value);
      const nd: NrDefine = { file, macro: d.macro, value, define: d };
      if (/^__NR\w*$/.test(d.value)) nd.alias = d.value;
      out.defines.push(nd);
      out.byMacro.set(d.macro, nd);
    }
  }
  // A value may name a macro defined further down (arm64's `__NR_fcntl __NR3264_fcntl`).
  const pending = out.defines.filter(d => d.value === undefined && d.define.value !== '');
  const shadow = pending.map(d => ({ macro: d.macro, value: d.define.value, number: undefined as number | undefined }));
  resolveForward(shadow, values);
  shadow.forEach((s, i) => (pending[i].value = s.number));
  return out;
}
