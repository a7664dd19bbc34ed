import { compileFile, modelNames } from "../../compile.js";
import { pickOneModel } from "../pick-model.js";
import { partialSummaryTable, summaryTable } from "../summary-table.js";
import { EXIT, reportText, type Io } from "../terminal.js";

export interface SummaryArgs {
  readonly file: string;
  readonly set: readonly string[];
  readonly model?: string;
}

/**
 * `aespec summary FILE`: the layer table of one model. A model with errors
 * gets its errors, then the table as far as the checker got (up to and
 * including the layer that failed), and exit 1.
 */
export function summaryCommand(args: SummaryArgs, io: Io): number {
  const c = compileFile(args.file, { overrides: args.set, ...(args.model !== undefined ? { model: args.model } : {}) });
  const names = c.ast === null ? [] : modelNames(c.ast);
  const wanted = args.model ?? (names.length === 1 ? names[0] : undefined);
  const partial = !c.ok && wanted !== undefined ? c.partials.get(wanted) : undefined;
  if (partial !== undefined) {
    reportText(c, io);
    const text = (s: { file: string; start: number; end: number }) => c.sources.get(s.file)?.text.slice(s.start, s.end) ?? "?";
    io.out(partialSummaryTable(partial, text));
    return EXIT.errors;
  }
  const picked = pickOneModel(c, args.file, args, io);
  if ("exit" in picked) return picked.exit;
  io.out(summaryTable(picked.model));
  return EXIT.ok;
}
