/**
 * What the trainer tells its caller: the target-neutral events of src/target/train-events.ts.
 */
export type {
  AdversarialStats,
  CodebookStats,
  EpochMetrics,
  GaussianStats,
  StartInfo,
  StepInfo,
  TermMeans,
  TrainCallbacks,
} from "../../../src/target/train-events.js";
