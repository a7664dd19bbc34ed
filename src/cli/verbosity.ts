import { Option } from "commander";
import type { Runtime } from "../target/target.js";

export type Verbosity = "quiet" | "normal" | "verbose";

/** --quiet and --verbose, for the commands that run a target. */
export function verbosityOptions(): Option[] {
  return [
    new Option("--quiet", "print no backend line and no progress, only warnings, errors and the result").conflicts("verbose"),
    new Option("--verbose", "print what the backend runs in full, and each faster candidate skipped and why"),
  ];
}

export function verbosityOf(o: Readonly<Record<string, unknown>>): Verbosity {
  return o["quiet"] === true ? "quiet" : o["verbose"] === true ? "verbose" : "normal";
}

/** The runtime's lines as the verbosity asks: none, `backend NAME (...)`, or that and its details. */
export function runtimeLines(r: Runtime, v: Verbosity): string {
  if (v === "quiet") return "";
  return [`backend ${r.summary}`, ...(v === "verbose" ? r.details.map((d) => `  ${d}`) : [])].join("\n") + "\n";
}
