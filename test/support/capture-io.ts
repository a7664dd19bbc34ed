import type { Io } from "../../src/cli/terminal.js";

/** An Io for calling the command line in-process, keeping what it prints. */
export function captureIo(): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), color: false }, out, err };
}
