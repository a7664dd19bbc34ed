import { InvalidArgumentError } from "commander";

/** Accumulates repeated `--set K=V` options in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function formatOption(value: string): "text" | "json" {
  if (value === "text" || value === "json") return value;
  throw new InvalidArgumentError("expected 'text' or 'json'");
}
