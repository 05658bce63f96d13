// Everything a UML check needs for one of its tables, gathered once: the table file, the
// host's `.tbl`, the tree's facts and the catalogue of the same tree.
import * as path from 'path';
import type { KernelReference } from '../../../reference/reference';
import { parseTbl, TblModel } from '../../../reference/linux/tbl';
import type { Workspace } from '../../family';
import { SUPPLY_KERNEL } from '../../notChecked';
import { parseUmlHeader, parseUmlTable, UmlHeaderFile, UmlTable, UmlTableFile } from './model';
import { readUmlTree, UmlTree } from './tree';
import { UmlLine, umlLines } from './lines';

export interface UmlContext {
  root: string;
  table: UmlTable;
  file: UmlTableFile;
  tbl: TblModel;
  tree: UmlTree;
  ref: KernelReference & Required<Pick<KernelReference, 'definitions'>>;
  lines: UmlLine[];
  /** Where a file of the tree is, for findings. */
  abs(rel: string): string;
}

/** The catalogue when it is this tree's own (another tree's definitions would say nothing of this one's UML). */
export function treeReference(root: string, ws: Workspace): UmlContext['ref'] | string {
  const ref = ws.kernel;
  if (!ref?.root || !ref.definitions)
    return `UML's table is not compared with the tree it is built from: no catalogue of ${root || '.'} is loaded; ${SUPPLY_KERNEL} (the tree itself)`;
  if (path.resolve(ref.root) !== path.resolve(root || '.'))
    return `UML's table is not compared with the tree it is built from: ${ref.label} is another tree; point systab.kernelPath or --kernel at ${root || '.'}`;
  return ref as UmlContext['ref'];
}

/**
 * UML's view of one table, or why there is none. `text`/`tbl` are the open document's, when
 * it is one of the two files; the others come through the Workspace.
 */
export function umlContext(
  root: string,
  table: UmlTable,
  ws: Workspace,
  given: { tableText?: string; tbl?: TblModel } = {},
): UmlContext | string {
  const abs = (rel: string) => path.join(root, rel);
  const ref = treeReference(root, ws);
  if (typeof ref === 'string') return ref;
  const tableText = given.tableText ?? ws.read(abs(table.table));
  if (tableText === undefined) return `the tree has no ${table.table}`;
  let tbl = given.tbl;
  if (!tbl) {
    const text = ws.read(abs(table.tbl));
    if (text === undefined) return `UML's table is built from ${table.tbl}, which the tree does not have`;
    tbl = parseTbl(abs(table.tbl), text);
  }
  const file = parseUmlTable(abs(table.table), tableText, table);
  const tree = readUmlTree(root, table.bits, ws);
  return { root, table, file, tbl, tree, ref, lines: umlLines(table, tbl.entries, file, tree, ref), abs };
}

/** The header's declarations, read from the document or the Workspace. */
export function umlHeader(root: string, table: UmlTable, ws: Workspace, text?: string): UmlHeaderFile | undefined {
  const file = path.join(root, table.header);
  const t = text ?? ws.read(file);
  return t === undefined ? undefined : parseUmlHeader(file, t);
}
