import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { checkFile } from "../check/check.js";
import { LetTable } from "../check/lets.js";
import type { PartialModel } from "../check/partial.js";
import { compile, type Compilation } from "../compile.js";
import type { OpenFiles } from "../data/file-bytes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/span.js";
import type { IrModel } from "../ir/model.js";
import type { File, Let } from "../syntax/ast.js";
import { lex, type Lexed } from "../syntax/lex.js";
import { parse } from "../syntax/parse.js";

/**
 * What the server knows of one open document, computed once per version from
 * the editor's text (never from disk): the diagnostics of the text as written,
 * and for hover, hints and completion an AST and models that survive the
 * half-typed: when the text has syntax errors, the AST is parsed again with
 * the open brackets closed (src/syntax/close-groups.ts) and checked as it then stands.
 */
export interface Analysis {
  readonly uri: string;
  readonly version: number;
  /** The version of the open data files it read (the server's count of their changes). */
  readonly dataVersion: number;
  /** The name spans carry: the file's path for a file: URI, else the URI. */
  readonly fileName: string;
  readonly source: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
  /** Every source a diagnostic may point into (the file, data files). */
  readonly compilation: Compilation;
  readonly ast: File;
  readonly models: ReadonlyMap<string, IrModel>;
  readonly partials: ReadonlyMap<string, PartialModel>;
  readonly lets: LetTable;
  /** The text's tokens and comments as the lexer reads them (what completion and semantic tokens read), lexed on first use. */
  lexed(): Lexed;
}

export function fileNameOf(uri: string): string {
  return uri.startsWith("file:") ? fileURLToPath(uri) : uri;
}

/** The analysis of a spec's text; data files in `openFiles` (open in the editor, maybe unsaved) are read from there. */
export function analyze(uri: string, version: number, text: string, openFiles: OpenFiles = new Map(), dataVersion = 0): Analysis {
  const fileName = fileNameOf(uri);
  const baseDir = uri.startsWith("file:") ? dirname(fileName) : process.cwd();
  const compilation = compile(text, { file: fileName, baseDir, openFiles });
  const source = compilation.sources.get(fileName)!;
  let ast = compilation.ast;
  let models = compilation.models;
  let partials = compilation.partials;
  if (ast === null) {
    ast = parse(source, { closeOpenGroups: true }).file;
    const checked = checkFile(ast, { baseDir, openFiles });
    models = checked.models;
    partials = checked.partials;
  }
  let lexed: Lexed | undefined;
  const lets = new LetTable(
    ast.items.filter((i): i is Let => i.kind === "Let"),
    [],
  );
  return {
    uri,
    version,
    dataVersion,
    fileName,
    source,
    diagnostics: compilation.diagnostics,
    compilation,
    ast,
    models: new Map(models.map((m) => [m.name, m])),
    partials,
    lets,
    lexed: () => (lexed ??= lex(source)),
  };
}
