import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/compile.js";
import { REPO_ROOT } from "../support/language-reference.js";

/**
 * The model hashes of specs/, pinned: a run's ir.json carries its model's hash
 * and resume compares it, so a change to the canonical form (src/ir/hash.ts)
 * must not change the hash of any model (the runs users have would no longer
 * resume). Taken before canonicalJson was rewritten as one appending pass.
 */
const PINNED: Record<string, string> = {
  "adversarial.aespec:aae": "586040fcc6370be59b4981a7e24e460b416d7fa9d3f76c2572584903e2de7a62",
  "adversarial.aespec:wae": "f50ff1dbc40142fea8fd1224e7bf544314950806054e21f44552b08c4cda6837",
  "deep.aespec:deep_ae": "c5477034faf5c91fefbf164fa65b9085195b4388cf035ddd6f3d9c5adefbd8e0",
  "deep.aespec:denoising": "f4f2324ddea7718119ca4c565bf58fe70c098dcd34958464a1aac62887c473cd",
  "deep.aespec:contractive": "d5d8d90e2eeff9ca90a79c0bc738c75d4f9b3ed12021235a2c7e60d0ff4f21fc",
  "deep.aespec:masked": "70b0b852a86aa8deb45eb5439c7ce400ba4c323f87d71e9aee5d1c7df9d64652",
  "linear.aespec:linear_ae": "6570ff8b5f0d59d3ffe8536f85f9ab548f6014425ef30cd7f336bff0b086a253",
  "vae.aespec:vae": "d6cb412b77ffc0c0327cbbfefd8c567b5c9546ee86706b7704218cae1cb1c396",
  "vae.aespec:beta_vae": "5246197a8701955ff7301b0a4342140437559f76e0346b6240bbf5185df336c8",
  "vae.aespec:ladder_vae": "8f4c0e06e7ac3cff234376f81d72938915e6a0dd82d2c829d458041999f4c9fd",
  "vqvae.aespec:vqvae": "a3e6a57c73cb164f949e1759e3b75125fcc7ba00f480be4f5738e11cb7d09fe1",
};

describe("model hashes are stable", () => {
  it.each(Object.entries(PINNED))("%s", (key, hash) => {
    const [file, model] = key.split(":");
    const ir = compileFile(join(REPO_ROOT, "specs", file!)).models.find((m) => m.name === model);
    expect(ir?.hash).toBe(hash);
  });
});
