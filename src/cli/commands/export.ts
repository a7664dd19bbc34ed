import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { sourceFile, type SourceFile } from "../../diagnostics/span.js";
import { EXIT, displayName, type Io } from "../terminal.js";

/** The parts `--part` accepts (listed here so that parsing options loads no exporter). */
export const PART_CHOICES = ["encoder", "decoder", "autoencoder"] as const;

export interface ExportArgs {
  readonly run: string;
  readonly part: (typeof PART_CHOICES)[number];
  readonly output: string;
}

/**
 * `aespec export RUN --part P -o FILE.onnx`. The exporter is loaded by a
 * dynamic import, so the other commands start fast.
 */
export async function exportCommand(args: ExportArgs, io: Io): Promise<number> {
  const onnx = await import("../../../targets/onnx/index.js");
  const bytes = onnx.exportRun(args.run, args.part);
  if (!bytes.ok) return report(bytes.diagnostic, args.run, io);
  const written = onnx.writeModelFile(args.output, bytes.value);
  if (!written.ok) return report(written.diagnostic, args.run, io);
  io.out(`wrote ${args.part} of '${args.run}' to ${args.output} (${bytes.value.byteLength} bytes, ONNX opset ${onnx.ONNX_OPSET})\n`);
  return EXIT.ok;
}

/** Renders with the spec as trained (RUN/spec.aespec) when the diagnostic points into the spec. */
function report(d: Diagnostic, run: string, io: Io): number {
  const sources = new Map<string, SourceFile>();
  const spec = join(run, "spec.aespec");
  if (existsSync(spec) && statSync(spec).isFile()) sources.set(d.span.file, sourceFile(d.span.file, readFileSync(spec, "utf8")));
  io.err(renderDiagnostics([d], d.span.end > 0 ? sources : new Map(), { color: io.color, displayName }) + "\n");
  return EXIT.errors;
}
