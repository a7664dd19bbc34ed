import { describe, expect, it } from "vitest";
import { check } from "./helpers.js";
import { languageExamples } from "../support/language-reference.js";

/** Every ```aespec block of docs/language.md checks exactly as the page says. */
const blocks = languageExamples();
const firstLine = (b: string) => b.split("\n").find((l) => l.startsWith("model"))!;

describe("docs/language.md examples", () => {
  it("has the examples this test expects", () => {
    expect(blocks.length).toBe(9);
  });

  const clean = blocks.filter((b) => !/\/\/ (error|warning) here/.test(b));
  it.each(clean.map((b) => [firstLine(b), b]))("%s checks clean, every model, no warnings", (_, text) => {
    const c = check(text);
    expect(c.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const declared = [...text.matchAll(/^model (\w+)/gm)].map((m) => m[1]);
    expect(c.models.map((m) => m.name)).toEqual(declared);
  });

  const errors = blocks.filter((b) => /\/\/ error here/.test(b));
  it.each(errors.map((b) => [firstLine(b), b]))("%s fails with one error on the marked line", (_, text) => {
    const c = check(text);
    const errs = c.diagnostics.filter((d) => d.severity === "error");
    expect(errs).toHaveLength(1);
    const markedLine = text.split("\n").findIndex((l) => l.includes("// error here"));
    expect(text.slice(0, errs[0]!.span.start).split("\n").length - 1).toBe(markedLine);
    expect(c.models).toEqual([]);
  });

  it("bad_shape, bad_kl and bad_bernoulli fail for the reason given", () => {
    const codes = errors.map((b) => check(b).diagnostics.find((d) => d.severity === "error")!.code);
    expect(codes).toEqual(["AE2301", "AE2401", "AE2402"]);
  });

  it("identity_risk warns once, AE2701 at the bottleneck, and is accepted", () => {
    const text = blocks.find((b) => b.includes("model identity_risk"))!;
    const c = check(text);
    expect(c.codes).toEqual(["AE2701"]);
    const d = c.diagnostics[0]!;
    expect(text.slice(d.span.start, d.span.end)).toBe("deterministic(64)");
    expect(d.message).toContain("64 >= 32 input features");
    expect(c.models.map((m) => m.name)).toEqual(["identity_risk"]);
  });
});
