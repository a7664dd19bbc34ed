import { compileFile } from "../../compile.js";
import { EXIT, diagnosticsJson, displayName, reportText, summaryLine, type Io } from "../terminal.js";

export interface CheckArgs {
  readonly files: readonly string[];
  readonly set: readonly string[];
  readonly model?: string;
  readonly format: "text" | "json";
}

/** `aespec check FILE...`: diagnostics for every model; exit 1 on errors, warnings alone pass. */
export function checkCommand(args: CheckArgs, io: Io): number {
  const results = args.files.map((file) => ({
    file,
    c: compileFile(file, { overrides: args.set, ...(args.model !== undefined ? { model: args.model } : {}) }),
  }));
  const failed = results.some((r) => !r.c.ok);
  if (args.format === "json") {
    const files = results.map(({ file, c }) => ({
      file: displayName(file),
      ok: c.ok,
      models: c.models.map((m) => m.name),
      diagnostics: diagnosticsJson(c),
    }));
    io.out(JSON.stringify({ ok: !failed, files }, null, 2) + "\n");
  } else {
    for (const { file, c } of results) {
      reportText(c, io);
      io.out(summaryLine(file, c) + "\n");
    }
  }
  return failed ? EXIT.errors : EXIT.ok;
}
