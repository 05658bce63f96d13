// A unified diff for `systab fix --dry-run`: line-based LCS, fine for table-sized files.
export function unifiedDiff(file: string, a: string, b: string, context = 3): string {
  if (a === b) return '';
  const x = a.split('\n'),
    y = b.split('\n');
  // Trim the common head and tail so the LCS table stays small.
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail),
    ys = y.slice(head, y.length - tail);
  const ops: { op: ' ' | '-' | '+'; text: string }[] = [];
  if (xs.length * ys.length > 25e6) {
    for (const t of xs) ops.push({ op: '-', text: t });
    for (const t of ys) ops.push({ op: '+', text: t });
  } else {
    const n = xs.length,
      m = ys.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = xs[i] === ys[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    let i = 0,
      j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && xs[i] === ys[j]) {
        ops.push({ op: ' ', text: xs[i] });
        i++;
        j++;
      } else if (j < m && (i >= n || lcs[i][j + 1] > lcs[i + 1][j])) ops.push({ op: '+', text: ys[j++] });
      else ops.push({ op: '-', text: xs[i++] });
    }
  }
  const all = [
    ...x.slice(0, head).map(t => ({ op: ' ' as const, text: t })),
    ...ops,
    ...x.slice(x.length - tail).map(t => ({ op: ' ' as const, text: t })),
  ];
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let k = 0;
  while (k < all.length) {
    if (all[k].op === ' ') {
      k++;
      continue;
    }
    let start = Math.max(0, k - context),
      end = k;
    // Extend the hunk while changes are within 2*context lines of each other.
    for (;;) {
      while (end < all.length && all[end].op !== ' ') end++;
      let gap = end;
      while (gap < all.length && all[gap].op === ' ' && gap - end < 2 * context) gap++;
      if (gap < all.length && all[gap].op !== ' ') {
        end = gap;
        continue;
      }
      end = Math.min(all.length, end + context);
      break;
    }
    const aStart = 1 + all.slice(0, start).filter(o => o.op !== '+').length;
    const bStart = 1 + all.slice(0, start).filter(o => o.op !== '-').length;
    const hunk = all.slice(start, end);
    out.push(
      `@@ -${aStart},${hunk.filter(o => o.op !== '+').length} +${bStart},${hunk.filter(o => o.op !== '-').length} @@`,
    );
    for (const o of hunk) out.push(o.op + o.text);
    k = end;
    start = end;
  }
  return out.join('\n') + '\n';
}
