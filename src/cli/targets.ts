/**
 * The command line's view of the target table: `--target` and each target's
 * own options on the commands they serve, and the target a command runs.
 * No target is named here; they come from targets/table.ts (or a test's table).
 */
import { Option, type Command } from "commander";
import { commandsOf, type Target, type TargetCommand, type TargetOptions } from "../target/target.js";

/** The targets serving `command`, in table order (the first is the default). */
export function targetsFor(targets: readonly Target[], command: TargetCommand): Target[] {
  return targets.filter((t) => commandsOf(t).includes(command));
}

/** Adds `--target` (when a target serves the command) and the options of every target serving it, each once. */
export function addTargetOptions(cmd: Command, targets: readonly Target[], command: TargetCommand): Command {
  const serving = targetsFor(targets, command);
  if (serving.length === 0) return cmd;
  cmd.addOption(new Option("--target <name>", `the target that runs it (default: ${serving[0]!.name})`).choices(serving.map((t) => t.name)));
  const added = new Map<string, string>();
  for (const t of serving) {
    for (const o of t.options.filter((o) => o.commands.includes(command))) {
      const option = new Option(o.flag, `${o.description} [${t.name}]`);
      const key = option.attributeName();
      const owner = added.get(key);
      if (owner !== undefined) throw new Error(`internal: targets '${owner}' and '${t.name}' both define ${o.flag} on ${command}`);
      added.set(key, t.name);
      cmd.addOption(o.choices === undefined ? option : option.choices(o.choices));
    }
  }
  return cmd;
}

export type Chosen = { readonly target: Target; readonly options: TargetOptions } | { readonly usage: string };

/** The target a command runs (`--target`, else the first serving it), with its own options' values; a usage error when an option given is another target's. */
export function chooseTarget(targets: readonly Target[], command: TargetCommand, given: Readonly<Record<string, unknown>>): Chosen {
  const serving = targetsFor(targets, command);
  const name = typeof given["target"] === "string" ? given["target"] : serving[0]?.name;
  const target = serving.find((t) => t.name === name);
  if (target === undefined) return { usage: `no target runs \`${command}\`${name === undefined ? "" : ` named '${name}'`}` };
  const options: Record<string, string> = {};
  for (const t of serving) {
    for (const o of t.options.filter((o) => o.commands.includes(command))) {
      const key = new Option(o.flag).attributeName();
      const value = given[key];
      if (value === undefined) continue;
      if (t !== target) return { usage: `${new Option(o.flag).long ?? o.flag} is an option of target '${t.name}', not of '${target.name}'` };
      const why = o.invalid?.(String(value)) ?? null;
      if (why !== null) return { usage: `${new Option(o.flag).long ?? o.flag} ${String(value)}: ${why}` };
      options[key] = String(value);
    }
  }
  return { target, options };
}
