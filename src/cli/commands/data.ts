import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { compileOneModel } from "../pick-model.js";
import { EXIT, displayName, type Io } from "../terminal.js";

export interface DataArgs {
  readonly file: string;
  readonly set: readonly string[];
  readonly model?: string;
  readonly output: string;
}

/**
 * `aespec data FILE -o DIR`: the model's training data (and a built-in set's
 * test split), exactly as aespec's trainer loads it for the spec's seed,
 * written as NPY files with a data.json manifest (src/data/write-split.ts)
 * for trainers outside this process.
 */
export async function dataCommand(args: DataArgs, io: Io): Promise<number> {
  const picked = compileOneModel(args.file, args, io);
  if ("exit" in picked) return picked.exit;
  const { model: ir, compilation } = picked;
  const report = (d: Diagnostic) => {
    io.err(renderDiagnostics([d], compilation.sources, { color: io.color, displayName }) + "\n");
    return EXIT.errors;
  };
  const source = ir.train.data;
  if (source === null) return report(diag("AE3101", `model '${ir.name}' names no training data`, ir.span, { hint: "add `data: ...` to its train section" }));
  const [{ loadData }, { writeSplit }] = await Promise.all([import("../../data/load.js"), import("../../data/write-split.js")]);
  const loaded = await loadData(source, { seed: ir.train.seed });
  if (!loaded.ok) return report(loaded.diagnostic);
  const { span: _span, ...rest } = source;
  const described = "resolvedPath" in rest ? (({ resolvedPath: _r, ...r }) => r)(rest) : rest;
  const inputs = [args.file, ...(source.kind === "file" ? [source.resolvedPath] : [])];
  const written = writeSplit(args.output, loaded.value, { source: described, seed: ir.train.seed }, inputs);
  if (!written.ok) return report(written.diagnostic);
  const m = written.value;
  const what = (name: string, s: { count: number; labels: string | null; factors: string | null }) =>
    `${name} ${s.count} examples${s.labels === null ? "" : ", labels"}${s.factors === null ? "" : ", factors"}`;
  io.out(
    `wrote ${[what("train", m.train), ...(m.test === null ? [] : [what("test", m.test)])].join("; ")} of [${m.shape.join(", ")}] to ${args.output} (data.json says what is where)\n`,
  );
  return EXIT.ok;
}
