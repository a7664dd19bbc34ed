import { writeFileAtomic } from "../../data/write-file.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { compileOneModel } from "../pick-model.js";
import { EXIT, displayName, type Io } from "../terminal.js";

export interface CompileArgs {
  readonly file: string;
  readonly emit: "ir";
  readonly set: readonly string[];
  readonly model?: string;
  readonly output?: string;
}

/** `aespec compile FILE --emit ir`: the checked IR of one model as JSON. */
export function compileCommand(args: CompileArgs, io: Io): number {
  const picked = compileOneModel(args.file, args, io);
  if ("exit" in picked) return picked.exit;
  const json = JSON.stringify(picked.model, null, 2) + "\n";
  if (args.output === undefined) {
    io.out(json);
    return EXIT.ok;
  }
  const written = writeFileAtomic(args.output, json, "AE3205", { inputs: [args.file] });
  if (!written.ok) {
    io.err(renderDiagnostics([written.diagnostic], new Map(), { color: io.color, displayName }) + "\n");
    return EXIT.errors;
  }
  io.err(`wrote ${displayName(args.output)}\n`);
  return EXIT.ok;
}
