/**
 * Small models that cover what specs/ does not: every layer kind, both
 * paddings, kernels smaller and larger than the stride, every activation,
 * batch and layer normalisation, a VQ bottleneck on a map, ladders of one to
 * four levels with and without skip (a ladder on a map the checker refuses:
 * AE2307).
 */
import type { IrModel } from "../../../src/ir/model.js";
import { irOf } from "../tfjs/ops/tf-helpers.js";

const SPECS = [
  `model conv_all {
    input: [9, 7, 2]
    encoder {
      conv(4, kernel: 3, stride: 2, padding: same) gelu
      batchnorm
      conv(3, kernel: 2, stride: 1, padding: valid) leaky_relu(alpha: 0.1)
      layernorm
      conv(5, kernel: 1, stride: 3, padding: same) elu
      dropout(0.5)
      flatten
      dense(6) softplus
    }
    bottleneck: gaussian(3)
    decoder {
      dense(12) tanh
      reshape([2, 2, 3])
      deconv(4, kernel: 3, stride: 2, padding: same) relu   // [4, 4, 4]
      deconv(3, kernel: 4, stride: 2, padding: valid) gelu  // [10, 10, 3]
      deconv(2, kernel: 1, stride: 3, padding: same) sigmoid  // [30, 30, 2]
      conv(2, kernel: 5, stride: 3, padding: valid)  // [9, 9, 2]
      flatten
      dense(126)
      reshape([9, 7, 2])
    }
    loss { reconstruction(mse) kl(beta: 1) }
  }`,
  `model vq_map {
    input: [6, 6, 1]
    encoder {
      conv(8, kernel: 3, stride: 2, padding: same) relu
    }
    bottleneck: vq(codes: 16, dim: 4)
    decoder {
      deconv(1, kernel: 3, stride: 2, padding: same) sigmoid
    }
    loss { reconstruction(mse) commitment(beta: 0.25) }
  }`,
  `model dense_map {
    input: [3, 4, 2]
    encoder { dense(5) batchnorm relu }
    bottleneck: deterministic(2)
    decoder { dense(2) layernorm }
    loss { reconstruction(mse) }
  }`,
  // Ladders beyond specs/ (3 levels with skip): skip at two levels, no skip, two levels, one level.
  `model ladder4_skip {
    input: [5]
    encoder { dense(7) tanh }
    bottleneck: ladder(skip: true) { gaussian(4) gaussian(3) gaussian(3) gaussian(2) }
    decoder { dense(6) relu dense(5) }
    loss { reconstruction(mse) kl() }
  }`,
  `model ladder3_noskip {
    input: [6]
    encoder { dense(8) gelu }
    bottleneck: ladder(skip: false) { gaussian(4) gaussian(3) gaussian(2) }
    decoder { dense(6) }
    loss { reconstruction(mse) kl() }
  }`,
  `model ladder2_conv {
    input: [4, 4, 1]
    encoder { conv(2, kernel: 3, stride: 1, padding: same) elu flatten }
    bottleneck: ladder(skip: true) { gaussian(3) gaussian(2) }
    decoder { dense(16) sigmoid reshape([4, 4, 1]) }
    loss { reconstruction(mse) kl() }
  }`,
  `model ladder1 {
    input: [6]
    encoder { dense(5) relu }
    bottleneck: ladder(skip: true) { gaussian(3) }
    decoder { dense(6) }
    loss { reconstruction(mse) kl() }
  }`,
];

export const EXTRA_MODELS = (): IrModel[] => SPECS.map((s) => irOf(s));
