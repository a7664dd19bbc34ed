import type { ModelPort } from "../eval/model-port.js";
import { isUnavailable, type Runtime, type Target, type TargetOptions } from "../target/target.js";
import { reportRunDiagnostic } from "./run-diagnostic.js";
import { renderDiagnostics } from "../diagnostics/render.js";
import { EXIT, displayName, type Io } from "./terminal.js";

/** The run's model as the target opens it for `eval` and `report`, or the exit code after saying why it cannot be. */
export async function openRunModel(
  target: Target,
  run: string,
  options: TargetOptions,
  io: Io,
): Promise<{ port: ModelPort; runtime: Runtime } | { exit: number }> {
  const openModel = target.openModel;
  if (openModel === undefined) throw new Error(`internal: target '${target.name}' opens no model`);
  const opened = await openModel(run, options);
  if (isUnavailable(opened)) {
    io.err(renderDiagnostics([opened.unavailable], new Map(), { color: io.color, displayName }) + "\n");
    return { exit: EXIT.errors };
  }
  if (!opened.ok) return { exit: reportRunDiagnostic(opened.diagnostic, run, io) };
  return opened.value;
}
