/**
 * The targets, in one explicit table: the command line lists them, adds
 * their options and runs their commands from here, and names none of them
 * itself. The first target serving a command is its default. Each module is
 * loaded when the table is read (target.ts modules are light); heavy code is
 * loaded by the command that needs it. Adding a target: a folder under
 * targets/ with a target.ts, and one line here.
 */
import type { TargetEntry } from "../src/target/target.js";

export const TARGET_TABLE: readonly TargetEntry[] = [
  { name: "tfjs", load: async () => (await import("./tfjs/target.js")).TFJS_TARGET },
  { name: "onnx", load: async () => (await import("./onnx/target.js")).ONNX_TARGET },
  { name: "pytorch", load: async () => (await import("./pytorch/target.js")).PYTORCH_TARGET },
];
