// The architecture holds: layers import downward only, only the front ends (and io/) touch
// the disk or know LSP, every family is in the registry, the generated manifest, README and
// document selector agree with the registries, and the fuzz corpus covers every family.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as prettier from 'prettier';
import { CODE_INFO } from '../server/src/core/codes';
import { FAMILIES } from '../server/src/families/registry';
import { codeTable, documentsModule, generatedManifest, generatedReadme } from '../scripts/generated';
import { CORPUS } from './reliability/fuzzlib';
import { ROOT } from './helpers/paths';

const SRC = path.join(ROOT, 'server', 'src');
const walk = (d: string): string[] =>
  fs
    .readdirSync(d, { withFileTypes: true })
    .flatMap(e =>
      e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : [],
    );

/** Each layer and the layers it may import (besides itself); protocol/ is plain shared types. */
const LAYERS: Record<string, string[]> = {
  core: ['protocol'],
  syntax: ['core', 'protocol'],
  reference: ['core', 'syntax', 'protocol'],
  families: ['core', 'syntax', 'reference', 'protocol'],
  analysis: ['core', 'syntax', 'reference', 'families', 'protocol'],
  io: ['core', 'syntax', 'reference', 'families', 'analysis', 'protocol'],
  lsp: ['core', 'syntax', 'reference', 'families', 'analysis', 'io', 'protocol', 'package.json'],
  cli: ['core', 'syntax', 'reference', 'families', 'analysis', 'io', 'protocol', 'package.json'],
};

function layerOf(file: string): string {
  const rel = path.relative(ROOT, file).split(path.sep);
  if (rel[0] === 'protocol') return 'protocol';
  if (rel[0] === 'client') return 'client';
  return rel[0] === 'server' && rel[1] === 'src' ? rel[2].replace(/\.ts$/, '') : rel[0];
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import|require)\s*\(?\s*'([^']+)'/g)].map(m => m[1]);
}

const resolved = (file: string, spec: string) => path.resolve(path.dirname(file), spec);

test('layers import downward only', () => {
  const wrong: string[] = [];
  for (const file of walk(SRC)) {
    const from = layerOf(file);
    assert.ok(LAYERS[from], `${path.relative(ROOT, file)} is in no layer (server/src/<layer>/...)`);
    for (const spec of imports(file).filter(s => s.startsWith('.'))) {
      const to = layerOf(resolved(file, spec));
      if (to !== from && !LAYERS[from].includes(to))
        wrong.push(`${path.relative(SRC, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("the kernel's own families never import a consumer's (families/linux does not know families/qemu)", () => {
  const linux = walk(path.join(SRC, 'families', 'linux'));
  const wrong = linux.flatMap(f =>
    imports(f)
      .filter(s => s.startsWith('.') && resolved(f, s).includes(`${path.sep}families${path.sep}qemu`))
      .map(s => `${path.relative(SRC, f)} imports ${s}`),
  );
  assert.deepEqual(wrong, []);
});

test('only io/ and the front ends touch the disk; only lsp/ knows LSP', () => {
  // The C grammar's .wasm ships beside the bundle: the parser loader finds it, nothing else.
  const allowedFs = new Set(['io', 'lsp', 'cli']);
  const wrong: string[] = [];
  for (const file of walk(SRC)) {
    const layer = layerOf(file),
      specs = imports(file),
      rel = path.relative(SRC, file);
    if (
      specs.some(s => s === 'fs' || s === 'fs/promises' || s === 'node:fs') &&
      !allowedFs.has(layer) &&
      rel !== path.join('syntax', 'c', 'parser.ts')
    )
      wrong.push(`${rel} imports fs`);
    if (specs.some(s => s.startsWith('vscode-languageserver')) && layer !== 'lsp') wrong.push(`${rel} imports LSP`);
    if (specs.includes('child_process')) wrong.push(`${rel} imports child_process: systab runs no program`);
  }
  assert.deepEqual(wrong, []);
});

test('the protocol and the client import nothing of the server', () => {
  const files = [...walk(path.join(ROOT, 'protocol')), ...walk(path.join(ROOT, 'client', 'src'))];
  const wrong = files.flatMap(f =>
    imports(f)
      .filter(s => s.startsWith('.') && resolved(f, s).startsWith(path.join(ROOT, 'server')))
      .map(s => `${path.relative(ROOT, f)} imports ${s}`),
  );
  assert.deepEqual(wrong, []);
  for (const f of walk(path.join(ROOT, 'protocol'))) assert.ok(!imports(f).includes('vscode'), `${f} imports vscode`);
});

test('every family folder is in the registry, under its own id', () => {
  const folders = walk(path.join(SRC, 'families'))
    .filter(f => path.basename(f) === 'family.ts' && path.dirname(f) !== path.join(SRC, 'families'))
    .map(f => path.relative(path.join(SRC, 'families'), path.dirname(f)).split(path.sep).join('/'))
    .sort();
  assert.deepEqual(FAMILIES.map(f => f.id).sort(), folders);
  assert.equal(new Set(FAMILIES.map(f => f.id)).size, FAMILIES.length, 'ids are unique');
  for (const f of FAMILIES) {
    assert.ok(f.rules.length, `${f.id} has rules`);
    for (const r of f.rules) assert.ok(r.about.length > 40, `${f.id}: every rule says what it checks`);
  }
});

test("every code has a rule or is the analysis' own; every rule's code is registered", () => {
  const known = new Set<string>(CODE_INFO.map(c => c.code));
  const ruled = new Set<string>(FAMILIES.flatMap(f => f.rules.flatMap(r => [...r.codes])));
  const analysisOwn = ['file-too-large', 'parse-timeout', 'not-checked'];
  assert.deepEqual(
    [...known].filter(c => !ruled.has(c) && !analysisOwn.includes(c)),
    [],
  );
  assert.deepEqual(
    [...ruled].filter(c => !known.has(c)),
    [],
  );
  // A code written in a finding anywhere in the server must be registered too.
  const written = walk(SRC).flatMap(f => [...fs.readFileSync(f, 'utf8').matchAll(/code: '([a-z-]+)'/g)].map(m => m[1]));
  assert.deepEqual(
    [...new Set(written)].filter(c => !known.has(c)),
    [],
  );
});

test('the manifest, the README and the document selector are what the registries generate', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg, generatedManifest(pkg), 'package.json: run npm run gen');
  const severities = Object.keys(pkg.contributes.configuration.properties['systab.severity'].properties);
  assert.deepEqual(
    severities,
    CODE_INFO.map(c => c.code),
  );
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.equal(readme, generatedReadme(readme), 'README.md: run npm run gen');
  assert.ok(readme.includes(codeTable()));
  const documents = path.join(ROOT, 'protocol', 'documents.ts');
  const options = await prettier.resolveConfig(documents);
  assert.equal(
    fs.readFileSync(documents, 'utf8'),
    await prettier.format(documentsModule(), { ...options, filepath: documents }),
    'protocol/documents.ts: run npm run gen',
  );
});

test('the fuzz corpus has a file of every family', () => {
  const covered = new Set(CORPUS.map(c => c.family));
  assert.deepEqual(
    FAMILIES.map(f => f.id).filter(id => !covered.has(id)),
    [],
  );
  for (const c of CORPUS)
    assert.ok(
      FAMILIES.some(f => f.id === c.family),
      `${c.name}: no family ${c.family}`,
    );
});

test('no project file sends the reader to a document the project does not have', () => {
  const files = [
    ...walk(path.join(ROOT, 'server')),
    ...walk(path.join(ROOT, 'test')),
    ...walk(path.join(ROOT, 'bench')),
    ...['README.md', 'ARCHITECTURE.md', 'CHANGELOG.md'].map(f => path.join(ROOT, f)).filter(f => fs.existsSync(f)),
  ];
  const design = 'DESIGN' + '.md';
  assert.deepEqual(
    files.filter(f => fs.readFileSync(f, 'utf8').includes(design)).map(f => path.relative(ROOT, f)),
    [],
  );
});
