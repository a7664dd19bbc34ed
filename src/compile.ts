import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { checkFile, parseOverride, type Override } from "./check/check.js";
import { suggest } from "./check/suggest.js";
import type { OpenFiles } from "./data/file-bytes.js";
import { diag, hasErrors, sortDiagnostics, dedupeDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { sourceFile, type SourceFile } from "./diagnostics/span.js";
import type { IrModel } from "./ir/model.js";
import type { File } from "./syntax/ast.js";
import { MAX_FILE_BYTES } from "./syntax/limits.js";
import { parse } from "./syntax/parse.js";
import type { PartialModel } from "./check/partial.js";

export interface CompileOptions {
  /** Name shown in diagnostics (and the key of `sources`); default `<input>`. */
  readonly file?: string;
  /** `--set` overrides as written: `train.epochs=2`. */
  readonly overrides?: readonly string[];
  /** Check only this model (and the bases it extends). */
  readonly model?: string;
  /** Folder that relative data paths resolve against; default the file's folder. */
  readonly baseDir?: string;
  /** Data files held in memory (an editor's unsaved copies), by absolute path, read instead of the disk for their headers. */
  readonly openFiles?: OpenFiles;
}

/** Everything one run of the front end produced. Plain data; nothing printed. */
export interface Compilation {
  /** Every text a diagnostic may point into: the file and the `--set` pseudo-files. */
  readonly sources: ReadonlyMap<string, SourceFile>;
  /** null when the file could not be read or has syntax errors. */
  readonly ast: File | null;
  readonly models: readonly IrModel[];
  readonly diagnostics: readonly Diagnostic[];
  readonly ok: boolean;
  /** The models with errors that got as far as their shapes (what `aespec summary` shows of them), by name. */
  readonly partials: ReadonlyMap<string, PartialModel>;
}

/** Parse and check a source text. */
export function compile(text: string, options: CompileOptions = {}): Compilation {
  const name = options.file ?? "<input>";
  const source = sourceFile(name, text);
  const sources = new Map<string, SourceFile>([[name, source]]);
  const parsed = parse(source);
  if (hasErrors(parsed.diagnostics)) return done(sources, null, [], parsed.diagnostics);

  const overrides: Override[] = [];
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  (options.overrides ?? []).forEach((raw, i) => {
    const o = parseOverride(raw, i);
    sources.set(o.source.name, o.source);
    diagnostics.push(...o.diagnostics);
    if (o.override !== null) overrides.push(o.override);
  });
  if (hasErrors(diagnostics)) return done(sources, parsed.file, [], diagnostics);

  if (options.model !== undefined) {
    const missing = unknownModel(parsed.file, options.model);
    if (missing !== null) {
      sources.set(missing.source.name, missing.source);
      return done(sources, parsed.file, [], [...diagnostics, missing.diagnostic]);
    }
  }
  const baseDir = options.baseDir ?? (options.file !== undefined ? dirname(resolve(options.file)) : process.cwd());
  const checked = checkFile(parsed.file, {
    overrides,
    baseDir,
    ...(options.openFiles !== undefined ? { openFiles: options.openFiles } : {}),
    ...(options.model !== undefined ? { model: options.model } : {}),
  });
  return done(sources, parsed.file, checked.models, [...diagnostics, ...checked.diagnostics], checked.partials);
}

/** Read a spec file (refusing oversized ones before reading them) and compile it. */
export function compileFile(path: string, options: Omit<CompileOptions, "file"> = {}): Compilation {
  const empty = sourceFile(path, "");
  const sources = new Map([[path, empty]]);
  const text = readSpecFile(path);
  if (typeof text !== "string") return done(sources, null, [], [text]);
  return compile(text, { ...options, file: path });
}

/**
 * A spec file's text: a regular file (a device or a FIFO is refused, never
 * read or waited on) of at most MAX_FILE_BYTES (larger: AE1020, unread).
 */
export function readSpecFile(path: string): string | Diagnostic {
  const at = { file: path, start: 0, end: 0 };
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    return diag("AE3001", `cannot read '${path}': ${reason}`, at);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      return diag("AE3001", `cannot read '${path}': it is ${st.isDirectory() ? "a folder" : "not a regular file (a device, a FIFO or a socket)"}`, at);
    if (st.size > MAX_FILE_BYTES) return diag("AE1020", `file is ${st.size} bytes; the limit is ${MAX_FILE_BYTES}`, at);
    return readFileSync(fd, "utf8");
  } catch (e) {
    return diag("AE3001", `cannot read '${path}': ${(e as Error).message}`, at);
  } finally {
    closeSync(fd);
  }
}

/** The models a file declares, in order (for `--model` choices). */
export function modelNames(file: File): string[] {
  return file.items.flatMap((i) => (i.kind === "Model" ? [i.name.name] : []));
}

function unknownModel(file: File, name: string): { source: SourceFile; diagnostic: Diagnostic } | null {
  const names = modelNames(file);
  if (names.includes(name)) return null;
  const source = sourceFile("<--model>", name);
  const close = suggest(name, names);
  const hint = close !== null ? `did you mean '${close}'?` : names.length > 0 ? `models here: ${names.join(", ")}` : "this file declares no model";
  return { source, diagnostic: diag("AE2009", `no model named '${name}'`, { file: source.name, start: 0, end: name.length }, { hint }) };
}

function done(
  sources: ReadonlyMap<string, SourceFile>,
  ast: File | null,
  models: readonly IrModel[],
  diagnostics: readonly Diagnostic[],
  partials: ReadonlyMap<string, PartialModel> = new Map(),
): Compilation {
  const sorted = sortDiagnostics(dedupeDiagnostics(diagnostics));
  return { sources, ast, models, diagnostics: sorted, ok: !hasErrors(sorted), partials };
}
