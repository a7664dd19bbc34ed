import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/compile.js";
import type { EpochMetrics } from "../../src/run/metrics.js";
import { trainingCurvesSection } from "../../src/report/training-curves.js";
import { collapseWarnings, NOT_COLLAPSED, runWarnings } from "../../src/target/collapse-warnings.js";
import { REPO_ROOT } from "../support/language-reference.js";

/** Training's collapse warnings kept in the run (they are a function of metrics.jsonl) and shown in the report where they happened. */
const vq = compileFile(join(REPO_ROOT, "specs", "vqvae.aespec")).models[0]!;
const vae = compileFile(join(REPO_ROOT, "specs", "vae.aespec"), { model: "vae" }).models[0]!;

const epoch = (n: number, extra: Partial<EpochMetrics>): EpochMetrics => ({
  epoch: n,
  steps: 10,
  examples: 1000,
  seconds: 1,
  examplesPerSecond: 1000,
  train: { total: 10 - n, terms: { reconstruction: 10 - n } },
  validation: null,
  statsOn: "train",
  monitor: { on: "train", value: 10 - n, bestEpoch: n },
  ...extra,
});
const codes = (used: number) => ({ perplexity: used, codesUsed: used, codes: vq.bottleneck.kind === "vq" ? vq.bottleneck.codes : 0 });

describe("warnings of a run, replayed from its epochs", () => {
  const epochs = [epoch(1, { codebook: codes(300) }), epoch(2, { codebook: codes(3) }), epoch(3, { codebook: codes(2) }), epoch(4, { codebook: codes(400) })];

  it("each warning once, at the epoch it began, equal to what training raised epoch by epoch", () => {
    const replayed = runWarnings(vq, epochs);
    expect(replayed.map((w) => [w.epoch, w.warning.code])).toEqual([[2, "AE3108"]]);
    // The trainers' own loop: the same rule, fed epoch by epoch.
    let state = NOT_COLLAPSED;
    const raised = epochs.flatMap((m) => {
      const r = collapseWarnings(vq, m, state);
      state = r.collapsed;
      return r.warnings;
    });
    expect(replayed.map((w) => w.warning)).toEqual(raised);
    // A second collapse after recovering is a second warning.
    expect(runWarnings(vq, [...epochs, epoch(5, { codebook: codes(1) })]).map((w) => w.epoch)).toEqual([2, 5]);
  });

  it("the report marks them on the curves and lists them with message and hint", async () => {
    const section = await trainingCurvesSection({ epochs, skipped: [] }, vq);
    expect(section.html).toContain("Warnings during training");
    expect(section.html).toContain('id="warning-AE3108-2"');
    expect(section.html).toContain("<b>epoch 2, AE3108</b>: codebook collapse at epoch 2");
    expect(section.html).toContain("hint: try");
    // The marker: the code drawn in the chart (an SVG text) beside a dashed rule.
    expect(section.html).toMatch(/<text[^>]*>AE3108<\/text>/);
    expect(section.html).toContain("stroke-dasharray");
  });

  it("each curve's axis says its unit", async () => {
    const section = await trainingCurvesSection({ epochs, skipped: [] }, vq);
    expect(section.html).toContain(">squared error per example<"); // vqvae's reconstruction is mse
    const g = { klPerUnit: [1, 2], kl: 3, activeUnits: 2, units: 2 };
    const v = await trainingCurvesSection({ epochs: [epoch(1, { gaussian: g, train: { total: 5, terms: { reconstruction: 4, kl: 1 } } })], skipped: [] }, vae);
    expect(v.html.match(/>nats per example</g)).toHaveLength(2); // bernoulli reconstruction and kl
    expect(v.html).toContain(">loss per example<"); // the total
  });

  it("draws training within epochs from the step curve: a line, with dots only for the epochs' validation means", async () => {
    const curve = { at: [0.25, 0.5, 0.75, 1], examples: [8, 8, 8, 8], total: [9, 7, 6, 5], terms: { reconstruction: [9, 7, 6, 5] } };
    const validation = { total: 6.5, terms: { reconstruction: 6.5 } };
    const one = await trainingCurvesSection({ epochs: [epoch(1, { curve, validation })], skipped: [] }, vq);
    expect(one.html).toContain("training batches&#39; mean over each window of steps (line), and over the validation set at each epoch&#39;s end (dots)");
    // One epoch, yet a line of four points (a path of three segments), and one dot per chart for validation.
    const line = /<g class="mark-line role-mark[^"]*"[^>]*><path[^>]*d="([^"]+)"/.exec(one.html)![1]!;
    expect(line.split("L")).toHaveLength(4);
    const dots = [...one.html.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => (m[1]!.match(/<path /g) ?? []).length);
    expect(dots).toEqual([1, 1]); // reconstruction and total: validation only
  });

  it("a run without warnings has no list and no markers", async () => {
    const g = { klPerUnit: [1, 2], kl: 3, activeUnits: 2, units: 2 };
    const section = await trainingCurvesSection({ epochs: [epoch(1, { gaussian: g }), epoch(2, { gaussian: g })], skipped: [] }, vae);
    expect(section.html).not.toContain("Warnings during training");
    expect(section.html).not.toContain("stroke-dasharray");
  });
});
