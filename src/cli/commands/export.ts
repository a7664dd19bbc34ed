import type { Target } from "../../target/target.js";
import { reportRunDiagnostic } from "../run-diagnostic.js";
import { EXIT, type Io } from "../terminal.js";

export interface ExportArgs {
  readonly run: string;
  /** One of the target's parts (its `exports.parts`, the choices of --part). */
  readonly part: string;
  readonly output: string;
}

/** `aespec export RUN --part P -o FILE`: the target writes the part (it loads its exporter itself, so the other commands start fast). */
export async function exportCommand(args: ExportArgs, target: Target, io: Io): Promise<number> {
  const exports = target.exports;
  if (exports === undefined) throw new Error(`internal: target '${target.name}' exports nothing`);
  const r = await exports.write(args.run, args.part, args.output);
  if (!r.ok) return reportRunDiagnostic(r.diagnostic, args.run, io);
  io.out(`wrote ${args.part} of '${args.run}' to ${args.output} (${r.value.bytes} bytes, ${r.value.format})\n`);
  return EXIT.ok;
}
