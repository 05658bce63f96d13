// SARIF 2.1.0 output for code-scanning tools.
import { Finding } from '../core/types';

const LEVEL: Record<Finding['severity'], string> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export function toSarif(findings: Finding[], rel: (f: string) => string): object {
  const rules = [...new Set(findings.map(f => f.code))].sort().map(id => ({ id }));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'systab', informationUri: 'https://github.com/systab/systab', rules } },
        results: findings.map(f => ({
          ruleId: f.code,
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: rel(f.file) },
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
              artifactLocation: { uri: rel(r.location.file) },
              region: { startLine: r.location.range.start.line + 1 },
            },
          })),
        })),
      },
    ],
  };
}
