/** The ONNX target: export a model's encoder, decoder or whole autoencoder. */
export { exportModel, PARTS, ONNX_IR_VERSION, ONNX_OPSET, type Part } from "./export-model.js";
export { exportRun, writeModelFile } from "./export-run.js";
export { readRunWeights, type RunWeights } from "./run-weights.js";
export type { Weights, WeightTensor } from "./weights.js";
