// What strace.list is compiled against: each linux-user target's header (the names it
// defines, by the tables and syscallhdr.sh as tree.ts reads them) and syscall.c's cases.
// A row under `#ifdef TARGET_NR_x` is compiled only for targets whose header defines x.
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import type { Reader } from '../../../core/reader';
import { LineMap, lineMap, rangeOf } from '../../../core/text';
import type { Location } from '../../../core/types';
import { dispatchedLabels } from '../dispatch/labels';
import type { CaseLabel } from '../dispatch/labels';
import { linuxUserTargets } from '../syscallhdr';
import { qemuRootOf, targetDefines } from '../tree';

/** Where one target's header defines a name. */
export interface TargetDefine {
  target: string;
  file: string;
  line: number;
}

export interface StraceTree {
  syscallC: string;
  syscallText: string;
  /** The first `case TARGET_NR_x:` of each name syscall.c dispatches. */
  cases: Map<string, CaseLabel>;
  /** Every name some target's header defines, with the targets (in configs/targets order). */
  defines: Map<string, TargetDefine[]>;
  targets: string[];
  /** Tables that could not be read: the set of defined names is then incomplete. */
  unread: string[];
}

/** The tree around a linux-user/strace.list, or why there is none (for the not-checked note). */
export function straceTree(file: string, r: Reader, parser: Parser | undefined): StraceTree | string {
  const root = qemuRootOf(file);
  if (!root) return 'it is not in a QEMU tree';
  const targets = linuxUserTargets(root, r);
  if (!targets.length) return `no ${path.join('configs', 'targets')}/*-linux-user.mak is readable beside it`;
  const syscallC = path.join(root, 'linux-user', 'syscall.c');
  const syscallText = r.read(syscallC);
  if (syscallText === undefined) return 'linux-user/syscall.c is not readable beside it';
  if (!parser) return 'the C parser for linux-user/syscall.c is not loaded';
  const cases = new Map<string, CaseLabel>();
  for (const l of dispatchedLabels(syscallC, syscallText, parser)) if (!cases.has(l.name)) cases.set(l.name, l);
  const defines = new Map<string, TargetDefine[]>();
  const unread: string[] = [];
  for (const t of targets) {
    const d = targetDefines(root, r, t);
    if (r.read(d.source) === undefined) {
      unread.push(path.relative(root, d.source));
      continue;
    }
    for (const [name, at] of d.headerNames) {
      const list = defines.get(name) ?? [];
      list.push({ target: t.target, ...at });
      defines.set(name, list);
    }
  }
  return { syscallC, syscallText, cases, defines, targets: targets.map(t => t.target), unread: [...new Set(unread)] };
}

const maps = new WeakMap<StraceTree, LineMap>();

/** syscall.c's `case TARGET_NR_x:` for `name`, as a location. */
export function caseLocation(tree: StraceTree, name: string): Location | undefined {
  const label = tree.cases.get(name);
  if (!label) return undefined;
  let map = maps.get(tree);
  if (!map) maps.set(tree, (map = lineMap(tree.syscallText)));
  return { file: tree.syscallC, range: rangeOf(map, label.start, label.end) };
}
