/**
 * The size of a generated set's test split: a sixth of the training count
 * (MNIST's 60000 / 10000 ratio), at least 1 and at most 10000.
 */
export function testCountFor(trainCount: number): number {
  return Math.min(10000, Math.max(1, Math.round(trainCount / 6)));
}

/** Names of the derived seeds' streams: train and test of a generated set never share draws. */
export function streamName(kind: string, part: "train" | "test" | "basis"): string {
  return `aespec/data/${kind}/${part}`;
}
