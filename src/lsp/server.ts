import { CodeActionKind, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from "vscode-languageserver";
import { createConnection } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { OpenFiles } from "../data/file-bytes.js";
import { AESPEC_VERSION } from "../version.js";
import { analyze, fileNameOf, type Analysis } from "./analysis.js";
import { completion } from "./completion.js";
import { lspDiagnostics } from "./diagnostics.js";
import { codeActions, formatting } from "./edits.js";
import { hover } from "./hover.js";
import { inlayHints } from "./inlay-hints.js";
import { offsetOf } from "./positions.js";
import { SEMANTIC_LEGEND, semanticTokens } from "./semantic-tokens.js";
import { definition, documentSymbols, foldingRanges, prepareRename, references, rename } from "./symbols.js";

export interface ServerOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Quiet time after a change before its diagnostics are computed and published. */
  readonly debounceMs?: number;
}

/** A spec the server analyses: its language, or its extension when the client names none. */
const isSpec = (d: TextDocument) => d.languageId === "aespec" || d.uri.endsWith(".aespec");
/** A data file whose unsaved text the checker reads (a CSV open in the editor). */
const isData = (uri: string) => uri.toLowerCase().endsWith(".csv");

/** How long after the last keystroke diagnostics are computed: one check per pause, not per key. */
export const DEFAULT_DEBOUNCE_MS = 20;

export const CAPABILITIES: InitializeResult["capabilities"] = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  hoverProvider: true,
  completionProvider: { triggerCharacters: ["(", ",", ":", "{"] },
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  documentSymbolProvider: true,
  foldingRangeProvider: true,
  documentFormattingProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
  inlayHintProvider: true,
};

/**
 * `aespec lsp`: the language server over a stream pair (stdio). Every
 * document is analysed from the editor's text at most once per version
 * (analysis.ts); every request reads that analysis.
 */
export function startServer(options: ServerOptions): Connection {
  const connection = createConnection(options.input, options.output);
  const documents = new TextDocuments(TextDocument);
  const debounce = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const cache = new Map<string, Analysis>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** The open data files (CSV text the editor holds), read instead of the disk; counted, so a change re-checks the specs. */
  let dataVersion = 0;
  let openFiles: OpenFiles = new Map();
  const refreshData = () => {
    dataVersion++;
    openFiles = new Map(documents.all().flatMap((d) => (isData(d.uri) ? [[fileNameOf(d.uri), new TextEncoder().encode(d.getText())] as const] : [])));
    for (const d of documents.all()) if (isSpec(d)) schedule(d.uri, debounce);
  };

  const analysisOf = (uri: string): Analysis | null => {
    const doc = documents.get(uri);
    if (doc === undefined || !isSpec(doc)) return null;
    const cached = cache.get(uri);
    if (cached !== undefined && cached.version === doc.version && cached.dataVersion === dataVersion) return cached;
    const a = analyze(uri, doc.version, doc.getText(), openFiles, dataVersion);
    cache.set(uri, a);
    return a;
  };
  const publish = (uri: string) => {
    timers.delete(uri);
    // A fault of the checker must not end the server (it runs from a timer, where nothing would catch it): say it, keep serving.
    try {
      const a = analysisOf(uri);
      if (a !== null) void connection.sendDiagnostics({ uri, version: a.version, diagnostics: lspDiagnostics(a) });
    } catch (e) {
      connection.console.error(`aespec lsp: internal error while checking ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };
  const schedule = (uri: string, delay: number) => {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => publish(uri), delay),
    );
  };
  /** Runs a request on a document's analysis at a position, or answers `none`. */
  const at = <T>(uri: string, position: { line: number; character: number } | null, answer: (a: Analysis, offset: number) => T, none: T): T => {
    const a = analysisOf(uri);
    return a === null ? none : answer(a, position === null ? 0 : offsetOf(a.source, position));
  };

  connection.onInitialize(() => ({ capabilities: CAPABILITIES, serverInfo: { name: "aespec", version: AESPEC_VERSION } }));
  documents.onDidOpen((e) => (isData(e.document.uri) ? refreshData() : schedule(e.document.uri, 0)));
  documents.onDidChangeContent((e) => (isData(e.document.uri) ? refreshData() : schedule(e.document.uri, debounce)));
  documents.onDidClose((e) => {
    if (isData(e.document.uri)) {
      // The file is read from disk again once the editor lets it go (after this event, so it is gone from `documents`).
      setTimeout(refreshData, 0);
      return;
    }
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    cache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover((p) => at(p.textDocument.uri, p.position, hover, null));
  connection.onCompletion((p) => at(p.textDocument.uri, p.position, completion, []));
  connection.onDefinition((p) => at(p.textDocument.uri, p.position, definition, null));
  connection.onReferences((p) => at(p.textDocument.uri, p.position, (a, o) => references(a, o, p.context.includeDeclaration), []));
  connection.onPrepareRename((p) => at(p.textDocument.uri, p.position, prepareRename, null));
  connection.onRenameRequest((p) =>
    at(
      p.textDocument.uri,
      p.position,
      (a, o) => {
        const r = rename(a, o, p.newName);
        if (typeof r === "string") throw new Error(r);
        return r;
      },
      null,
    ),
  );
  connection.onDocumentSymbol((p) => at(p.textDocument.uri, null, documentSymbols, []));
  connection.onFoldingRanges((p) => at(p.textDocument.uri, null, foldingRanges, []));
  connection.onDocumentFormatting((p) => at(p.textDocument.uri, null, formatting, []));
  connection.onCodeAction((p) => at(p.textDocument.uri, null, (a) => codeActions(a, p.context.diagnostics), []));
  connection.languages.semanticTokens.on((p) => at(p.textDocument.uri, null, semanticTokens, { data: [] }));
  connection.languages.inlayHint.on((p) =>
    at(p.textDocument.uri, null, (a) => inlayHints(a, offsetOf(a.source, p.range.start), offsetOf(a.source, p.range.end)), []),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}
