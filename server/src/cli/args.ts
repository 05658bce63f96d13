// The command line: each command's options declared once, so parsing, `--help` and the
// rejection of an option a command does not take all come from the same table.
import { CODES } from '../core/codes';

export class UsageError extends Error {
  /** The command whose usage to show with the message, if any. */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** Input that cannot be used (a broken `.systab.json`): one line, exit 2, no usage text. */
export class InputError extends Error {}

interface OptionSpec {
  name: string;
  /** The value's name in help (`DIR`); absent for a flag. */
  value?: string;
  help: string;
  /** Allowed values, checked when parsed. */
  choices?: readonly string[];
}

interface CommandSpec {
  name: string;
  args: string;
  summary: string;
  details?: string;
  options: OptionSpec[];
}

const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;
export type MinSeverity = (typeof SEVERITIES)[number];

const kernel: OptionSpec = {
  name: 'kernel',
  value: 'DIR',
  help: 'a Linux source tree to check against (default: the catalogue bundled with systab)',
};
const freebsd: OptionSpec = {
  name: 'freebsd',
  value: 'DIR',
  help: "a FreeBSD source tree for bsd-user's tables (default: the FreeBSD catalogue bundled with systab)",
};
const config: OptionSpec = {
  name: 'config',
  value: 'FILE',
  help: 'settings as in the editor (default: .systab.json in the current directory)',
};
const noCache: OptionSpec = {
  name: 'no-cache',
  help: "index the kernel tree afresh instead of loading its cached index (the editor's cache), and check afresh instead of printing a stored run's output",
};
const only: OptionSpec = { name: 'only', value: 'CODE,...', help: 'only these diagnostic codes' };
const skip: OptionSpec = { name: 'skip', value: 'CODE,...', help: 'leave out these diagnostic codes' };

export const COMMANDS: CommandSpec[] = [
  {
    name: 'check',
    args: '[PATH...]',
    summary: 'report the findings in table files or trees',
    details:
      'PATH is a table file or a tree (a QEMU checkout, its linux-user/, or a directory of tables); the default is\n' +
      'the current directory. systab opens the known table paths of a tree, never walks it. The text format shows\n' +
      'errors and warnings and says how many notes it held back; json and sarif hold every finding.\n' +
      'With --patch, PATH is the one tree the patch applies to (default: the current directory); the patch is\n' +
      'applied in memory, never to disk, and what is reported is what it adds or causes: the findings on the\n' +
      'lines it adds or changes, and the findings anywhere in the tree that the tree without it does not have.\n' +
      'A tree that holds the patch already (git format-patch -1 in it) is checked against itself without it.',
    options: [
      kernel,
      noCache,
      freebsd,
      {
        name: 'patch',
        value: 'FILE',
        help: 'review a unified diff (git diff, git format-patch; - for standard input) against PATH',
      },
      {
        name: 'format',
        value: 'FORMAT',
        help: 'text, json or sarif (default text)',
        choices: ['text', 'json', 'sarif'],
      },
      {
        name: 'min-severity',
        value: 'LEVEL',
        help: 'show findings of this severity and above: error, warning, information or hint',
        choices: SEVERITIES,
      },
      only,
      skip,
      config,
    ],
  },
  {
    name: 'fix',
    args: '[PATH...]',
    summary: "apply every preferred quick-fix, in the files' own style",
    details:
      'Files are written only if they did not change since they were read. A table is checked against the .tbl\n' +
      'beside it, so .tbl files are fixed first and the rest are checked against the fixed text; --dry-run prints\n' +
      'exactly what fix would write, as a unified diff that git apply and patch -p1 accept.',
    options: [
      kernel,
      noCache,
      freebsd,
      { name: 'dry-run', help: 'print the changes as a diff, write nothing' },
      only,
      skip,
      config,
    ],
  },
  {
    name: 'regen',
    args: 'FILE',
    summary: 'print the regenerated table or header',
    details:
      'An o32 table: the whole table regenerated from the .tbl and the prototypes. A .tbl under\n' +
      "linux-user/<dir>/: the header that dir's syscallhdr.sh generates for QEMU target NAME (required where the\n" +
      'targets that use the .tbl differ).',
    options: [
      kernel,
      noCache,
      freebsd,
      { name: 'target', value: 'NAME', help: 'the QEMU target (ppc64, sparc32plus, ...)' },
      config,
    ],
  },
  {
    name: 'coverage',
    args: '[PATH]',
    summary: 'per QEMU target and ABI: kernel, table, dispatched, traced',
    details: 'PATH is a QEMU tree or its linux-user/ (default: the current directory).',
    options: [
      kernel,
      noCache,
      freebsd,
      {
        name: 'format',
        value: 'FORMAT',
        help: 'text, json or markdown (default text)',
        choices: ['text', 'json', 'markdown'],
      },
    ],
  },
  {
    name: 'index',
    args: '',
    summary: "write a kernel tree's catalogue as JSON (.gz to compress)",
    details:
      "With --freebsd DIR instead of --kernel: FreeBSD's syscalls.master catalogue (data/freebsd-catalogue.json.gz).",
    options: [
      { ...kernel, help: 'the Linux source tree to index (required, unless --freebsd)' },
      { ...freebsd, help: 'a FreeBSD source tree (or a folder with syscalls.master) to index instead' },
      { name: 'out', value: 'FILE', help: 'where to write it (required)' },
    ],
  },
];

export interface Args {
  cmd: string;
  paths: string[];
  kernel?: string;
  freebsd?: string;
  format: string;
  dryRun: boolean;
  out?: string;
  config?: string;
  target?: string;
  minSeverity?: MinSeverity;
  only?: string[];
  skip?: string[];
  patch?: string;
  noCache: boolean;
  help: boolean;
}

/** The closest known word, for "did you mean". */
export function suggest(word: string, known: readonly string[]): string | undefined {
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  };
  const best = [...known].sort((x, y) => dist(word, x) - dist(word, y))[0];
  return best !== undefined && dist(word, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

const codeList = (cmd: string, opt: string, value: string): string[] => {
  const codes = value
    .split(',')
    .map(c => c.trim())
    .filter(Boolean);
  for (const c of codes) {
    if ((CODES as readonly string[]).includes(c)) continue;
    const s = suggest(c, CODES);
    throw new UsageError(`--${opt}: unknown code ${c}${s ? ` (did you mean ${s}?)` : ''}`, cmd);
  }
  return codes;
};

export function parseArgs(argv: string[]): Args {
  const cmd = argv[0] ?? '';
  const a: Args = { cmd, paths: [], format: 'text', dryRun: false, noCache: false, help: false };
  const spec = COMMANDS.find(c => c.name === cmd);
  if (!spec) return a;
  for (let i = 1; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--help' || x === '-h') {
      a.help = true;
      continue;
    }
    if (!x.startsWith('-') || x === '-') {
      a.paths.push(x);
      continue;
    }
    const [name, inline] = x.startsWith('--')
      ? [x.slice(2).split('=')[0], x.includes('=') ? x.slice(x.indexOf('=') + 1) : undefined]
      : [x, undefined];
    const opt = spec.options.find(o => o.name === name);
    if (!opt) {
      const s = suggest(
        name,
        spec.options.map(o => o.name),
      );
      throw new UsageError(`${cmd} does not take ${x.split('=')[0]}${s ? ` (did you mean --${s}?)` : ''}`, cmd);
    }
    let value: string | undefined;
    if (opt.value) {
      value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value (${opt.value})`, cmd);
      if (opt.choices && !opt.choices.includes(value))
        throw new UsageError(
          `--${name} must be ${opt.choices.slice(0, -1).join(', ')} or ${opt.choices[opt.choices.length - 1]}, not ${value}`,
          cmd,
        );
    } else if (inline !== undefined) throw new UsageError(`--${name} takes no value`, cmd);
    if (name === 'kernel') a.kernel = value;
    else if (name === 'freebsd') a.freebsd = value;
    else if (name === 'format') a.format = value!;
    else if (name === 'dry-run') a.dryRun = true;
    else if (name === 'no-cache') a.noCache = true;
    else if (name === 'out') a.out = value;
    else if (name === 'config') a.config = value;
    else if (name === 'target') a.target = value;
    else if (name === 'min-severity') a.minSeverity = value as MinSeverity;
    else if (name === 'only') a.only = codeList(cmd, name, value!);
    else if (name === 'skip') a.skip = codeList(cmd, name, value!);
    else if (name === 'patch') a.patch = value;
  }
  return a;
}

export function commandHelp(cmd: string): string {
  const c = COMMANDS.find(x => x.name === cmd)!;
  const opts = c.options.map(o => `  --${o.name}${o.value ? ` ${o.value}` : ''}`);
  const width = Math.max(...opts.map(o => o.length)) + 2;
  return [
    `usage: systab ${c.name}${c.args ? ` ${c.args}` : ''} [options]`,
    '',
    `${c.summary[0].toUpperCase()}${c.summary.slice(1)}.`,
    ...(c.details ? ['', c.details] : []),
    '',
    'options:',
    ...c.options.map((o, i) => `${opts[i].padEnd(width)}${o.help}`),
    `${'  --help'.padEnd(width)}this help`,
  ].join('\n');
}

export function usage(): string {
  const width = Math.max(...COMMANDS.map(c => c.name.length)) + 4;
  return [
    'usage: systab COMMAND [options]',
    '',
    'commands:',
    ...COMMANDS.map(c => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    '`systab help COMMAND` or `systab COMMAND --help` for its options; `systab --version`.',
    'Exit status: 0 no error findings, 1 error findings, 2 bad usage, unreadable input or no table read.',
  ].join('\n');
}
