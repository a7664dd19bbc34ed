import type { Position } from "vscode-languageserver-protocol";

/** The position of the `nth` occurrence of `needle` in `text`, plus `delta` characters (same line). */
export function positionIn(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' (${nth}) is not in the text`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}
