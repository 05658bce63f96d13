// The systab language server: LSP requests translated to the analysis and back. All state
// lives in the object `createServer` builds, so a test can build one in-process.
import * as fs from 'fs';
import * as path from 'path';
import {
  CodeAction,
  CodeActionKind,
  Connection,
  DidChangeConfigurationNotification,
  InitializeParams,
  TextDocumentSyncKind,
  WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { version } from '../../../package.json';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ACTION_KINDS,
  COVERAGE_REQUEST,
  CoverageParams,
  SERVER_COMMANDS,
  STATS_REQUEST,
  StatusParams,
  STATUS_NOTIFICATION,
} from '../../../protocol/protocol';
import { analyze, Analysis, Workspace } from '../analysis/analyze';
import { definitions } from '../analysis/definition';
import { hover } from '../analysis/hover';
import { fixAllEdits, normalizeEdits } from '../core/edits';
import { contains } from '../core/text';
import { coverage } from '../families/qemu/coverage';
import { loadCatalogue } from '../io/catalogueFile';
import { cachedReader, listDir } from '../io/files';
import { cachedIndex } from '../io/kernelCache';
import { KernelPathError } from '../io/kernelIndex';
import { Catalogue } from '../reference/linux/catalogue';
import { FreeBsdPathError, loadFreeBsd } from '../io/freebsdCatalogue';
import { freebsdReference, FreeBsdReference } from '../reference/freebsd/reference';
import { bsdCoverage } from '../families/qemu/bsdCoverage';
import { linuxReference } from '../reference/linux/reference';
import { newParser, Parser } from '../syntax/c/parser';
import { fileToUri, toCodeAction, toDiagnostic, toEdits, uriToFile } from './convert';
import { applyChanges, closeDoc, currentParse, DocState } from './docState';
import { LEVELS, Level, mergeSettings, readSettings, Settings } from './settings';
import { defaultStoragePath } from '../io/cacheDir';
import { firstDiagnosticsPublished } from './warm';

/** A document's edits are checked once they pause for this long; a superseded check is never published. */
const SETTLE_MS = 8;

/** A running server: its handlers are on `connection`; `dispose` stops its timers and indexing. */
export interface SystabServer {
  dispose(): void;
}

export function createServer(connection: Connection): SystabServer {
  // The WASM parser compiles while the client and server shake hands.
  const parserReady = newParser();
  let settings: Settings = readSettings(undefined);
  // The sources in merge order (settings.ts): initializationOptions, then configuration.
  let fromInit: unknown;
  let fromConfig: unknown;
  let catalogue: Catalogue | undefined;
  let catalogueFor: string | undefined;
  // Diagnostics wait for the reference the user configured (a cached index loads at once):
  // findings from another kernel would be replaced a few seconds later, and mislead meanwhile.
  let referenceReady = false;
  // FreeBSD's syscalls.master (bundled, or systab.freebsdPath), for bsd-user's tables.
  let freebsd: FreeBsdReference | undefined;
  let freebsdFor: string | undefined;
  let indexing: AbortController | undefined;
  let indexingNow = false;
  let parser: Parser | undefined;
  let canConfigure = false;
  let canProgress = false;
  const docs = new Map<string, DocState>();
  const analyses = new Map<string, { version: number; analysis: Analysis }>();
  const pending = new Map<string, NodeJS.Timeout>();
  let statusTimer: NodeJS.Timeout | undefined;
  let published = false;
  // Files read from disk (the .tbl beside a table), cached by modification time.
  const disk = cachedReader();
  void parserReady.then(
    p => {
      parser = p;
    },
    e => log('error', `cannot load the C parser: ${e}`),
  );
  // Work the first diagnostics wait for, done once initialize is answered, while the client
  // sends the document and the grammar compiles (never before the answer: initialize does
  // not wait): the bundled catalogue decoded (the reference unless systab.kernelPath is
  // set, and the fallback if indexing fails), and ICU's collator loaded (the first
  // localeCompare, which choosing among prototypes makes, costs about 5 ms).
  let bundledCat: Promise<Catalogue | undefined> | undefined;
  const bundledCatalogue = () => (bundledCat ??= loadCatalogue(undefined));
  let early: NodeJS.Immediate | undefined;
  const preload = () => {
    bundledCatalogue().catch(() => undefined);
    'a'.localeCompare('b');
  };

  function log(level: Level, msg: string): void {
    if (LEVELS.indexOf(level) > LEVELS.indexOf(settings.logLevel)) return;
    const line = `[${level}] ${msg}`;
    if (level === 'error') connection.console.error(line);
    else if (level === 'warn') connection.console.warn(line);
    else connection.console.log(line);
  }

  function status(state: StatusParams['state'], extra: { message?: string; percent?: number } = {}): void {
    const errors = [...analyses.values()].reduce(
      (n, a) => n + a.analysis.findings.filter(f => f.severity === 'error').length,
      0,
    );
    const reference = referenceReady ? (linuxReference(catalogue)?.label ?? 'no kernel catalogue') : undefined;
    void connection.sendNotification(STATUS_NOTIFICATION, {
      state,
      errors,
      reference,
      ...extra,
    } satisfies StatusParams);
  }

  const openByFile = (file: string) => [...docs.values()].find(d => d.file === file);
  const read = (f: string) => openByFile(f)?.doc.getText() ?? disk.read(f);
  const workspace = (): Workspace => ({
    kernel: linuxReference(catalogue),
    // Loaded when a bsd-user table first asks: a server with only Linux files open never pays for it.
    get freebsd() {
      return freebsdNow();
    },
    config: settings.config,
    parser,
    list: listDir,
    read,
  });

  /** Analyse a document at its current version (cached per version). */
  function analysisOf(s: DocState): Analysis | undefined {
    const hit = analyses.get(s.uri);
    if (hit && hit.version === s.doc.version) return hit.analysis;
    if (!parser) return undefined;
    const analysis = analyze(s.file, s.doc.getText(), workspace(), () => currentParse(s, parser!));
    analyses.set(s.uri, { version: s.doc.version, analysis });
    return analysis;
  }

  function validate(uri: string): void {
    const s = docs.get(uri);
    if (!s) return;
    try {
      const version = s.doc.version;
      if (!referenceReady) return; // published once the configured reference is loaded (revalidateAll)
      const a = analysisOf(s);
      if (!a) return;
      // A newer edit may have arrived while this ran: never publish for an old version.
      if (docs.get(uri) !== s || s.doc.version !== version) return;
      void connection.sendDiagnostics({ uri, version, diagnostics: a.findings.map(toDiagnostic) });
      if (!published) firstDiagnosticsPublished();
      published = true;
      reportErrors();
    } catch (e) {
      log('error', `checking ${s.file} failed: ${(e as Error).stack ?? e}`);
    }
  }

  /** Coalesce bursts of edits: a pending check for a superseded version is cancelled. */
  function schedule(uri: string, delay = SETTLE_MS): void {
    const prev = pending.get(uri);
    if (prev) clearTimeout(prev);
    pending.set(
      uri,
      setTimeout(() => {
        pending.delete(uri);
        validate(uri);
      }, delay),
    );
  }

  /** The status bar's error count, after checks settle (not once per document). */
  function reportErrors(): void {
    if (statusTimer || indexingNow) return;
    statusTimer = setTimeout(() => {
      statusTimer = undefined;
      status('ready');
    }, 50);
  }

  function revalidateAll(delay = SETTLE_MS): void {
    analyses.clear();
    for (const uri of docs.keys()) schedule(uri, delay);
    if (!docs.size) status('ready');
  }

  /** The tables in the same directory depend on a `.tbl` there. */
  function revalidateDependents(file: string): void {
    const dir = path.dirname(file);
    for (const [uri, s] of docs) {
      if (s.file !== file && path.dirname(s.file) === dir) {
        analyses.delete(uri);
        schedule(uri);
      }
    }
  }

  /** FreeBSD's reference (bundled, or systab.freebsdPath): two files parsed in milliseconds, when first needed. */
  function freebsdNow(): FreeBsdReference | undefined {
    const dir = settings.freebsdPath.trim() || undefined;
    if (freebsdFor === (dir ?? '')) return freebsd;
    try {
      freebsd = freebsdReference(loadFreeBsd(dir));
      log(
        'info',
        freebsd ? `FreeBSD reference: ${freebsd.label}` : 'no FreeBSD reference: bsd-user tables are not compared',
      );
    } catch (e) {
      const msg =
        e instanceof FreeBsdPathError ? `${e.message}; set systab.freebsdPath to a FreeBSD source tree` : String(e);
      freebsd = freebsdReference(loadFreeBsd(undefined));
      log('warn', `${msg}${freebsd ? `; using the ${freebsd.label} instead` : ''}`);
    }
    freebsdFor = dir ?? '';
    return freebsd;
  }

  /** A new systab.freebsdPath: the open documents are checked again, loading it if one needs it. */
  function resetFreeBsd(): void {
    freebsd = undefined;
    freebsdFor = undefined;
    // The open documents only: the status is the Linux catalogue's to report.
    analyses.clear();
    for (const uri of docs.keys()) schedule(uri);
  }

  async function startCatalogue(): Promise<void> {
    const kernel = settings.kernelPath.trim() || undefined;
    if (catalogue && catalogueFor === kernel) return;
    indexing?.abort();
    const ctrl = new AbortController();
    indexing = ctrl;
    let progress: WorkDoneProgressReporter | undefined;
    try {
      if (kernel) {
        indexingNow = true;
        status('indexing', { message: `indexing ${kernel}`, percent: 0 });
        if (canProgress) {
          progress = await connection.window.createWorkDoneProgress();
          progress.begin('systab: indexing kernel', 0, kernel, true);
        }
        log('info', `indexing kernel tree ${kernel}`);
      }
      const started = Date.now();
      const opts = {
        signal: ctrl.signal,
        onProgress: (p: { percent: number; message: string }) => {
          progress?.report(p.percent, p.message);
          status('indexing', { message: p.message, percent: p.percent });
        },
        // A cached index that turns out stale is replaced when the re-index finishes.
        onStale: (fresh: Catalogue) => {
          if (ctrl.signal.aborted) return;
          log('info', `kernel tree ${kernel} changed since it was cached: re-indexed`);
          catalogue = fresh;
          revalidateAll();
        },
      };
      let cat: Catalogue | undefined;
      if (kernel) {
        const r = await cachedIndex(kernel, settings.storagePath ?? defaultStoragePath(), opts);
        cat = r.catalogue;
        if (r.fromCache)
          log('info', `loaded the cached index of ${kernel}; checking it against the tree in the background`);
      } else cat = await bundledCatalogue();
      if (ctrl.signal.aborted) return;
      catalogue = cat;
      catalogueFor = kernel;
      referenceReady = true;
      const n = cat ? Object.keys(cat.prototypes).length : 0;
      const ref = linuxReference(cat);
      log(
        'info',
        ref
          ? `checking against ${ref.label}: ${n} entry points (${Date.now() - started} ms)`
          : 'no kernel tree and no bundled catalogue: argument counts are not checked',
      );
      // Nothing to coalesce: the first diagnostics wait for this.
      revalidateAll(0);
    } catch (e) {
      if (ctrl.signal.aborted) return;
      const msg =
        e instanceof KernelPathError
          ? `${e.message}; set systab.kernelPath to a Linux source tree`
          : `indexing failed: ${(e as Error).message}`;
      // Fall back to the bundled catalogue so the checks still run.
      let fallback: Catalogue | undefined;
      try {
        fallback = await bundledCatalogue();
      } catch {
        /* none bundled */
      }
      const bundled = linuxReference(fallback);
      const full = bundled
        ? `${msg}; using the bundled catalogue (${bundled.kernel} ${bundled.release ?? '?'}) instead`
        : msg;
      log('error', full);
      void connection.window.showErrorMessage(`systab: ${full}`);
      catalogue = fallback;
      catalogueFor = kernel;
      referenceReady = true;
      if (bundled) log('info', `checking against ${bundled.label}`);
      revalidateAll();
      status('error', { message: full });
    } finally {
      if (indexing === ctrl) indexingNow = false;
      progress?.done();
    }
  }

  /** The document and its analysis, once the parser is loaded (a few ms at start-up: wait, never answer empty). */
  async function opened(uri: string): Promise<{ s: DocState; a: Analysis } | undefined> {
    await parserReady;
    const s = docs.get(uri);
    const a = s && analysisOf(s);
    return s && a ? { s, a } : undefined;
  }

  function fixAllAction(s: DocState, a: Analysis): CodeAction | undefined {
    const edits = normalizeEdits(s.doc.getText(), fixAllEdits(a.findings));
    if (!edits.length) return undefined;
    return {
      title: 'systab: Fix all problems in this file',
      kind: ACTION_KINDS.fixAll,
      edit: { changes: { [s.uri]: toEdits(edits) } },
    };
  }

  function regenerateAction(s: DocState, a: Analysis): CodeAction | undefined {
    const ws = workspace();
    const g = a.parts.map(p => p.family.regenerate?.(p.model, ws)).find(x => x);
    if (!g) return undefined;
    return {
      title: 'systab: Regenerate table',
      kind: ACTION_KINDS.regenerate,
      edit: { changes: { [s.uri]: toEdits([g.edit]) } },
    };
  }

  connection.onInitialize((params: InitializeParams) => {
    fromInit = params.initializationOptions;
    settings = mergeSettings(fromInit);
    canConfigure = !!params.capabilities.workspace?.configuration;
    canProgress = !!params.capabilities.window?.workDoneProgress;
    // Once the answer is written: vscode-jsonrpc writes it from an immediate of its own,
    // queued after this one, so the work waits one turn more.
    early ??= setImmediate(() => (early = setImmediate(preload)));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, CodeActionKind.Source],
        },
        executeCommandProvider: { commands: [SERVER_COMMANDS.regenerateTable, SERVER_COMMANDS.fixAll] },
      },
      serverInfo: { name: 'systab', version },
    };
  });

  connection.onInitialized(async () => {
    if (canConfigure) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'systab' });
      try {
        const answer: unknown = await connection.workspace.getConfiguration('systab');
        // null: the client has no settings of its own for systab; initializationOptions stand.
        if (answer && typeof answer === 'object') fromConfig = answer;
      } catch {
        /* keep initializationOptions */
      }
      settings = mergeSettings(fromInit, fromConfig);
    }
    log(
      'info',
      `settings: ${settings.kernelPath ? `kernelPath ${settings.kernelPath}` : 'no kernelPath (the bundled catalogue)'}`,
    );
    // Indexing runs after initialize has answered, in the background, while the parser loads.
    void startCatalogue();
    parser = await parserReady;
    for (const uri of docs.keys()) schedule(uri, 0);
  });

  connection.onDidChangeConfiguration(async change => {
    let raw: unknown = change.settings;
    if (canConfigure) {
      try {
        const answer: unknown = await connection.workspace.getConfiguration('systab');
        if (answer && typeof answer === 'object') raw = answer;
      } catch {
        /* use the pushed settings */
      }
    }
    // A push or answer without systab settings changes nothing.
    if (raw && typeof raw === 'object' && Object.keys(raw).length) fromConfig = raw;
    const before = settings.kernelPath;
    const beforeFreeBsd = settings.freebsdPath;
    settings = mergeSettings(fromInit, fromConfig);
    if (settings.freebsdPath !== beforeFreeBsd) resetFreeBsd();
    if (settings.kernelPath !== before) {
      catalogue = undefined;
      referenceReady = false;
      void startCatalogue();
    }
    revalidateAll();
  });

  connection.onDidOpenTextDocument(p => {
    const { uri, languageId, version, text } = p.textDocument;
    const prev = docs.get(uri);
    if (prev) closeDoc(prev);
    docs.set(uri, { uri, file: uriToFile(uri), doc: TextDocument.create(uri, languageId, version, text), stale: true });
    analyses.delete(uri);
    schedule(uri, 0);
  });

  connection.onDidChangeTextDocument(p => {
    const s = docs.get(p.textDocument.uri);
    if (!s) return;
    applyChanges(s, p.contentChanges, p.textDocument.version);
    schedule(s.uri);
    if (s.file.endsWith('.tbl')) revalidateDependents(s.file);
  });

  connection.onDidCloseTextDocument(p => {
    const s = docs.get(p.textDocument.uri);
    if (!s) return;
    closeDoc(s);
    docs.delete(s.uri);
    analyses.delete(s.uri);
    const t = pending.get(s.uri);
    if (t) {
      clearTimeout(t);
      pending.delete(s.uri);
    }
    void connection.sendDiagnostics({ uri: s.uri, diagnostics: [] });
    if (s.file.endsWith('.tbl')) revalidateDependents(s.file);
  });

  connection.onDidChangeWatchedFiles(() => {
    disk.clear();
    revalidateAll();
  });

  connection.onHover(async p => {
    const o = await opened(p.textDocument.uri);
    const h = o && hover(o.a, o.s.doc.getText(), p.position, workspace());
    return h ? { contents: { kind: 'markdown', value: h.markdown }, range: h.range } : null;
  });

  connection.onDefinition(async p => {
    const o = await opened(p.textDocument.uri);
    if (!o) return null;
    return definitions(o.a, p.position, workspace()).map(l => ({ uri: fileToUri(l.file), range: l.range }));
  });

  connection.onCodeLens(async p => {
    const o = await opened(p.textDocument.uri);
    if (!o) return [];
    return o.a.parts
      .flatMap(({ family, model }) => family.lenses?.(model, o.a.findings) ?? [])
      .map(l => ({
        range: { start: { line: l.line, character: 0 }, end: { line: l.line, character: 0 } },
        // A lens's command acts on its own document unless it says otherwise.
        command: {
          title: l.title,
          command: l.command,
          arguments: l.command.startsWith('systab.') ? (l.arguments ?? [o.s.uri]) : l.arguments,
        },
      }));
  });

  connection.onCodeAction(async p => {
    const o = await opened(p.textDocument.uri);
    if (!o) return [];
    const { s, a } = o;
    const only = p.context.only;
    const wants = (kind: string) => !only || only.some(k => kind === k || kind.startsWith(k + '.'));
    const out: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const f of a.findings) {
        if (!contains({ start: f.range.start, end: f.range.end }, p.range.start) && !contains(p.range, f.range.start))
          continue;
        for (const fix of f.fixes) out.push(toCodeAction(s.uri, f, fix));
      }
    }
    const all = wants(CodeActionKind.SourceFixAll) ? fixAllAction(s, a) : undefined;
    if (all) out.push(all);
    const regen = wants(CodeActionKind.Source) ? regenerateAction(s, a) : undefined;
    if (regen) out.push(regen);
    return out;
  });

  connection.onExecuteCommand(async p => {
    const uri = typeof p.arguments?.[0] === 'string' ? p.arguments[0] : undefined;
    const o = uri ? await opened(uri) : undefined;
    if (!o) {
      void connection.window.showWarningMessage('systab: open a syscall table first');
      return { applied: false };
    }
    const regen = p.command === SERVER_COMMANDS.regenerateTable;
    const action = regen ? regenerateAction(o.s, o.a) : fixAllAction(o.s, o.a);
    if (!action?.edit) {
      void connection.window.showInformationMessage(
        regen ? 'systab: this file has no table to regenerate' : 'systab: nothing to fix',
      );
      return { applied: false };
    }
    const r = await connection.workspace.applyEdit({ label: action.title, edit: action.edit });
    return { applied: r.applied };
  });

  // The coverage view: one QEMU tree, found from a file in it or its root folder.
  connection.onRequest(COVERAGE_REQUEST, (p: CoverageParams): object => {
    const given = p?.path ? path.resolve(p.path) : '';
    // The folder holding linux-user/ or bsd-user/: the path itself, or the nearest above it.
    const user = (d: string) => ['linux-user', 'bsd-user'].some(u => fs.existsSync(path.join(d, u)));
    const parts = given.split(path.sep);
    const i = Math.max(parts.lastIndexOf('linux-user'), parts.lastIndexOf('bsd-user'));
    const above = i > 0 ? parts.slice(0, i).join(path.sep) || path.sep : undefined;
    const root = given && user(given) ? given : above;
    if (!root || !parser)
      return {
        error: `${given || 'this workspace'} is not inside a QEMU tree (no linux-user/ or bsd-user/ above it)`,
      };
    const cov = coverage(root, { read, list: listDir }, parser, linuxReference(catalogue));
    const bsd = bsdCoverage(root, { read, list: listDir }, parser, freebsdNow());
    return bsd.length ? { ...cov, bsd } : cov;
  });

  // Figures for `npm run bench`: memory after a collection (when run with --expose-gc).
  connection.onRequest(STATS_REQUEST, () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      documents: docs.size,
      trees: [...docs.values()].filter(d => d.parse).length,
    };
  });

  return {
    dispose() {
      if (early) clearImmediate(early);
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
      if (statusTimer) clearTimeout(statusTimer);
      indexing?.abort();
      for (const s of docs.values()) closeDoc(s);
      docs.clear();
    },
  };
}
