/** The HTML report of a trained run (`aespec report`), loaded by the CLI with a dynamic import. */
export { buildReport, writeReport, type ReportOptions } from "./build-report.js";
