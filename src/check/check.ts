/**
 * The checker's entry points. Stages, each in its own folder:
 *   lets.ts, evaluate.ts       let constants and arithmetic (AE2002-AE2004, AE2010, AE2011)
 *   resolve/                   extends, sections, argument binding, --set overrides -> ResolvedModel
 *   typecheck.ts               argument values against signatures (vocabulary/), defaults filled in
 *   model-check.ts             shapes (shapes/, bottleneck/), corruption, losses/, train/, budget.ts,
 *                              then lints/ on clean models -> IrModel with its hash (hash.ts)
 */
import { diag, hasErrors, sortDiagnostics, dedupeDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { sourceFile, type SourceFile, type Span } from "../diagnostics/span.js";
import type { IrModel } from "../ir/model.js";
import type { File, Let, Model } from "../syntax/ast.js";
import { parseValue } from "../syntax/parse.js";
import type { OpenFiles } from "../data/file-bytes.js";
import { LetTable } from "./lets.js";
import type { DataFiles } from "./train/data.js";
import { unusedLets } from "./lints/unused-let.js";
import { checkModel } from "./model-check.js";
import type { PartialModel } from "./partial.js";
import type { BindContext } from "./resolve/bind.js";
import type { ResolvedModel } from "./resolve/bound.js";
import { ExtendsGraph } from "./resolve/extends.js";
import { resolveModel } from "./resolve/model.js";
import { applyOverrides, type Override } from "./resolve/overrides.js";

export type { Override } from "./resolve/overrides.js";

export interface CheckOptions {
  readonly overrides?: readonly Override[];
  /** Check only this model and the bases it extends (the caller guarantees it exists). */
  readonly model?: string;
  /** Folder of the spec file: relative data paths resolve against it. */
  readonly baseDir?: string;
  /** Data files held in memory (an editor's unsaved copies), by absolute path: their headers are read from here. */
  readonly openFiles?: OpenFiles;
}

export interface CheckResult {
  /** The models that checked without errors. */
  readonly models: readonly IrModel[];
  readonly diagnostics: readonly Diagnostic[];
  /** The models with errors that got as far as their shapes, by name. */
  readonly partials: ReadonlyMap<string, PartialModel>;
}

const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses one `--set PATH=VALUE` ("train.epochs=2"). The text becomes the
 * pseudo-file `<--set N>`, so diagnostics about the value point into it.
 */
export function parseOverride(text: string, index: number): { override: Override | null; source: SourceFile; diagnostics: readonly Diagnostic[] } {
  const source = sourceFile(`<--set ${index + 1}>`, text);
  const at = (start: number, end: number): Span => ({ file: source.name, start, end });
  const malformed = (message: string, span: Span, hint?: string) => ({
    override: null,
    source,
    diagnostics: [diag("AE2201", message, span, { hint: hint ?? "write --set PATH=VALUE, e.g. --set train.epochs=2" })],
  });
  const eq = text.indexOf("=");
  if (eq < 0) return malformed(`--set needs PATH=VALUE, got '${text}'`, at(0, text.length));
  const rawPath = text.slice(0, eq);
  const lead = rawPath.length - rawPath.trimStart().length;
  const pathText = rawPath.trim();
  const pathSpan = at(lead, lead + pathText.length);
  if (pathText === "") return malformed("--set has an empty path before '='", at(0, eq + 1));
  const path = pathText.split(".");
  if (!path.every((s) => PATH_SEGMENT.test(s))) {
    return malformed(`--set path '${pathText}' is not names joined by '.'`, pathSpan, "e.g. train.epochs or loss.kl.beta");
  }
  if (text.slice(eq + 1).trim() === "") return malformed(`--set ${pathText} has no value after '='`, at(eq, text.length));
  const parsed = parseValue(source, eq + 1);
  if (parsed.value === null) {
    const first = parsed.diagnostics.find((d) => d.severity === "error");
    const raw = text.slice(eq + 1).trim();
    // A file name written bare (the shell ate no quotes because there were none): say how to quote it.
    const fileLike = /^[\w./~-]+$/.test(raw) && (raw.includes("/") || /\.[A-Za-z]\w*$/.test(raw));
    const hint = fileLike ? `a file name is a string in double quotes, which the shell keeps inside single ones: --set '${pathText}="${raw}"'` : first?.message;
    return malformed(`--set ${pathText}: cannot read the value '${raw}'`, first?.span ?? at(eq + 1, text.length), hint);
  }
  return { override: { path, pathSpan, value: parsed.value, span: at(0, text.length) }, source, diagnostics: [] };
}

/**
 * Checks the models of a file (or only `options.model` and its bases). A
 * model with errors is absent from `models`; a model whose base has errors
 * is not checked (its base's errors say what to fix). Overrides apply to
 * every model checked, or only to `options.model` when one is given.
 */
export function checkFile(file: File, options: CheckOptions = {}): CheckResult {
  const out: Diagnostic[] = [];
  const lets = new LetTable(
    file.items.filter((i): i is Let => i.kind === "Let"),
    out,
  );
  out.push(
    ...unusedLets(
      file,
      (options.overrides ?? []).map((o) => o.value),
    ),
  );
  const models = uniqueModels(file, out);
  const chains = new ExtendsGraph(models, out);
  const bind: BindContext = { lets, out };
  const files: DataFiles = { baseDir: options.baseDir ?? process.cwd(), ...(options.openFiles !== undefined ? { open: options.openFiles } : {}) };
  const overrides = options.overrides ?? [];

  const resolved = new Map<string, ResolvedModel | null>();
  const results = new Map<string, IrModel | null>();
  const partials = new Map<string, PartialModel>();
  /** The model's sections before overrides (what a child inherits), or null if it or a base is broken. */
  const resolve = (name: string): ResolvedModel | null => {
    if (resolved.has(name)) return resolved.get(name)!;
    resolved.set(name, null); // guards re-entry; cycles were cut by ExtendsGraph
    const model = models.get(name)!;
    let base: ResolvedModel | null = null;
    if (model.base !== null) {
      if (!chains.usable(name)) return null;
      if (check(model.base.name) === null) return null;
      base = resolve(model.base.name);
      if (base === null) return null;
    }
    const r = resolveModel(model, base, bind);
    resolved.set(name, r);
    return r;
  };
  // With --model, the bases it needs are checked as written; only the model itself takes the overrides.
  const takesOverrides = (name: string) => options.model === undefined || options.model === name;
  const check = (name: string): IrModel | null => {
    if (results.has(name)) return results.get(name)!;
    results.set(name, null);
    const r = resolve(name);
    if (r === null) return null;
    // A failed override leaves the model as written: it is still checked, for its other errors, but refused.
    const overrideOut: Diagnostic[] = [];
    const m = takesOverrides(name) ? applyOverrides(r, overrides, { lets, out: overrideOut }) : r;
    const { ir, diagnostics, partial } = checkModel(m, lets, files);
    out.push(...overrideOut, ...diagnostics);
    if (partial !== null) partials.set(name, partial);
    const accepted = hasErrors(overrideOut) ? null : ir;
    results.set(name, accepted);
    return accepted;
  };

  /** Checks a model's bases first, deepest first, so that check() never recurses along a long extends chain. */
  const checkChain = (name: string): void => {
    const chain: string[] = [];
    for (let n: string | undefined = name; n !== undefined && models.has(n) && !results.has(n) && chains.usable(n); n = models.get(n)!.base?.name) {
      chain.push(n);
    }
    for (let i = chain.length - 1; i > 0; i--) check(chain[i]!);
    check(name);
  };
  const wanted = options.model !== undefined ? [options.model] : [...models.keys()];
  for (const name of wanted) if (models.has(name)) checkChain(name);
  const ok = wanted.flatMap((n) => {
    const ir = results.get(n);
    return ir === null || ir === undefined ? [] : [ir];
  });
  return { models: ok, diagnostics: sortDiagnostics(dedupeDiagnostics(out)), partials };
}

/** The first model of each name; a later one is AE2001 and is not checked. */
function uniqueModels(file: File, out: Diagnostic[]): Map<string, Model> {
  const models = new Map<string, Model>();
  for (const item of file.items) {
    if (item.kind !== "Model") continue;
    const first = models.get(item.name.name);
    if (first === undefined) models.set(item.name.name, item);
    else {
      out.push(
        diag("AE2001", `model '${item.name.name}' is already defined`, item.name.span, {
          related: [{ span: first.name.span, message: "first defined here" }],
        }),
      );
    }
  }
  return models;
}
