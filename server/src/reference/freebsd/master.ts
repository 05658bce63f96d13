// FreeBSD's `syscalls.master` (sys/kern/ and sys/compat/freebsd32/): one entry per number
// or range of numbers, `number audit type { prototype } [altname [alttag [altrtyp]]]` or,
// for entries without a prototype, `number audit type [name [comment...]]`. The prototype
// spans several lines in the current layout (one parameter per line, no continuation
// marks) and one or a few `\`-continued lines in the older one. `;` starts a comment line,
// `#` a preprocessor line (`#ifdef PAD64_REQUIRED` ... `#else` ... `#endif` gives some
// numbers twice, once per branch), `%%NAME%%` a template marker. A small exact line
// parser: every field keeps its range, and bad input gives problems, never a throw.
import { binaryProblem, LineMap, lineMap, looksBinary, splitLines } from '../../core/text';
import { Range, range } from '../../core/types';
import { splitTopLevel } from '../linux/params';

/** The types syscalls.master knows; every other word in the type column is a problem. */
export const MASTER_TYPES = [
  'STD',
  'COMPAT',
  'COMPAT4',
  'COMPAT6',
  'COMPAT7',
  'COMPAT10',
  'COMPAT11',
  'COMPAT12',
  'COMPAT13',
  'COMPAT14',
  'COMPAT15',
  'OBSOL',
  'RESERVED',
  'UNIMPL',
  'NOSTD',
  'NODEF',
  'NOARGS',
  'NOPROTO',
  'NOLIB',
  'NOTSTATIC',
  'SYSMUX',
  'CAPENABLED',
] as const;

export type MasterFlag = (typeof MASTER_TYPES)[number];

/** A parameter: its C type with the SAL and `_Contains_` annotations removed, and those annotations. */
export interface MasterParam {
  type: string;
  name: string;
  /** The annotations as written (`_In_z_`, `_Out_writes_bytes_(nbyte)`, `_Contains_long_timet_`). */
  annotations?: string[];
}

export interface MasterProto {
  /** The return type (`ssize_t`, `void *`). */
  ret: string;
  /** The function name in the prototype (`read`, `freebsd32_wait4`). */
  name: string;
  params: MasterParam[];
  /** A trailing `...` (the `syscall` and `__syscall` multiplexers). */
  varargs: boolean;
}

/** What an entry says, without positions: the facts the bundled catalogue keeps. */
export interface MasterSyscall {
  number: number;
  /** The last number of a range (`151-153`), else equal to `number`. */
  last: number;
  audit: string;
  /** The type column as written, e.g. `STD|CAPENABLED`. */
  type: string;
  flags: string[];
  /** The syscall's name: the alternative name if given, else the prototype's, else the word after the type. */
  name?: string;
  altname?: string;
  alttag?: string;
  altrtyp?: string;
  proto?: MasterProto;
  /** Free text after the name of an entry without prototype (`(BSD/OS 2.x)`). */
  comment?: string;
  /** Zero-based line of the number. */
  line: number;
  /** The enclosing `#if` branches, outermost first: `group:branch:text`, e.g. `0:0:#ifdef PAD64_REQUIRED`. */
  conditions?: string[];
}

export interface MasterEntry extends MasterSyscall {
  endLine: number;
  ranges: {
    number: Range;
    audit: Range;
    type: Range;
    /** The name where it is written (the prototype's function name, or the word after the type). */
    name?: Range;
    /** From the number to the end of the entry. */
    entry: Range;
    /** Each flag of the type column. */
    flags: Range[];
  };
}

export interface MasterProblem {
  line: number;
  range: Range;
  message: string;
}

export interface MasterModel {
  file: string;
  entries: MasterEntry[];
  problems: MasterProblem[];
  binary: boolean;
  map: LineMap;
}

const ENTRY = /^(\d+)(?:-(\d+))?(?=\s|$)/;
/** SAL 2.0 annotations, with their suffixes and an argument: `_Out_writes_bytes_opt_(bufsize)`. */
const SAL = /(?<![A-Za-z0-9_])_(?:In|Out|Inout)(?:_[A-Za-z0-9]+)*_?(?:\s*\([^()]*\))?/g;
const CONTAINS = /(?<![A-Za-z0-9_])_Contains(?:_[A-Za-z0-9]+)*_?/g;
/** At most this many lines for one entry: a longer one is a brace that never closes. */
const MAX_ENTRY_LINES = 200;

/** One parameter's text (`_In_z_ const char *path`) as a type, name and annotations. */
export function parseParam(text: string): MasterParam | undefined {
  const annotations = [...(text.match(SAL) ?? []), ...(text.match(CONTAINS) ?? [])];
  const bare = text.replace(SAL, ' ').replace(CONTAINS, ' ').replace(/\s+/g, ' ').trim();
  const m = /^(.*?)([A-Za-z_]\w*)\s*((?:\[[^\]]*\])*)$/.exec(bare);
  if (!m || !m[1].trim()) return undefined;
  const p: MasterParam = { type: normaliseStars(m[1] + (m[3] ? ' ' + m[3] : '')), name: m[2] };
  if (annotations.length) p.annotations = annotations.map(a => a.replace(/\s+/g, ''));
  return p;
}

/** `char*` and `char *` alike: a space before the stars, none between them. */
const normaliseStars = (t: string) =>
  t
    .replace(/\s*(\*+)\s*/g, ' $1')
    .replace(/\* \*/g, '**')
    .trim();

/** The text inside `{ ... }` as a prototype, or a reason it is not one. */
export function parseProto(text: string): MasterProto | string {
  const t = text.replace(/\s+/g, ' ').trim();
  const m = /^(.*?)([A-Za-z_]\w*)\s*\((.*)\)\s*;?$/.exec(t);
  if (!m) return 'expected a prototype `type name(parameters);` inside the braces';
  const ret = normaliseStars(m[1].trim());
  if (!ret) return `the prototype of ${m[2]} has no return type`;
  const parts = splitTopLevel(m[3]);
  // FreeBSD's generator accepts a comma after the last parameter (fhlinkat, fspacectl).
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const params: MasterParam[] = [];
  let varargs = false;
  if (!(parts.length === 1 && parts[0] === 'void') && !(parts.length === 1 && parts[0] === '')) {
    for (const [i, part] of parts.entries()) {
      if (part === '...') {
        if (i !== parts.length - 1) return `\`...\` must be the last parameter of ${m[2]}`;
        varargs = true;
        continue;
      }
      const p = parseParam(part);
      if (!p) return `parameter ${i + 1} of ${m[2]} (\`${part}\`) is not \`type name\``;
      params.push(p);
    }
  }
  return { ret, name: m[2], params, varargs };
}

interface Word {
  text: string;
  start: number;
  end: number;
}

function words(s: string, from = 0): Word[] {
  const out: Word[] = [];
  const re = /\S+/g;
  re.lastIndex = from;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** Parse a syscalls.master. Never throws: unreadable lines become problems. */
export function parseMaster(file: string, text: string): MasterModel {
  const map = lineMap(text);
  const model: MasterModel = { file, entries: [], problems: [], binary: false, map };
  if (looksBinary(text)) {
    model.binary = true;
    model.problems.push(binaryProblem('a syscalls.master'));
    return model;
  }
  const lines = splitLines(text);
  const problem = (line: number, s: number, e: number, message: string) =>
    model.problems.push({ line, range: range(line, s, line, e), message });
  // The open #if groups: index and branch count, with each branch's text.
  const open: { group: number; branch: number; text: string; sawElse: boolean }[] = [];
  let groups = 0;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith(';')) continue;
    if (trimmed.startsWith('#')) {
      const d = /^#\s*(\w+)/.exec(trimmed)?.[1];
      const at = raw.indexOf('#');
      if (d === 'if' || d === 'ifdef' || d === 'ifndef')
        open.push({ group: groups++, branch: 0, text: trimmed, sawElse: false });
      else if (d === 'elif' || d === 'else') {
        const top = open[open.length - 1];
        if (!top) problem(n, at, raw.length, `#${d} without #if`);
        else if (top.sawElse) problem(n, at, raw.length, `#${d} after #else`);
        else {
          top.branch++;
          top.text = trimmed;
          top.sawElse = d === 'else';
        }
      } else if (d === 'endif') {
        if (!open.pop()) problem(n, at, raw.length, '#endif without #if');
      }
      continue;
    }
    if (/^%%\w+%%$/.test(trimmed)) continue;
    // The version-control id on the first line of older files (` $FreeBSD$`).
    if (n === 0 && /^\$FreeBSD[^$]*\$$/.test(trimmed)) continue;
    const lead = raw.length - raw.trimStart().length;
    const m = ENTRY.exec(raw.slice(lead));
    if (!m) {
      problem(
        n,
        lead,
        raw.length,
        /^[\t ]/.test(raw) && /[{}]/.test(raw)
          ? 'this line continues no entry: the entry before it is complete'
          : `expected an entry \`number audit type ...\`, a \`;\` comment or a \`#\` line, found \`${trimmed.slice(0, 40)}\``,
      );
      continue;
    }
    const entry = readEntry(lines, n, lead, m, open, problem);
    if (entry) {
      model.entries.push(entry);
      n = entry.endLine;
    }
  }
  for (const g of open) {
    const line = model.entries.length ? model.entries[model.entries.length - 1].endLine : 0;
    problem(line, 0, 0, `\`${g.text}\` is never closed by #endif`);
  }
  model.problems.sort((a, b) => a.line - b.line);
  return model;
}

type ProblemFn = (line: number, s: number, e: number, message: string) => void;

function readEntry(
  lines: string[],
  n: number,
  lead: number,
  m: RegExpExecArray,
  open: { group: number; branch: number; text: string }[],
  problem: ProblemFn,
): MasterEntry | undefined {
  const raw = lines[n];
  const number = Number(m[1]);
  const last = m[2] !== undefined ? Number(m[2]) : number;
  const numEnd = lead + m[0].length;
  if (!Number.isSafeInteger(number) || !Number.isSafeInteger(last)) {
    problem(n, lead, numEnd, `${m[0]} is not a number systab can read`);
    return undefined;
  }
  if (last < number) {
    problem(n, lead, numEnd, `the range ${m[0]} ends before it starts`);
    return undefined;
  }
  // An old-style line ending in `\` continues on the next; the fields may too.
  const ws = words(raw, numEnd);
  const audit = ws[0];
  const type = ws[1];
  if (!audit || !type || audit.text === '\\' || type.text === '\\') {
    problem(n, lead, raw.length, `entry ${m[0]} needs an audit event and a type after the number`);
    return undefined;
  }
  const flags = type.text.split('|');
  const flagRanges: Range[] = [];
  let off = type.start;
  for (const f of flags) {
    flagRanges.push(range(n, off, n, off + f.length));
    off += f.length + 1;
  }
  const entry: MasterEntry = {
    number,
    last,
    audit: audit.text,
    type: type.text,
    flags,
    line: n,
    endLine: n,
    ranges: {
      number: range(n, lead, n, numEnd),
      audit: range(n, audit.start, n, audit.end),
      type: range(n, type.start, n, type.end),
      entry: range(n, lead, n, raw.length),
      flags: flagRanges,
    },
  };
  if (open.length) entry.conditions = open.map(g => `${g.group}:${g.branch}:${g.text}`);
  const restStart = type.end;
  const rest = raw.slice(restStart);
  const brace = rest.indexOf('{');
  if (brace < 0 || rest.slice(0, brace).trim() !== '') {
    // No prototype: `OBSOL name`, `UNIMPL name comment`, `NODEF name altname alttag altrtyp`.
    const tail = words(raw, restStart).filter(w => w.text !== '\\');
    if (rest.includes('}')) {
      problem(n, restStart + rest.indexOf('}'), raw.length, `entry ${m[0]} has \`}\` without \`{\``);
      return entry;
    }
    if (tail.length) {
      entry.name = tail[0].text;
      entry.ranges.name = range(n, tail[0].start, n, tail[0].end);
      if (flags.includes('NODEF') && tail.length >= 2) {
        [entry.altname, entry.alttag, entry.altrtyp] = tail.slice(1, 4).map(w => w.text);
        entry.name = entry.altname;
      } else if (tail.length > 1) entry.comment = raw.slice(tail[1].start).trim();
    }
    return entry;
  }
  // The prototype: from `{` to the matching `}`, over as many lines as it takes.
  let body = '';
  let k = n;
  let col = restStart + brace + 1;
  let close = -1;
  let nameRange: Range | undefined;
  const bodyStarts: { line: number; col: number; at: number }[] = [];
  for (; k < lines.length && k - n < MAX_ENTRY_LINES; k++, col = 0) {
    const line = lines[k];
    if (k > n && ENTRY.test(line)) break; // the next entry: this one never closed
    if (k > n && /^\s*#/.test(line)) break;
    const j = line.indexOf('}', col);
    const seg = line.slice(col, j < 0 ? line.length : j);
    bodyStarts.push({ line: k, col, at: body.length });
    body += seg.replace(/\\\s*$/, ' ') + '\n';
    if (j >= 0) {
      close = j;
      break;
    }
  }
  if (close < 0) {
    problem(n, restStart + brace, raw.length, `the prototype of entry ${m[0]} opens \`{\` but never closes it`);
    entry.endLine = Math.max(n, k - 1);
    return entry;
  }
  entry.endLine = k;
  const proto = parseProto(body);
  if (typeof proto === 'string') problem(n, restStart + brace, k === n ? close + 1 : raw.length, proto);
  else {
    entry.proto = proto;
    entry.name = proto.name;
    const re = new RegExp(`\\b${proto.name}\\s*\\(`);
    const hit = re.exec(body);
    if (hit) {
      const seg = [...bodyStarts].reverse().find(s => s.at <= hit.index)!;
      const c = seg.col + hit.index - seg.at;
      nameRange = range(seg.line, c, seg.line, c + proto.name.length);
      entry.ranges.name = nameRange;
    }
  }
  // After `}`: alternative name, tag and return type, perhaps `\`-continued.
  const after: string[] = [];
  let tailLine = lines[k].slice(close + 1);
  for (;;) {
    const cont = /\\\s*$/.test(tailLine);
    after.push(
      ...tailLine
        .replace(/\\\s*$/, '')
        .trim()
        .split(/\s+/)
        .filter(Boolean),
    );
    if (!cont || k + 1 >= lines.length || ENTRY.test(lines[k + 1])) break;
    tailLine = lines[++k];
  }
  entry.endLine = k;
  if (after.length > 3)
    problem(
      k,
      0,
      lines[k].length,
      `entry ${m[0]} has ${after.length} words after its prototype (at most altname, alttag, altrtyp)`,
    );
  if (after.length) {
    [entry.altname, entry.alttag, entry.altrtyp] = after.slice(0, 3);
    entry.name = entry.altname;
  }
  const lastLine = lines[entry.endLine];
  entry.ranges.entry = range(n, lead, entry.endLine, lastLine.length);
  return entry;
}

/** The compat generation of an entry: `''` for plain COMPAT, `'4'` for COMPAT4, ...; undefined when none. */
export function compatOf(e: { flags: string[] }): string | undefined {
  for (const f of e.flags) {
    const m = /^COMPAT(\d*)$/.exec(f);
    if (m) return m[1];
  }
  return undefined;
}

/** What kind of number an entry is, as syscall.h and the checks treat it. */
export type MasterKind = 'live' | 'compat' | 'obsolete' | 'reserved' | 'unimplemented' | 'nodef';

export function kindOf(e: { flags: string[] }): MasterKind {
  if (compatOf(e) !== undefined) return 'compat';
  if (e.flags.includes('OBSOL')) return 'obsolete';
  if (e.flags.includes('RESERVED')) return 'reserved';
  if (e.flags.includes('UNIMPL')) return 'unimplemented';
  if (e.flags.includes('NODEF')) return 'nodef';
  return 'live';
}

/**
 * The words a compat generation prefixes in syscall.h: COMPAT7 and later get a
 * `SYS_freebsdN_name` define; COMPAT, COMPAT4 and COMPAT6 only a comment.
 */
export function compatDefines(gen: string): boolean {
  return gen !== '' && Number(gen) >= 7;
}

/** The entries that are alternatives of one another: the same number in two branches of one `#if` group. */
export function alternatives(a: MasterSyscall, b: MasterSyscall): boolean {
  const ca = a.conditions ?? [],
    cb = b.conditions ?? [];
  for (const x of ca) {
    const [g, br] = x.split(':');
    const y = cb.find(c => c.split(':')[0] === g);
    if (y && y.split(':')[1] !== br) return true;
  }
  return false;
}

/** The facts of an entry without its positions (what the bundled catalogue stores). */
export function factsOf(e: MasterEntry): MasterSyscall {
  const { endLine: _e, ranges: _r, ...facts } = e;
  return facts;
}
