import { checkFile, parseOverride, type CheckResult, type Override } from "../../src/check/check.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { sourceFile } from "../../src/diagnostics/span.js";
import { parse } from "../../src/syntax/parse.js";

export const FILE = "test.aespec";

export interface Checked extends CheckResult {
  readonly text: string;
  /** "AE2301" for each diagnostic, in order. */
  readonly codes: readonly string[];
}

/** Parses (failing the test on syntax errors) and checks a source text. */
export function check(text: string, options: { set?: readonly string[]; model?: string; baseDir?: string } = {}): Checked {
  const parsed = parse(sourceFile(FILE, text));
  if (parsed.diagnostics.some((d) => d.severity === "error")) {
    throw new Error(`syntax errors in test source: ${parsed.diagnostics.map((d) => d.message).join("; ")}`);
  }
  const overrides: Override[] = (options.set ?? []).map((s, i) => {
    const o = parseOverride(s, i);
    if (o.override === null) throw new Error(`bad --set in test: ${o.diagnostics.map((d) => d.message).join("; ")}`);
    return o.override;
  });
  const r = checkFile(parsed.file, {
    overrides,
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.baseDir !== undefined ? { baseDir: options.baseDir } : {}),
  });
  return { ...r, text, codes: r.diagnostics.map((d) => d.code) };
}

/** The source text a diagnostic's span covers (for spans in the checked file). */
export function spanText(c: Checked, d: Diagnostic): string {
  if (d.span.file !== FILE) throw new Error(`span in ${d.span.file}`);
  return c.text.slice(d.span.start, d.span.end);
}

/** The only diagnostic with this code (fails if there are none or several). */
export function only(c: Checked, code: string): Diagnostic {
  const ds = c.diagnostics.filter((d) => d.code === code);
  if (ds.length !== 1) throw new Error(`expected one ${code}, got: ${c.diagnostics.map((d) => `${d.code} ${d.message}`).join(" | ")}`);
  return ds[0]!;
}

/** A minimal valid model around the given sections (each may be replaced by passing it). */
export function model(parts: { input?: string; encoder?: string; bottleneck?: string; decoder?: string; extra?: string } = {}): string {
  return `model m {
  ${parts.input ?? "input: [64] in [0, 1]"}
  ${parts.encoder ?? ""}
  ${parts.bottleneck ?? "bottleneck: gaussian(8)"}
  ${parts.decoder ?? "decoder { dense(64) }"}
  ${parts.extra ?? ""}
}
`;
}
