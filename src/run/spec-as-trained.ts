/**
 * RUN/spec.aespec: the spec as written, followed by the `--set` overrides it
 * was trained with (ir.json has them applied). Appended, not prepended: the
 * IR's spans are offsets into the text as written, and diagnostics about a
 * run show them from this file. The command line and the library write it alike.
 */
export function specAsTrained(text: string, overrides: readonly string[]): string {
  if (overrides.length === 0) return text;
  return `${text}${text.endsWith("\n") ? "" : "\n"}// trained with: ${overrides.map((o) => `--set ${o}`).join(" ")}\n`;
}
