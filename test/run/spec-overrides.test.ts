import { describe, expect, it } from "vitest";
import { runSection } from "../../src/report/run-section.js";
import { overridesOf, specAsTrained } from "../../src/run/spec-as-trained.js";
import { irOf } from "../targets/tfjs/train/helpers.js";

describe("the overrides a run was trained with", () => {
  it("come back from its spec.aespec as written, values with spaces and quotes included", () => {
    const sets = ["train.epochs=2", "train.data=mnist(count: 1000)", 'train.data="x y.npy"', "loss.kl.beta=4"];
    expect(overridesOf(specAsTrained("model m {}\n", sets))).toEqual(sets);
    expect(overridesOf(specAsTrained("model m {}", []))).toEqual([]);
    expect(overridesOf("model m {}\n// a comment\n")).toEqual([]);
  });

  it("are marked in the report's table of the run, each on the row it changed", () => {
    const ir = irOf("model m { input: [4] bottleneck: deterministic(2) decoder { dense(4) } train { data: lowrank(dim: 4, rank: 2, count: 64) epochs: 3 } }", [
      "train.epochs=2",
      "bottleneck.units=3",
    ]);
    const html = runSection(ir, 2, [], ["train.epochs=2", "bottleneck.units=3"]).html;
    expect(html).toContain('<td>epochs</td><td class="value">2 trained of 2 <span class="override" title="--set train.epochs=2">(--set)</span></td>');
    expect(html).toMatch(
      /<td>model<\/td><td class="value">m: deterministic bottleneck, [\d,]+ parameters <span class="override" title="--set bottleneck.units=3">\(--set\)<\/span>/,
    );
    expect(html).toContain('<td>overrides</td><td class="value">--set train.epochs=2 --set bottleneck.units=3</td>');
    expect(html).not.toMatch(/<td>batch<\/td>[^\n]*\(--set\)/);
    expect(runSection(ir, 2, []).html).not.toContain("(--set)");
  });

  it("the table says what trained the run, and where a resume changed it", () => {
    const ir = irOf("model m { input: [4] bottleneck: deterministic(2) decoder { dense(4) } train { data: lowrank(dim: 4, rank: 2, count: 64) epochs: 3 } }");
    const line = (epoch: number, runtime: string) => ({
      epoch,
      steps: 1,
      examples: 64,
      seconds: 1,
      examplesPerSecond: 64,
      train: { total: 1, terms: {} },
      validation: null,
      statsOn: "train" as const,
      monitor: { on: "train" as const, value: 1, bestEpoch: epoch },
      trainedBy: { aespec: "0.1.0", target: "tfjs", runtime },
    });
    const same = runSection(ir, 2, [line(1, "wasm+blas (OpenBLAS SkylakeX, 2 threads)"), line(2, "wasm+blas (OpenBLAS SkylakeX, 2 threads)")]).html;
    expect(same).toContain('<td>trained by</td><td class="value">aespec 0.1.0, tfjs: wasm+blas (OpenBLAS SkylakeX, 2 threads)</td>');
    const resumed = runSection(ir, 3, [line(1, "wasm+blas (x)"), line(2, "wasm+blas (x)"), line(3, "cpu (plain JavaScript, slow)")]).html;
    expect(resumed).toContain("epochs 1-2: aespec 0.1.0, tfjs: wasm+blas (x); epoch 3: aespec 0.1.0, tfjs: cpu (plain JavaScript, slow)");
  });
});
