import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { compileFile, type Compilation } from "../../compile.js";
import type { Target } from "../../target/target.js";
import { EXIT, diagnosticsJson, displayName, reportText, summaryLine, type Io } from "../terminal.js";

export interface CheckArgs {
  readonly files: readonly string[];
  readonly set: readonly string[];
  readonly model?: string;
  readonly format: "text" | "json";
}

/**
 * `aespec check FILE...`: diagnostics for every model; exit 1 on errors,
 * warnings alone pass. With a target, also what that target cannot run
 * (its diagnostics join the file's, so a model it refuses fails the check).
 */
export async function checkCommand(args: CheckArgs, io: Io, target: Target | null = null): Promise<number> {
  const files = args.files.flatMap(specsIn);
  if (files.length === 0) {
    io.err(`error: ${args.files.map(displayName).join(", ")} holds no .aespec file\n`);
    return EXIT.errors;
  }
  const results = await Promise.all(
    files.map(async (file) => {
      const c = compileFile(file, { overrides: args.set, ...(args.model !== undefined ? { model: args.model } : {}) });
      return { file, c: target === null ? c : await withTargetRefusals(c, target) };
    }),
  );
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

/** The compilation with the target's refusals of its models added (not ok when one is an error). */
async function withTargetRefusals(c: Compilation, target: Target): Promise<Compilation> {
  const refusals = (await Promise.all(c.models.map((m) => target.unsupported(m)))).flat();
  if (refusals.length === 0) return c;
  return { ...c, ok: c.ok && !refusals.some((d) => d.severity === "error"), diagnostics: [...c.diagnostics, ...refusals] };
}

/** A folder given to check stands for its .aespec files (sorted, not recursive); anything else for itself. */
function specsIn(path: string): string[] {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory() !== true) return [path];
  return readdirSync(path)
    .filter((n) => n.endsWith(".aespec"))
    .sort()
    .map((n) => join(path, n));
}
