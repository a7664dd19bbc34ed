/**
 * The tfjs target (cpu backend) and the PyTorch target (CPU) take the same first 50 steps, within 1e-4
 * relative on every logged value (total, objective, each term), from the same initial weights and data
 * order, with the same noise (parity-harness.ts): the other models of specs/ (linear, conv, VQ, MMD)
 * and a model of every other family of the language (every layer kind, corruption, optimizer and schedule).
 */
import { familyCase, parityTests, specCase } from "./parity-cases.js";

parityTests([
  specCase("linear.aespec", "linear_ae"),
  specCase("vae.aespec", "beta_vae"),
  specCase("vqvae.aespec", "vqvae"),
  specCase("adversarial.aespec", "wae"),
  familyCase("conv_family"),
  familyCase("vq_family"),
]);
