// bsd-user/freebsd/os-syscall.c: the `case TARGET_FREEBSD_NR_x:` labels of freebsd_syscall(),
// read as linux-user's syscall.c labels are, with FreeBSD's prefix.
import type { Parser, Tree } from 'web-tree-sitter';
import { CaseLabel, caseLabels, dispatchedNames } from '../dispatch/labels';

export type BsdLabel = CaseLabel;

const PREFIX = 'TARGET_FREEBSD_NR_';

/** The labels; tree-sitter confirms each is a case value (not a comment or a string). */
export const bsdLabels = (text: string, tree: Tree): BsdLabel[] => caseLabels(text, tree, 0, PREFIX);

/** The names os-syscall.c dispatches, parsed once per text of the file. */
export const bsdDispatched = (file: string, text: string, parser: Parser): Set<string> =>
  dispatchedNames(file, text, parser, PREFIX);
