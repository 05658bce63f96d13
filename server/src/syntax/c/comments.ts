// C comments (`/* ... */`, also across lines, and `//`), removed so that readers of
// preprocessor lines see only code, in the two ways the readers need.

/**
 * Strips comments from one line, carrying `/* ... *\/` state across lines; string and
 * character literals are kept whole. Comments become blanks so offsets stay those of the
 * line, and their text is returned (trimmed) for readers that show it.
 */
export function stripLineComments(
  raw: string,
  inComment: boolean,
): { code: string; inComment: boolean; comment?: string } {
  let code = '';
  let comment: string | undefined;
  let i = 0;
  while (i < raw.length) {
    if (inComment) {
      const end = raw.indexOf('*/', i);
      const body = raw.slice(i, end < 0 ? raw.length : end);
      comment = (comment ?? '') + body;
      if (end < 0) {
        code += ' '.repeat(raw.length - i);
        i = raw.length;
        break;
      }
      code += ' '.repeat(end + 2 - i);
      i = end + 2;
      inComment = false;
      continue;
    }
    const c = raw[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < raw.length && raw[j] !== c) j += raw[j] === '\\' ? 2 : 1;
      code += raw.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '/' && raw[i + 1] === '*') {
      inComment = true;
      code += '  ';
      i += 2;
      comment = comment === undefined ? '' : comment + ' ';
      continue;
    }
    if (c === '/' && raw[i + 1] === '/') {
      comment = (comment ?? '') + raw.slice(i + 2);
      code += ' '.repeat(raw.length - i);
      break;
    }
    code += c;
    i++;
  }
  return { code, inComment, comment: comment?.trim() };
}

/**
 * The comments of `text` (closed ones; literals are not looked at) replaced by blanks of
 * their length, keeping offsets, or dropped.
 */
export function stripComments(text: string, keepOffsets = true): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, m => (keepOffsets ? ' '.repeat(m.length) : ''));
}
