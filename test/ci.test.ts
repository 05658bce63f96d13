// The README's CI jobs, as far as they run without GitLab or GitHub: their shell lines
// (all but the `npm install -g`), run by bash as the runners do (`set -eo pipefail`), with
// `systab` the built command, in a copy of test/fixtures/qemu; then the reports they write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CODE_INFO } from '../server/src/core/codes';
import { CLI, QEMU, realData, ROOT, scratch, tmpDir } from './helpers/paths';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const yamlAfter = (heading: string) => {
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `the README has ${heading}`);
  const m = /```yaml\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, `a yaml block follows ${heading}`);
  return m[1];
};

/** The items of a YAML list of shell lines (`- cmd` and `- |` blocks) at `indent`. */
function shellItems(lines: string[], indent: number): string[] {
  const items: string[] = [];
  const dash = ' '.repeat(indent) + '- ';
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith(dash)) continue;
    const item = lines[i].slice(dash.length);
    if (item !== '|') {
      items.push(item);
      continue;
    }
    const block: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1].startsWith(' '.repeat(indent + 2)) || !lines[i + 1].trim()))
      block.push(lines[++i].slice(indent + 2));
    items.push(block.join('\n'));
  }
  return items;
}

/** A folder holding `systab`: the built command, as `npm install -g` would put it on PATH. */
function systabOnPath(): string {
  const bin = tmpDir('ci-bin');
  fs.writeFileSync(path.join(bin, 'systab'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  return bin;
}

function runJob(commands: string[], cwd: string) {
  const install = commands.filter(c => c.startsWith('npm install -g '));
  assert.deepEqual(install, ['npm install -g "$SYSTAB_PACKAGE"'], 'the job installs systab from its package');
  const script = ['set -eo pipefail', ...commands.filter(c => !install.includes(c))].join('\n');
  const env = { ...process.env, PATH: `${systabOnPath()}${path.delimiter}${process.env.PATH}` };
  return spawnSync('bash', ['-c', script], { cwd, env, encoding: 'utf8' });
}

function checkSarif(file: string) {
  const sarif = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  const results = sarif.runs[0].results as {
    level: string;
    locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[];
  }[];
  assert.ok(results.length);
  for (const r of results) {
    assert.ok(r.level === 'error' || r.level === 'warning', '--min-severity warning leaves the notes out');
    const loc = r.locations[0].physicalLocation.artifactLocation;
    assert.equal(loc.uriBaseId, 'SRCROOT');
    assert.ok(fs.existsSync(path.join(path.dirname(file), loc.uri)), loc.uri);
  }
  return results;
}

const gitlabJob = () => yamlAfter("GitLab CI (QEMU's CI)");
function gitlabCommands(): string[] {
  const lines = gitlabJob().split('\n');
  return shellItems(lines.slice(lines.indexOf('  script:') + 1, lines.indexOf('  artifacts:')), 4);
}

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}

function checkCodeQuality(report: Issue[], dir: string) {
  const codes = new Set(CODE_INFO.map(c => c.code as string));
  for (const issue of report) {
    assert.ok(issue.description.length > 10);
    assert.ok(codes.has(issue.check_name), issue.check_name);
    assert.match(issue.fingerprint, /^[0-9a-f]{64}$/);
    assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity));
    assert.ok(!path.isAbsolute(issue.location.path));
    assert.ok(fs.existsSync(path.join(dir, issue.location.path)), issue.location.path);
    assert.ok(Number.isInteger(issue.location.lines.begin) && issue.location.lines.begin >= 1);
  }
  assert.equal(new Set(report.map(i => i.fingerprint)).size, report.length, 'one fingerprint per issue');
}

test('the GitLab job: SARIF artifact and Code Quality report, the job failing on errors', () => {
  const job = gitlabJob();
  assert.match(job, /^systab:\n {2}image: node:20\n/);
  assert.match(job, /^ {4}SYSTAB_PACKAGE: systab@\d+\.\d+\.\d+$/m);
  assert.match(
    job,
    / {2}artifacts:\n {4}when: always\n {4}paths:\n {6}- systab\.sarif\n {4}reports:\n {6}codequality: gl-code-quality-report\.json\n/,
  );
  const commands = gitlabCommands();
  assert.equal(commands.length, 5);

  const dir = scratch(QEMU);
  const r = runJob(commands, dir);
  assert.equal(r.status, 1, `the last line fails the job on the errors found\n${r.stderr}`);
  assert.match(r.stdout, /: error: .* \[missing-entry\]$/m);

  const results = checkSarif(path.join(dir, 'systab.sarif'));
  const findings = JSON.parse(fs.readFileSync(path.join(dir, 'systab.json'), 'utf8')) as unknown[];
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'gl-code-quality-report.json'), 'utf8')) as Issue[];
  assert.equal(report.length, findings.length);
  assert.equal(report.length, results.length);
  checkCodeQuality(report, dir);
  assert.ok(report.some(i => i.severity === 'major') && report.some(i => i.severity === 'minor'));
});

test('the GitHub Actions job: SARIF uploaded by upload-sarif, the job failing on errors', () => {
  const job = yamlAfter('GitHub Actions, in `.github/workflows/systab.yml`');
  assert.match(job, /^permissions:\n {2}contents: read\n {2}security-events: write\n/m);
  assert.match(
    job,
    /^ {6}- uses: github\/codeql-action\/upload-sarif@v\d+\n {8}with:\n {10}sarif_file: systab\.sarif\n/m,
  );
  const commands = [...job.matchAll(/^ {6}- run: (.*)$/gm)].map(m => m[1]);
  assert.equal(commands.length, 3);
  const dir = scratch(QEMU);
  const r = runJob(commands, dir);
  assert.equal(r.status, 1, r.stderr);
  checkSarif(path.join(dir, 'systab.sarif'));
});

const real = realData();
test(
  "the GitLab job's Code Quality report on QEMU 7.2: one issue and one fingerprint per finding",
  { skip: real ? false : 'the real QEMU tree is not fetched (scripts/fetch-real-data.sh)' },
  () => {
    // The tree is shared by the other tests: the job's commands write into a scratch folder.
    const out = tmpDir('ci-real');
    const json = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--min-severity', 'warning', '.'], {
      cwd: real!.qemu,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    assert.equal(json.status, 1, json.stderr);
    fs.writeFileSync(path.join(out, 'systab.json'), json.stdout);
    const convert = gitlabCommands().find(c => c.startsWith('node - systab.json'))!;
    const r = spawnSync('bash', ['-c', `set -eo pipefail\n${convert}`], { cwd: out, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'gl-code-quality-report.json'), 'utf8')) as Issue[];
    assert.equal(report.length, (JSON.parse(json.stdout) as unknown[]).length);
    // ppc's syscall.tbl has the same drift message on two lines: two fingerprints.
    checkCodeQuality(report, real!.qemu);
    assert.ok(
      report.some(i => i.severity === 'major'),
      'QEMU 7.2 has errors',
    );
  },
);
