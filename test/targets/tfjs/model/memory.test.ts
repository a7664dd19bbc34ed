import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, expect, it } from "vitest";
import { createModel } from "../../../../targets/tfjs/model/build.js";
import { stopGradient } from "../../../../targets/tfjs/ops/stop-gradient.js";
import { irOf, randomTensor, seeded, useBackend } from "../ops/tf-helpers.js";

beforeAll(() => useBackend("cpu"));

const SPECS = {
  vq: `model m {
  input: [6, 6, 1]
  corrupt: saltpepper(0.1)
  encoder { conv(3, kernel: 3, stride: 2) batchnorm relu dropout(0.2) }
  bottleneck: vq(codes: 5, dim: 2, ema: 0.9, restart: true)
  decoder { deconv(2, kernel: 2, stride: 2) layernorm gelu flatten dense(36) sigmoid reshape([6, 6, 1]) }
  loss { reconstruction(mse) commitment() }
}`,
  gaussian: `model m {
  input: [6, 6, 1]
  corrupt: mask(patch: 3, ratio: 0.5)
  encoder { flatten dense(8) batchnorm elu }
  bottleneck: gaussian(3)
  decoder { dense(36) reshape([6, 6, 1]) }
  loss { reconstruction(mse) kl() }
}`,
};

it.each(Object.keys(SPECS) as (keyof typeof SPECS)[])("leaves no tensor behind over 50 training steps (%s)", (name) => {
  const model = createModel(irOf(SPECS[name]), seeded(1));
  const x = randomTensor([4, 6, 6, 1], seeded(2));
  const rng = seeded(3);
  const vars = model.trainable.map((v) => v.variable);
  const step = () => {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const f = model.forward(x, { training: true, rng });
        let loss = tf.mean(tf.square(tf.sub(f.reconstruction, f.input)));
        if (f.vq !== null) loss = tf.add(loss, tf.mean(tf.square(tf.sub(f.vq.encoded, stopGradient(f.vq.codes)))));
        if (f.gaussian !== null) loss = tf.add(loss, tf.mean(tf.exp(f.gaussian.logVar)));
        return loss as tf.Scalar;
      }, vars);
      tf.dispose(grads);
    });
    model.afterStep(null as never, rng);
  };
  step(); // the first step may create lasting tensors (none expected, but do not count them)
  const before = tf.memory().numTensors;
  for (let i = 0; i < 50; i++) step();
  // An evaluation forward inside tidy, then afterStep with nothing pending.
  tf.tidy(() => {
    model.forward(x, { training: false, rng });
  });
  model.afterStep(null as never, rng);
  expect(tf.memory().numTensors).toBe(before);
  model.dispose();
  x.dispose();
});

it("frees everything it made on dispose, including what a training forward kept for afterStep", () => {
  const before = tf.memory().numTensors;
  const model = createModel(irOf(SPECS.vq), seeded(1));
  const x = randomTensor([4, 6, 6, 1], seeded(2));
  tf.tidy(() => {
    model.forward(x, { training: true, rng: seeded(3) });
  });
  model.dispose();
  x.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
