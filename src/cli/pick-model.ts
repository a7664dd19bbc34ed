import { compileFile, modelNames, type Compilation } from "../compile.js";
import type { IrModel } from "../ir/model.js";
import { EXIT, displayName, reportText, type Io } from "./terminal.js";

/**
 * Compiles a file for a command that works on one model: `--model NAME`, or
 * the only model of the file. Prints what went wrong and returns an exit code
 * when there is no such single, valid model.
 */
export function compileOneModel(
  file: string,
  opts: { readonly set: readonly string[]; readonly model?: string },
  io: Io,
): { model: IrModel; compilation: Compilation } | { exit: number } {
  return pickOneModel(compileFile(file, { overrides: opts.set, ...(opts.model !== undefined ? { model: opts.model } : {}) }), file, opts, io);
}

/** compileOneModel on a compilation already made. */
export function pickOneModel(
  c: Compilation,
  file: string,
  opts: { readonly model?: string },
  io: Io,
): { model: IrModel; compilation: Compilation } | { exit: number } {
  if (!c.ok || c.ast === null) {
    reportText(c, io);
    return { exit: EXIT.errors };
  }
  reportText(c, io); // warnings
  const names = modelNames(c.ast);
  const wanted = opts.model ?? (names.length === 1 ? names[0] : undefined);
  if (wanted === undefined) {
    io.err(
      names.length === 0
        ? `${displayName(file)} declares no model\n`
        : `${displayName(file)} declares ${names.length} models (${names.join(", ")}): pick one with --model NAME\n`,
    );
    return { exit: names.length === 0 ? EXIT.errors : EXIT.usage };
  }
  const model = c.models.find((m) => m.name === wanted);
  if (model === undefined) throw new Error(`internal: model '${wanted}' checked clean but has no IR`);
  return { model, compilation: c };
}
