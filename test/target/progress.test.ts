import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { EpochMetrics } from "../../src/target/train-events.js";
import { duration, epochLine, num, TrainProgress } from "../../src/target/progress.js";

const metrics = (extra: Partial<EpochMetrics> = {}): EpochMetrics => ({
  epoch: 2,
  steps: 10,
  examples: 1000,
  seconds: 1.25,
  examplesPerSecond: 812.4,
  train: { total: 101.23456, terms: { reconstruction: 95.1, kl: 6.13456 } },
  validation: { total: 103, terms: { reconstruction: 96.5, kl: 6.5 } },
  statsOn: "validation",
  monitor: { on: "validation", value: 103, bestEpoch: 2 },
  ...extra,
});

describe("epoch lines", () => {
  it("show each term of train and validation, the latent statistics, time and throughput", () => {
    const g = { klPerUnit: [1, 2], kl: 3, activeUnits: 1, units: 2 };
    expect(epochLine(metrics({ gaussian: g }), 30)).toBe(
      "epoch 2/30  train 101.2 (reconstruction 95.1, kl 6.135)  validation 103 (reconstruction 96.5, kl 6.5)  active units 1/2, KL 3  1.3 s  812 ex/s",
    );
    const vq = metrics({
      validation: null,
      train: { total: 0.5, terms: { reconstruction: 0.5 } },
      codebook: { perplexity: 123.456, codesUsed: 300, codes: 512 },
    });
    expect(epochLine(vq, 5)).toBe("epoch 2/5  train 0.5  perplexity 123.5 (300/512 codes used)  1.3 s  812 ex/s");
  });

  it("format numbers with four significant digits", () => {
    expect(num(101.23456)).toBe("101.2");
    expect(num(12345.678)).toBe("12345.7");
    expect(num(0.000123)).toBe("1.23e-4");
    expect(num(0)).toBe("0");
    expect(num(NaN)).toBe("NaN");
  });
});

/** A stream that says it is a terminal and keeps what is written. */
function fakeTerminal(): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number };
  stream.isTTY = true;
  stream.columns = 200;
  return { stream, text: () => chunks.join("") };
}

describe("the progress display", () => {
  it("without a terminal: a start line and one line an epoch, no bar", () => {
    const lines: string[] = [];
    const p = new TrainProgress({ line: (t) => lines.push(t), barStream: null });
    p.start({ model: "vae", startEpoch: 0, epochs: 30, stepsPerEpoch: 10, trainExamples: 1000, validationExamples: 100, resumed: false, runDir: null });
    for (let s = 1; s <= 10; s++) p.step({ epoch: 2, step: s, steps: 10, total: 1, terms: { reconstruction: 1 }, examplesPerSecond: 10 });
    p.epoch(metrics());
    expect(lines).toEqual(["training vae: 1000 examples (100 held out for validation), 10 steps an epoch, 30 epochs", epochLine(metrics(), 30)]);
  });

  it("without a terminal: a progress line every 10 s within an epoch, with the running mean and the epoch's and the run's ETA", () => {
    const lines: string[] = [];
    let clock = 0;
    const p = new TrainProgress({ line: (t) => lines.push(t), barStream: null, now: () => clock });
    p.start({ model: "vae", startEpoch: 1, epochs: 30, stepsPerEpoch: 10, trainExamples: 1000, validationExamples: 0, resumed: true, runDir: null });
    for (let s = 1; s <= 10; s++) {
      clock = (s - 1) * 3000;
      p.step({ epoch: 2, step: s, steps: 10, total: s, terms: { reconstruction: s }, examplesPerSecond: 33.3 });
    }
    p.epoch(metrics());
    // Steps end every 3 s from step 1 at 0 s: lines at step 5 (12 s) and step 9 (24 s); none at the epoch's last step.
    expect(lines.slice(1, -1)).toEqual([
      "epoch 2/30  step 5/10  mean loss 3 (last batch loss 5)  33 ex/s  ETA epoch 15 s, run 14m 15s",
      "epoch 2/30  step 9/10  mean loss 5 (last batch loss 9)  33 ex/s  ETA epoch 3 s, run 14m 03s",
    ]);
    expect(lines).toHaveLength(4);
  });

  it("formats durations for people", () => {
    expect([duration(0), duration(42_400), duration(580_000), duration(7_500_000)]).toEqual(["0 s", "42 s", "9m 40s", "2h 05m"]);
  });

  it("on a terminal: a live bar with epoch, step, loss terms, examples/s and ETA, cleared when the epoch ends", () => {
    const t = fakeTerminal();
    const lines: string[] = [];
    const p = new TrainProgress({ line: (x) => lines.push(x), barStream: t.stream });
    p.start({ model: "vae", startEpoch: 2, epochs: 4, stepsPerEpoch: 3, trainExamples: 48, validationExamples: 0, resumed: true, runDir: "runs/vae" });
    expect(lines[0]).toBe("training vae: 48 examples, 3 steps an epoch, 4 epochs, resuming after epoch 2");
    p.step({ epoch: 3, step: 1, steps: 3, total: 12.5, terms: { reconstruction: 10, kl: 2.5 }, examplesPerSecond: 1234.4 });
    const shown = t.text();
    expect(shown).toContain("epoch 3/4");
    expect(shown).toContain("1/3");
    expect(shown).toContain("1234 ex/s");
    expect(shown).toContain("mean loss 12.5 (last loss 12.5 reconstruction 10 kl 2.5)");
    expect(shown).toContain("ETA -");
    expect(shown).not.toContain("ETA 0s");
    p.step({ epoch: 3, step: 2, steps: 3, total: 11, terms: { reconstruction: 9, kl: 2 }, examplesPerSecond: 1300 });
    p.step({ epoch: 3, step: 3, steps: 3, total: 10, terms: { reconstruction: 8, kl: 2 }, examplesPerSecond: 1300 });
    p.epoch(metrics({ epoch: 3 }));
    expect(lines).toHaveLength(2);
    expect(lines[1]!.startsWith("epoch 3/4  train")).toBe(true);
  });
});
