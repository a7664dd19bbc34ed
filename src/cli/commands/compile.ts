import { writeFileAtomic } from "../../data/write-file.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { specAsTrained } from "../../run/spec-as-trained.js";
import type { Target } from "../../target/target.js";
import { compileOneModel } from "../pick-model.js";
import { EXIT, displayName, type Io } from "../terminal.js";

export interface CompileArgs {
  readonly file: string;
  /** `ir`, or the name of a target that emits (`pytorch`). */
  readonly emit: string;
  readonly set: readonly string[];
  readonly model?: string;
  readonly output?: string;
}

/**
 * `aespec compile FILE --emit ir`: the checked IR of one model as JSON.
 * `--emit TARGET -o DIR`: the target's own form of the model (the PyTorch package), through the target table.
 */
export async function compileCommand(args: CompileArgs, io: Io, emitters: readonly Target[] = []): Promise<number> {
  const picked = compileOneModel(args.file, args, io);
  if ("exit" in picked) return picked.exit;
  const { model: ir, compilation } = picked;
  const report = (ds: readonly Diagnostic[]) => io.err(renderDiagnostics(ds, compilation.sources, { color: io.color, displayName }) + "\n");
  if (args.emit !== "ir") {
    const target = emitters.find((t) => t.name === args.emit);
    if (target?.emit === undefined) throw new Error(`internal: no target emits '${args.emit}'`);
    if (args.output === undefined) {
      io.err(`--emit ${args.emit} writes a folder: give it with -o DIR\n`);
      return EXIT.usage;
    }
    const refusals = (await target.unsupported(ir)).filter((d) => d.severity === "error");
    if (refusals.length > 0) {
      report(refusals);
      return EXIT.errors;
    }
    const specText = specAsTrained(compilation.sources.get(args.file)?.text ?? "", args.set);
    const written = await target.emit.write(ir, { output: args.output, specText, inputs: [args.file] });
    if (!written.ok) {
      report([written.diagnostic]);
      return EXIT.errors;
    }
    io.err(`wrote ${displayName(args.output)}: ${target.emit.what}, ${written.value.files} files, ${written.value.detail}\n`);
    return EXIT.ok;
  }
  const json = JSON.stringify(ir, null, 2) + "\n";
  if (args.output === undefined) {
    io.out(json);
    return EXIT.ok;
  }
  const written = writeFileAtomic(args.output, json, "AE3205", { inputs: [args.file] });
  if (!written.ok) {
    report([written.diagnostic]);
    return EXIT.errors;
  }
  io.err(`wrote ${displayName(args.output)}\n`);
  return EXIT.ok;
}
