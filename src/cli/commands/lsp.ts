import { startServer } from "../../lsp/server.js";
import { EXIT } from "../terminal.js";

/**
 * `aespec lsp`: the language server on standard input and output, until the
 * client closes them (or sends `exit`, which ends the process).
 */
export async function lspCommand(): Promise<number> {
  const ended = new Promise<void>((resolve) => {
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
  });
  startServer({ input: process.stdin, output: process.stdout });
  await ended;
  return EXIT.ok;
}
