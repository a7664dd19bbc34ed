import { renameSync, writeFileSync } from "node:fs";
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
  const tmp = `${args.output}.${process.pid}.tmp`;
  writeFileSync(tmp, json);
  renameSync(tmp, args.output);
  io.err(`wrote ${displayName(args.output)}\n`);
  return EXIT.ok;
}
