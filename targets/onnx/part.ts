/** The parts of a trained model the exporter writes as ONNX graphs. */
export type Part = "encoder" | "decoder" | "autoencoder";
export const PARTS: readonly Part[] = ["encoder", "decoder", "autoencoder"];
