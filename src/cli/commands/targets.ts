import { commandsOf, type Target } from "../../target/target.js";
import { EXIT, type Io } from "../terminal.js";

/** `aespec targets`: each target of the table, the commands it runs (default where it is the first), and its options. */
export function targetsCommand(targets: readonly Target[], io: Io): number {
  const firstFor = (c: string) => targets.find((t) => commandsOf(t).includes(c as never))?.name;
  const lines = targets.flatMap((t) => {
    const commands = commandsOf(t).map((c) => (firstFor(c) === t.name ? `${c} (default)` : c));
    return [
      `${t.name}: ${t.description}`,
      `  runs: ${commands.length === 0 ? "nothing yet" : commands.join(", ")}`,
      ...t.options.map((o) => `  ${o.flag}: ${o.description}${o.choices === undefined ? "" : ` (${o.choices.join(", ")})`}; on ${o.commands.join(", ")}`),
    ];
  });
  io.out(lines.join("\n") + "\n");
  return EXIT.ok;
}
