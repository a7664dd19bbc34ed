/** The eval report's types live with the target-neutral code, in src/eval, where src/report reads them. */
export * from "../../../src/eval/eval-report.js";
