/**
 * Golden cases of the evaluation codes (AE33xx), rendered by
 * test/golden.test.ts like its own cases. Paths are relative to the
 * repository, the tests' working folder.
 */
import type { Code } from "../../../../src/diagnostics/codes.js";
import type { Diagnostic } from "../../../../src/diagnostics/diagnostic.js";
import type { SourceFile } from "../../../../src/diagnostics/span.js";
import { loadRunForEval } from "../../../../targets/tfjs/eval/load-for-eval.js";
import { writeReportFile } from "../../../../src/report/write-report-file.js";
import { makeDataset } from "../../../../src/data/dataset.js";
import { anomalyRefusal } from "../../../../src/eval/anomaly.js";

interface Produced {
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

export const EVAL_GOLDEN_CASES: Partial<Record<Code, () => Produced>> = {
  AE3301: () => {
    const r = loadRunForEval("test/golden/eval/no-such-run");
    if (r.ok) throw new Error("internal: a missing run loaded");
    return { diagnostics: [r.diagnostic], sources: new Map() };
  },
  // aespec report: RUN/report.html cannot be written (here: the run folder vanished after it was read)
  AE3302: () => {
    const r = writeReportFile("test/golden/eval/no-such-run", "<!DOCTYPE html>");
    if (r.ok) throw new Error("internal: a report was written into a missing folder");
    return { diagnostics: [r.diagnostic], sources: new Map() };
  },
  // aespec eval --anomaly-class 9 of a run whose data (a file) has no labels
  AE3303: () => {
    const unlabelled = makeDataset({ x: new Float32Array(4), shape: [2], count: 2, labels: null });
    const d = anomalyRefusal(unlabelled, 9, "the evaluated examples (validation fraction)", { file: "test/golden/eval/run", start: 0, end: 0 });
    if (d === null) throw new Error("internal: unlabelled data were accepted");
    return { diagnostics: [d], sources: new Map() };
  },
};
