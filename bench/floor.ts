// The floor of a tree-sitter language server's cold start (npm run bench, cold start): a
// node process that starts, loads web-tree-sitter and the C grammar, and parses one file
// once, wrapped as the server wraps it. Bundled on its own (scripts/bench.mjs) so that it
// loads nothing else. argv: FILE [PREFIX SUFFIX]; prints the parse's root type when done.
import * as fs from 'fs';
import { newParser } from '../server/src/syntax/c/parser';

(async () => {
  const [file, prefix = '', suffix = ''] = process.argv.slice(2);
  const parser = await newParser();
  const tree = parser.parse(prefix + fs.readFileSync(file, 'utf8') + suffix)!;
  process.stdout.write(`${tree.rootNode.type}\n`);
})();
