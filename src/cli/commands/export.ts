import { reportRunDiagnostic } from "../run-diagnostic.js";
import { EXIT, type Io } from "../terminal.js";

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
  if (!bytes.ok) return reportRunDiagnostic(bytes.diagnostic, args.run, io);
  const written = onnx.writeModelFile(args.output, bytes.value);
  if (!written.ok) return reportRunDiagnostic(written.diagnostic, args.run, io);
  io.out(`wrote ${args.part} of '${args.run}' to ${args.output} (${bytes.value.byteLength} bytes, ONNX opset ${onnx.ONNX_OPSET})\n`);
  return EXIT.ok;
}
