/** Values written as Python literals in generated code: numbers round-trip, strings escaped, JSON's null and booleans as None, True, False. */
export function py(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`internal: ${v} has no Python literal here`);
    return String(v);
  }
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(py).join(", ")}]`;
  if (typeof v === "object") {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`)
      .join(", ")}}`;
  }
  throw new Error(`internal: no Python literal for ${typeof v}`);
}

/** A tuple literal. */
export const pyTuple = (xs: readonly unknown[]): string => `(${xs.map(py).join(", ")}${xs.length === 1 ? "," : ""})`;
