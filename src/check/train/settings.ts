import { diag, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { TrainConfig } from "../../ir/train.js";
import type { TrainSite } from "../resolve/bound.js";
import { defaultCall, typeGiven, type TypeContext, type TypedValue } from "../typecheck.js";
import { CONSTANT_RATE, type InitScheme } from "../../ir/train.js";
import type { DataName, OptimizerName, ScheduleName } from "../vocabulary/train.js";
import { TRAIN_SETTINGS, type SettingName } from "../vocabulary/train.js";
import { DATA_BUILDERS, fileData, withFacts, type CheckedData, type DataFiles } from "./data.js";
import { OPTIMIZER_BUILDERS } from "./optimizers.js";
import { SCHEDULE_BUILDERS, scheduleProblems } from "./schedules.js";

export interface CheckedTrain {
  readonly config: TrainConfig;
  /** Where each setting was written (for diagnostics), absent for defaults. */
  readonly spans: ReadonlyMap<SettingName, Span>;
}

/**
 * The train settings, typed, with defaults for those not written. Returns
 * null if any setting is wrong (reported). `broken` lists settings that
 * failed to bind: they are wrong already.
 */
export function checkTrain(site: TrainSite | null, at: Span, files: DataFiles, ctx: TypeContext, brokenSettings: boolean): CheckedTrain | null {
  const values = new Map<SettingName, TypedValue>();
  const spans = new Map<SettingName, Span>();
  const labels = new Map<SettingName, string>();
  let ok = !brokenSettings;
  for (const p of TRAIN_SETTINGS) {
    const written = site?.settings.get(p.name);
    if (written !== undefined) {
      const t = typeGiven(written.given, p.type, ctx, written.given.label ?? `train ${p.name}`);
      if (t === null) ok = false;
      else {
        values.set(p.name, t.value);
        spans.set(p.name, t.span);
        if (t.label !== null) labels.set(p.name, t.label);
      }
      continue;
    }
    const d = p.default.kind === "value" ? p.default.value : null;
    if (d === null) values.set(p.name, { t: "none" });
    else if (d.t !== "call") values.set(p.name, d);
    else {
      const c = defaultCall(p.type, d.name, site?.keyword ?? at, ctx);
      if (c === null) ok = false;
      else values.set(p.name, { t: "call", v: c });
    }
  }
  if (!ok) return null;
  const test = { value: values.get("test")!, span: spans.get("test"), subject: labels.get("test") ?? "train test" };
  const data = checkData(values.get("data")!, spans.get("data"), labels.get("data") ?? "train data", test, files, ctx.out);
  if (data === null) return null;
  const optimizer = values.get("optimizer")!;
  if (optimizer.t !== "call") throw new Error("internal: optimizer is not a call");
  const num = (n: SettingName) => {
    const v = values.get(n)!;
    if (v.t !== "number") throw new Error(`internal: ${n} is not a number`);
    return v.v;
  };
  const schedule = values.get("schedule")!;
  if (schedule.t !== "call") throw new Error("internal: schedule is not a call");
  const init = values.get("init")!;
  if (init.t !== "enum") throw new Error("internal: init is not a name");
  const earlyStop = values.get("early_stop")!;
  const opt = OPTIMIZER_BUILDERS[optimizer.v.name as OptimizerName](optimizer.v);
  // Not written: the constant rate, located nowhere (no warning can point at it).
  const lr = spans.has("schedule") ? SCHEDULE_BUILDERS[schedule.v.name as ScheduleName](schedule.v) : CONSTANT_RATE;
  const problems = scheduleProblems(lr, opt, num("epochs"), spans.get("epochs"));
  ctx.out.push(...problems);
  if (problems.some((d) => d.severity === "error")) return null;
  return {
    config: {
      data: data === "none" ? null : data.source,
      dataFacts: data === "none" ? null : data.facts,
      optimizer: opt,
      schedule: lr,
      init: init.v as InitScheme,
      batch: num("batch"),
      epochs: num("epochs"),
      seed: num("seed"),
      validation: num("validation"),
      earlyStop: earlyStop.t === "none" ? null : num("early_stop"),
    },
    spans,
  };
}

interface TestSetting {
  readonly value: TypedValue;
  readonly span: Span | undefined;
  readonly subject: string;
}

function checkData(
  v: TypedValue,
  span: Span | undefined,
  subject: string,
  test: TestSetting,
  files: DataFiles,
  out: Diagnostic[],
): CheckedData | "none" | null {
  if (test.value.t !== "none" && v.t !== "path") {
    out.push(testWithoutFile(v, span, test));
    return null;
  }
  if (v.t === "none") return "none";
  if (v.t === "path") {
    const source = fileData(v.v, span!, files.baseDir, subject, out);
    if (source === null || source.kind !== "file" || test.value.t === "none") return withFacts(source, out, files.open);
    if (test.value.t !== "path") {
      out.push(diag("AE2107", `${test.subject}: expected a data file ("x_test.npy"), got a data set; a built-in set brings its own test set`, test.span!));
      return null;
    }
    const file = fileData(test.value.v, test.span!, files.baseDir, test.subject, out);
    if (file === null || file.kind !== "file") return null;
    const { path, resolvedPath, format, span: at } = file;
    const testFile = { path, resolvedPath, format, span: at };
    return withFacts({ ...source, test: testFile }, out, files.open);
  }
  if (v.t !== "call") throw new Error("internal: data is neither a call nor a path");
  return withFacts(DATA_BUILDERS[v.v.name as DataName](v.v, out), out);
}

/** AE2504: a test file where the training data are no file. */
function testWithoutFile(data: TypedValue, span: Span | undefined, test: TestSetting): Diagnostic {
  if (data.t === "call")
    return diag("AE2504", `a test file goes with a data file: \`data: ${data.v.name}\` has its own test set, which eval and report use`, test.span!, {
      related: span === undefined ? [] : [{ span, message: "the built-in data set named here" }],
      hint: 'remove `test:`, or train on a data file (`data: "x_train.npy"`)',
    });
  return diag("AE2504", "a test file needs the training data beside it", test.span!, { hint: 'add `data: "x_train.npy"` to the train section' });
}
