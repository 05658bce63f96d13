// SARIF 2.1.0 for code scanning (GitHub, GitLab): the tool and its version, a rule per code
// with its summary and default level, locations relative to %SRCROOT% (the current directory).
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CODE_INFO, CodeInfo } from '../core/codes';
import { Finding, Severity } from '../core/types';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(findings: Finding[], version: string): object {
  const root = process.cwd();
  const location = (file: string) => {
    // A kernel path from the bundled catalogue names no file here: relative to the kernel tree.
    if (!path.isAbsolute(file)) return { uri: file.split(path.sep).join('/'), uriBaseId: 'KERNEL' };
    const rel = path.relative(root, file);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel)
      ? { uri: rel.split(path.sep).join('/'), uriBaseId: 'SRCROOT' }
      : { uri: pathToFileURL(file).href };
  };
  const rules = (CODE_INFO as readonly CodeInfo[]).map(c => ({
    id: c.code,
    shortDescription: { text: c.summary },
    defaultConfiguration: { level: LEVEL[c.severity] },
    helpUri: `https://github.com/systab/systab#diagnostic-codes`,
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'systab',
            version,
            semanticVersion: version,
            informationUri: 'https://github.com/systab/systab',
            rules,
          },
        },
        originalUriBaseIds: {
          SRCROOT: { uri: pathToFileURL(root + path.sep).href },
          KERNEL: { description: { text: 'the Linux source tree the bundled catalogue was generated from' } },
        },
        results: findings.map(f => ({
          ruleId: f.code,
          ruleIndex: ruleIndex.get(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: location(f.file),
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
          relatedLocations: f.related.map((r, i) => ({
            id: i,
            message: { text: r.message },
            physicalLocation: {
              artifactLocation: location(r.location.file),
              region: { startLine: r.location.range.start.line + 1 },
            },
          })),
        })),
      },
    ],
  };
}
