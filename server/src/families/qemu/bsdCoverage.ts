// Coverage of a QEMU tree's bsd-user: per target, FreeBSD's live syscalls, those QEMU's
// bsd-user/freebsd/syscall_nr.h defines at FreeBSD's number, those os-syscall.c dispatches
// and those strace.list prints. FreeBSD numbers are the same on every target; the targets
// differ in the argument words, which the strace.list rules judge.
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import type { Reader } from '../../core/reader';
import type { BsdTargetCoverage, Missing } from '../../../../protocol/protocol';
import { kindOf } from '../../reference/freebsd/master';
import type { FreeBsdReference } from '../../reference/freebsd/reference';
import { bsdDispatched } from './bsdDispatch/labels';
import { parseBsdNr } from './bsdNr/model';
import { bsdUserTargets } from './bsdTargets';
import { parseStraceList } from './straceList/model';

export type { BsdTargetCoverage };

export function bsdCoverage(
  root: string,
  r: Reader,
  parser: Parser,
  ref: FreeBsdReference | undefined,
): BsdTargetCoverage[] {
  const dir = path.join(root, 'bsd-user', 'freebsd');
  const header = r.read(path.join(dir, 'syscall_nr.h'));
  const targets = bsdUserTargets(root, r);
  if (header === undefined || !targets.length) return [];
  const live = ref ? ref.header().filter(l => l.kind === 'define' && kindOf(l.entry) === 'live') : [];
  const liveNames = new Set(live.map(l => l.name));
  const nr = parseBsdNr(path.join(dir, 'syscall_nr.h'), header);
  const defined = new Set(
    nr.defines
      .filter(d => !ref || (liveNames.has(d.name) && ref.defined(d.name)?.number === d.number))
      .map(d => d.name),
  );
  const osFile = path.join(dir, 'os-syscall.c');
  const osText = r.read(osFile);
  const dispatched = osText === undefined ? new Set<string>() : bsdDispatched(osFile, osText, parser);
  const sFile = path.join(dir, 'strace.list');
  const sText = r.read(sFile);
  const traced = new Set(sText ? parseStraceList(sFile, sText, 'TARGET_FREEBSD_NR_').entries.map(e => e.name) : []);
  const count = (s: Set<string>) => [...defined].filter(n => s.has(n)).length;
  // Where each missing syscall would go: a define before the first numbered line past its
  // number (else MAXSYSCALL), a case before os-syscall.c's default, a row at strace.list's end.
  const hFile = path.join(dir, 'syscall_nr.h');
  const numbered = [...nr.defines, ...nr.comments].sort((a, b) => a.line - b.line);
  const lastLine = (t: string) => Math.max(0, t.split('\n').length - 1);
  const headerPlace = (n: number): Missing['where'] => ({
    file: hFile,
    line: numbered.find(x => (x.number ?? -1) > n)?.line ?? nr.max?.line ?? lastLine(header),
  });
  // The default label of freebsd_syscall() (QEMU's logs "Unsupported syscall" there), else the last one.
  const defaultAt = (t: string) => {
    const u = t.indexOf('Unsupported syscall');
    return u >= 0 ? u : ([...t.matchAll(/^[ \t]*default\s*:/gm)].pop()?.index ?? 0);
  };
  const defaultCase = osText === undefined ? 0 : lastLine(osText.slice(0, defaultAt(osText)));
  const at = (file: string, line: number) => (name: string) => ({ name, where: { file, line } });
  const notInHeader = live.filter(l => !defined.has(l.name)).map(l => ({ name: l.name, where: headerPlace(l.number) }));
  const notDispatched = [...defined].filter(n => !dispatched.has(n)).map(at(osFile, defaultCase));
  const notTraced = [...defined].filter(n => !traced.has(n)).map(at(sFile, lastLine(sText ?? '')));
  return targets.map(t => ({
    target: t.target,
    arch: t.arch,
    freebsd: ref ? live.length : undefined,
    qemu: defined.size,
    dispatched: count(dispatched),
    traced: count(traced),
    notInHeader,
    notDispatched,
    notTraced,
  }));
}

const pct = (a: number, b: number | undefined) => (b ? `${Math.round((100 * a) / b)}%` : '-');

/** The bsd-user table of `systab coverage`. */
export function bsdCoverageText(rows: BsdTargetCoverage[], markdown: boolean): string {
  if (!rows.length) return '';
  const head = ['bsd-user target', 'arch', 'FreeBSD', 'QEMU header', 'dispatched', 'traced'];
  const cells = rows.map(t => [
    t.target,
    t.arch,
    t.freebsd === undefined ? '-' : String(t.freebsd),
    `${t.qemu} (${pct(t.qemu, t.freebsd)})`,
    `${t.dispatched} (${pct(t.dispatched, t.qemu)})`,
    `${t.traced} (${pct(t.traced, t.qemu)})`,
  ]);
  if (markdown) {
    const out = [
      '',
      `| ${head.join(' | ')} |`,
      `|${head.map(() => '---').join('|')}|`,
      ...cells.map(r => `| ${r.join(' | ')} |`),
    ];
    const t = rows[0];
    const list = (title: string, xs: Missing[]) => {
      if (xs.length) out.push('', `${title} (${xs.length}): ${xs.map(x => `\`${x.name}\``).join(', ')}`);
    };
    out.push('', '## bsd-user (every target)');
    list("In FreeBSD, not in bsd-user's syscall_nr.h", t.notInHeader);
    list('Not dispatched in os-syscall.c', t.notDispatched);
    list('Not in strace.list', t.notTraced);
    return out.join('\n') + '\n';
  }
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map(r => r[i].length)));
  const fmt = (r: string[]) =>
    r
      .map((x, i) => x.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return ['', fmt(head), ...cells.map(fmt)].join('\n') + '\n';
}
