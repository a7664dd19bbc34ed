import { Command, CommanderError, Option } from "commander";
import { AESPEC_VERSION } from "../version.js";
import { checkCommand } from "./commands/check.js";
import { compileCommand } from "./commands/compile.js";
import { dataCommand, type DataArgs } from "./commands/data.js";
import { encodeCommand, type EncodeArgs } from "./commands/encode.js";
import { ANOMALY_DATA } from "../eval/eval-report.js";
import type { Target, TargetCommand } from "../target/target.js";
import { TARGET_TABLE } from "../../targets/table.js";
import { TRAIN_SETTINGS } from "../check/vocabulary/train.js";
import { classLabel, evalCommand, iwaeSamples, positiveInteger, type EvalArgs } from "./commands/eval.js";
import { exportCommand, type ExportArgs } from "./commands/export.js";
import { fmtCommand } from "./commands/fmt.js";
import type { CompareArgs } from "./commands/compare.js";
import { reportCommand, type ReportArgs } from "./commands/report.js";
import type { SweepArgs } from "./commands/sweep.js";
import { summaryCommand } from "./commands/summary.js";
import { targetsCommand } from "./commands/targets.js";
import { trainCommand, type TrainArgs } from "./commands/train.js";
import { examplesText } from "./examples.js";
import { collect, formatOption } from "./options.js";
import { addTargetOptions, chooseTarget, targetsFor } from "./targets.js";
import { verbosityOf, verbosityOptions } from "./verbosity.js";
import { EXIT, processIo, type Io } from "./terminal.js";

/** The targets of the table (targets/table.ts), each module loaded now (they are light; engines load when a command runs). */
export async function loadTargets(): Promise<Target[]> {
  return Promise.all(TARGET_TABLE.map((e) => e.load()));
}

/**
 * Runs the command line and returns the exit code; only this layer prints.
 * `targets`: the target table's (a test may give its own).
 */
export async function main(argv: readonly string[], io: Io = processIo(), targets?: readonly Target[]): Promise<number> {
  const table = targets ?? (await loadTargets());
  const emitters = table.filter((t) => t.emit !== undefined);
  let status: number = EXIT.ok;
  /** Runs `run` with the target the options choose, or sets a usage error. */
  const withTarget = async (
    command: TargetCommand,
    o: Readonly<Record<string, unknown>>,
    run: (t: Target, options: Readonly<Record<string, string>>) => Promise<number>,
  ) => {
    const chosen = chooseTarget(table, command, o);
    if ("usage" in chosen) {
      io.err(`error: ${chosen.usage}\n`);
      return EXIT.usage;
    }
    return run(chosen.target, chosen.options);
  };
  const program = new Command()
    .name("aespec")
    .description("Declare, check, train and ship autoencoders.")
    .version(AESPEC_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showSuggestionAfterError(true);

  const setOption = () => new Option("--set <key=value>", "override a value of the spec, e.g. train.epochs=2 (repeatable)").argParser(collect).default([]);
  const modelOption = () => new Option("--model <name>", "the model to use when the file declares several");

  program
    .command("check")
    .description("report every error and warning; exit 0 clean or warnings only, 1 errors, 2 usage")
    .argument("<files...>", ".aespec files")
    .addOption(setOption())
    .addOption(modelOption())
    .addOption(new Option("--format <format>", "text or json").argParser(formatOption).default("text"))
    .addOption(new Option("--target <name>", "also report what this target cannot run").choices(table.map((t) => t.name)))
    .action(async (files: string[], o: { set: string[]; model?: string; format: "text" | "json"; target?: string }) => {
      const { target: name, ...rest } = o;
      status = await checkCommand({ files, ...rest }, io, table.find((t) => t.name === name) ?? null);
    });

  program
    .command("summary")
    .description("layer table: output shapes, parameters, activation bytes, loss terms")
    .argument("<file>", ".aespec file")
    .addOption(setOption())
    .addOption(modelOption())
    .action((file: string, o: { set: string[]; model?: string }) => {
      status = summaryCommand({ file, ...o }, io);
    });

  program
    .command("fmt")
    .description("print the canonical formatting; formatting twice changes nothing")
    .argument("<files...>", ".aespec files")
    .addOption(new Option("--check", "list files that are not formatted; exit 1 if any").conflicts("write"))
    .addOption(new Option("--write", "rewrite files in place"))
    .action((files: string[], o: { check?: boolean; write?: boolean }) => {
      status = fmtCommand({ files, check: o.check === true, write: o.write === true }, io);
    });

  program
    .command("lsp")
    .description("the language server, for editors: diagnostics, hover, inlay hints, completion, rename, formatting over LSP")
    .option("--stdio", "speak LSP on standard input and output (the default and only transport)")
    .action(async () => {
      // Loaded here: no other command pays for the LSP libraries.
      const { lspCommand } = await import("./commands/lsp.js");
      status = await lspCommand();
    });

  program
    .command("compile")
    .description("the checked IR of a model")
    .argument("<file>", ".aespec file")
    .addOption(
      new Option("--emit <what>", `what to emit: ir (JSON)${emitters.map((t) => `, ${t.name} (${t.emit!.what})`).join("")}`)
        .choices(["ir", ...emitters.map((t) => t.name)])
        .default("ir"),
    )
    .addOption(setOption())
    .addOption(modelOption())
    .option("-o, --output <path>", "write to this file (a folder for a target's package) instead of standard output")
    .action(async (file: string, o: { emit: string; set: string[]; model?: string; output?: string }) => {
      status = await compileCommand({ file, ...o }, io, emitters);
    });

  const train = program
    .command("train")
    .description("train a model; writes a run directory (spec, IR, metrics.jsonl, checkpoint)")
    .argument("<file>", ".aespec file")
    .addOption(modelOption())
    .addOption(setOption())
    .option("--out <dir>", "the run directory (default: runs/<model name>)")
    .option("--resume", "continue the run in --out from its checkpoint", false);
  addTargetOptions(withVerbosity(train), table, "train").action(async (file: string, o: Omit<TrainArgs, "file" | "verbosity"> & Record<string, unknown>) => {
    status = await withTarget("train", o, (t, options) => trainCommand({ file, ...o, verbosity: verbosityOf(o) }, t, options, io));
  });

  const evaluate = program
    .command("eval")
    .description(
      "the metrics of a trained run on its test set: reconstruction, ELBO and IWAE bound, KL and active units, codebook use, linear probe, MIG, subspace angles, interpolation smoothness",
    )
    .argument("<run>", "run directory")
    .option("--json", "print a JSON object instead of a table", false)
    .addOption(new Option("--iwae-k <K>", "importance samples of the IWAE bound (default 50, at most 10000)").argParser(iwaeSamples))
    .addOption(new Option("--limit <N>", "evaluate only the first N examples").argParser(positiveInteger))
    .addOption(
      new Option(
        "--anomaly-class <C>",
        "score every example (reconstruction error, -ELBO) and report the AUROC of label C as the anomaly; hold C out of training by training on a data file written without it",
      ).argParser(classLabel),
    )
    .addOption(
      new Option("--anomaly-data <set>", "score this built-in set's test split instead of the run's data (a data file has no labels)").choices(ANOMALY_DATA),
    );
  addTargetOptions(withVerbosity(evaluate), table, "eval").action(async (run: string, o: Omit<EvalArgs, "run" | "verbosity"> & Record<string, unknown>) => {
    status = await withTarget("eval", o, (t, options) => evalCommand({ run, ...o, verbosity: verbosityOf(o) }, t, options, io));
  });

  const report = program
    .command("report")
    .description(
      "write RUN/report.html: training curves, reconstructions, prior samples, traversals, interpolations, codebook use, the metrics of eval and the spec, in one self-contained page",
    )
    .argument("<runs...>", "run directory; several: compare them on one page (with -o)")
    .addOption(new Option("--iwae-k <K>", "importance samples of the IWAE bound in the metrics (default 50, at most 10000)").argParser(iwaeSamples))
    .addOption(new Option("--limit <N>", "evaluate and draw only the first N examples").argParser(positiveInteger))
    .option("-o, --output <file>", "with several runs: the comparison page to write (their curves overlaid, their metrics side by side)");
  addTargetOptions(withVerbosity(report), table, "report").action(
    async (runs: string[], o: Omit<ReportArgs, "runs" | "verbosity"> & Record<string, unknown>) => {
      status = await withTarget("report", o, (t, options) => reportCommand({ runs, ...o, verbosity: verbosityOf(o) }, t, options, io));
    },
  );

  const compare = program
    .command("compare")
    .description(
      "compare runs and sweeps on one page (their curves overlaid, eval's metrics side by side, each metric against each swept value, mean and spread over seeds) and/or as JSON",
    )
    .argument("<runs...>", "run directories and sweep folders (a sweep stands for its runs)")
    .addOption(new Option("--iwae-k <K>", "importance samples of the IWAE bound (default 50, at most 10000)").argParser(iwaeSamples))
    .addOption(new Option("--limit <N>", "evaluate only the first N examples").argParser(positiveInteger))
    .option("-o, --output <file>", "the page to write")
    .option(
      "--json",
      "print the comparison as JSON: each run's values, final and best epoch, metrics and eval, and each point's mean and spread over its seeds",
    )
    .addOption(
      new Option("--metric <name>", "a metric to plot against the swept values (repeatable; default: every metric the runs share)").argParser(collect),
    );
  addTargetOptions(withVerbosity(compare), table, "report").action(
    async (runs: string[], o: Omit<CompareArgs, "runs" | "verbosity"> & Record<string, unknown>) => {
      const { compareCommand } = await import("./commands/compare.js");
      status = await withTarget("report", o, (t, options) => compareCommand({ runs, ...o, verbosity: verbosityOf(o) }, t, options, io));
    },
  );

  const exporting = program
    .command("export")
    .description("write a trained run's encoder, decoder or autoencoder as ONNX (opset 17)")
    .argument("<run>", "run directory")
    .addOption(
      new Option("--part <part>", "which part (required)")
        .choices([...new Set(targetsFor(table, "export").flatMap((t) => t.exports?.parts ?? []))])
        .makeOptionMandatory(),
    )
    .requiredOption("-o, --output <file>", "the file to write, its folder existing (required)");
  addTargetOptions(exporting, table, "export").action(async (run: string, o: Omit<ExportArgs, "run"> & Record<string, unknown>) => {
    status = await withTarget("export", o, async (t) => {
      if (!(t.exports?.parts ?? []).includes(o.part)) {
        io.err(`error: target '${t.name}' exports no part '${o.part}' (it exports ${(t.exports?.parts ?? []).join(", ")})\n`);
        return EXIT.usage;
      }
      return exportCommand({ run, ...o }, t, io);
    });
  });

  const encode = program
    .command("encode")
    .description(
      "write the latent codes of a data file as float32 NPY [count, ...latent], running the encoder in onnxruntime: a deterministic bottleneck's code, a gaussian's mean, a vq's quantized vectors, a ladder's bottom-level posterior mean (what its decoder reads)",
    )
    .argument("<run>", "run directory")
    .requiredOption("--data <file>", "the examples (.npy, .csv or IDX), of the model's input shape (required)")
    .requiredOption("-o, --output <file>", "the .npy file to write, its folder existing (required)")
    .option("--indices", "for a vq bottleneck: the code indices, int32 [count, ...positions], instead of the quantized vectors");
  addTargetOptions(encode, table, "encode").action(async (run: string, o: Omit<EncodeArgs, "run"> & Record<string, unknown>) => {
    status = await withTarget("encode", o, (t) => encodeCommand({ run, ...o }, t, io));
  });

  program
    .command("data")
    .description(
      "write a model's data as NPY files (train, and a built-in set's test split; labels and factors where the set has them) with data.json, for trainers outside aespec",
    )
    .argument("<file>", ".aespec file")
    .addOption(modelOption())
    .addOption(setOption())
    .requiredOption("-o, --output <dir>", "the folder to write, created if missing (required)")
    .action(async (file: string, o: Omit<DataArgs, "file">) => {
      status = await dataCommand({ file, ...o }, io);
    });

  program
    .command("sweep")
    .description("train every combination of values (each with every seed) as its own run, resumably; DIR/sweep.json sums them up")
    .argument("<file>", ".aespec file")
    .argument("[train-args...]", "after --: arguments for every `aespec train` (e.g. -- --backend cpu)")
    .addOption(modelOption())
    .addOption(
      new Option("--set <path=values>", "a value to sweep: PATH=V1,V2,... (repeatable; commas inside calls do not split)").argParser(collect).default([]),
    )
    .addOption(new Option("--seeds <N>", "train each point with the spec's seed and the N - 1 after it").argParser(positiveInteger))
    .addOption(new Option("--jobs <N>", "runs trained at a time").argParser(positiveInteger).default(1))
    .requiredOption("--out <dir>", "the sweep's folder: a run per point in it, and sweep.json (required)")
    .option("--eval", "evaluate every run once trained (aespec eval --json, with the train arguments' --target and --backend) into sweep.json")
    .addOption(new Option("--iwae-k <K>", "with --eval: importance samples of the IWAE bound").argParser(iwaeSamples))
    .addOption(new Option("--limit <N>", "with --eval: evaluate only the first N examples").argParser(positiveInteger))
    .action(async (file: string, trainArgs: string[], o: Omit<SweepArgs, "file" | "trainArgs" | "seeds"> & { seeds?: number }) => {
      const { sweepCommand } = await import("./commands/sweep.js");
      status = await sweepCommand({ file, trainArgs, ...o, seeds: o.seeds ?? null }, io);
    });

  program
    .command("targets")
    .description("the targets: what each runs, its options")
    .action(() => {
      status = targetsCommand(table, io);
    });

  for (const cmd of program.commands) cmd.addHelpText("after", examplesText(cmd.name()));

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      const benign = e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help";
      if (e.code === "commander.unknownOption") io.err(unknownOptionHint(e.message));
      return benign ? EXIT.ok : EXIT.usage;
    }
    throw e;
  }
  return status;
}

/** A spec's train setting given as an option (`--epochs 2`) is set with --set; "" for any other unknown option. */
function unknownOptionHint(message: string): string {
  const flag = /unknown option '--([\w-]+)'/.exec(message)?.[1];
  if (flag === undefined) return "";
  const name = flag.replace(/-/g, "_");
  if (!TRAIN_SETTINGS.some((p) => p.name === name)) return "";
  return `hint: a spec's train settings are set with --set: --set train.${name}=VALUE\n`;
}

function withVerbosity(cmd: Command): Command {
  for (const o of verbosityOptions()) cmd.addOption(o);
  return cmd;
}
