// C parameter lists as the kernel writes them: prototypes (`int fd, loff_t pos`) and
// SYSCALL_DEFINE argument lists (`int, fd, loff_t, pos`).

export interface Param {
  type: string;
  name: string;
}

/** Split at top-level commas (ignoring commas inside parentheses). */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0,
    start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map(x => x.replace(/\s+/g, ' ').trim()).filter((x, i, a) => x !== '' || a.length > 1);
}

/** Kernel macros that stand for a 64-bit value passed as two 32-bit halves. */
const SPLIT64 = /^(compat_arg_u64|compat_arg_u64_dual|compat_arg_u64_glue|SC_ARG64|arg_u32p)\s*\(\s*(\w+)\s*\)$/;

function halves(name: string): Param[] {
  return [
    { type: 'u32', name: `${name}_lo` },
    { type: 'u32', name: `${name}_hi` },
  ];
}

const TYPE_WORDS = new Set([
  'int',
  'long',
  'short',
  'char',
  'unsigned',
  'signed',
  'void',
  'const',
  'volatile',
  'struct',
  'union',
  'enum',
  '__user',
  'float',
  'double',
  '_Bool',
]);

/** One declaration parameter: `const char __user *filename` or an unnamed `int`. */
export function parseParam(text: string): Param[] {
  const t = text.trim();
  const m = SPLIT64.exec(t);
  if (m) return halves(m[2]);
  const arr = /^(.*?)(\w+)\s*\[\s*\w*\s*\]$/.exec(t);
  if (arr) return [{ type: `${arr[1].trim()} *`, name: arr[2] }];
  const last = /^(.*[\s*])([A-Za-z_]\w*)$/.exec(t);
  if (
    last &&
    !TYPE_WORDS.has(last[2]) &&
    /[A-Za-z_*]/.test(last[1]) &&
    !/^(struct|union|enum)\s*$/.test(last[1].trim())
  ) {
    return [{ type: last[1].trim(), name: last[2] }];
  }
  return [{ type: t, name: '' }];
}

/** A prototype's parameter list (the text between the parentheses). */
export function parseParamList(inner: string): Param[] {
  const parts = splitTopLevel(inner);
  if (parts.length === 1 && (parts[0] === 'void' || parts[0] === '')) return [];
  return parts.flatMap(parseParam);
}

/** SYSCALL_DEFINEn arguments after the name: `type, name, type, name, ...`. */
export function parseDefineArgs(args: string[]): Param[] {
  const out: Param[] = [];
  for (let i = 0; i < args.length; i++) {
    const m = SPLIT64.exec(args[i]);
    if (m) {
      out.push(...halves(m[2]));
      continue;
    }
    out.push({ type: args[i], name: args[i + 1] ?? '' });
    i++;
  }
  return out;
}

export function formatParams(params: Param[]): string {
  if (!params.length) return 'void';
  return params.map(p => (p.name ? `${p.type}${p.type.endsWith('*') ? '' : ' '}${p.name}` : p.type)).join(', ');
}
