// Unified diffs through the `diff` package: what `fix --dry-run` prints, in the form
// `git apply` and `patch -p1` take (`a/` and `b/` prefixes, "\ No newline at end of file").
import { formatPatch, structuredPatch } from 'diff';

export function patchText(file: string, before: string, after: string): string {
  if (before === after) return '';
  const p = structuredPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
  const body = formatPatch(p, { includeIndex: false, includeUnderline: false, includeFileHeaders: true });
  return `diff --git a/${file} b/${file}\n${body.endsWith('\n') ? body : body + '\n'}`;
}
