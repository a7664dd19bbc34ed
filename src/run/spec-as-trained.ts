const TRAINED_WITH = "// trained with: ";

/**
 * RUN/spec.aespec: the spec as written, followed by the `--set` overrides it
 * was trained with (ir.json has them applied). Appended, not prepended: the
 * IR's spans are offsets into the text as written, and diagnostics about a
 * run show them from this file. The command line and the library write it alike.
 */
export function specAsTrained(text: string, overrides: readonly string[]): string {
  if (overrides.length === 0) return text;
  return `${text}${text.endsWith("\n") ? "" : "\n"}${TRAINED_WITH}${overrides.map((o) => `--set ${o}`).join(" ")}\n`;
}

/** The `--set` overrides a spec.aespec says it was trained with (specAsTrained's last line), as written: `train.epochs=2`. */
export function overridesOf(specText: string): string[] {
  const last = specText.trimEnd().split("\n").at(-1) ?? "";
  if (!last.startsWith(TRAINED_WITH + "--set ")) return [];
  return last
    .slice(TRAINED_WITH.length + "--set ".length)
    .split(" --set ")
    .map((o) => o.trim())
    .filter((o) => o !== "");
}
