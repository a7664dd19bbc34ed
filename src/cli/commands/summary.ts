import { compileOneModel } from "../pick-model.js";
import { summaryTable } from "../summary-table.js";
import { EXIT, type Io } from "../terminal.js";

export interface SummaryArgs {
  readonly file: string;
  readonly set: readonly string[];
  readonly model?: string;
}

/** `aespec summary FILE`: the layer table of one model. */
export function summaryCommand(args: SummaryArgs, io: Io): number {
  const picked = compileOneModel(args.file, args, io);
  if ("exit" in picked) return picked.exit;
  io.out(summaryTable(picked.model));
  return EXIT.ok;
}
