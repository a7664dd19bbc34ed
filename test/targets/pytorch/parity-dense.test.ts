/**
 * The tfjs target (cpu backend) and the PyTorch target (CPU) take the same first 50 steps, within 1e-4
 * relative on every logged value (total, objective, each term), from the same initial weights and data
 * order, with the same noise (parity-harness.ts): the dense MNIST models of specs/. Split from
 * parity-conv.test.ts so that the two run side by side.
 */
import { parityTests, specCase } from "./parity-cases.js";

parityTests([
  specCase("deep.aespec", "deep_ae"),
  specCase("deep.aespec", "denoising"),
  specCase("deep.aespec", "masked"),
  specCase("deep.aespec", "contractive"),
  specCase("vae.aespec", "vae"),
]);
