/**
 * The learning rate of every step, as the IR's schedule defines it
 * (docs/language.md, "Learning-rate schedules"): a pure function of the
 * global step, so a resumed run takes exactly the rates a straight run takes.
 * Every target computes its rates here.
 */
import type { LrSchedule } from "../ir/train.js";

export interface ScheduleClock {
  /** Optimizer steps in one epoch. */
  readonly stepsPerEpoch: number;
  /** The epochs the run trains (the cosine's length). */
  readonly epochs: number;
}

/**
 * The rate of global step `step` (0-based: the first step of the run is 0)
 * for an optimizer whose `lr` is `lr`. The warm-up rises linearly over its
 * W epochs, step k at (k + 1) / (W x steps per epoch) of the rate, so the
 * first step moves; a step schedule multiplies by `factor` at the start of
 * every `every`-th epoch; a cosine falls from `lr` after the warm-up to `min`
 * at the end of the last epoch.
 */
export function learningRateAt(s: LrSchedule, lr: number, step: number, clock: ScheduleClock): number {
  const warmSteps = s.warmup * clock.stepsPerEpoch;
  const warm = warmSteps > 0 ? Math.min(1, (step + 1) / warmSteps) : 1;
  switch (s.kind) {
    case "constant":
      return lr * warm;
    case "step":
      return lr * warm * s.factor ** Math.floor(Math.floor(step / clock.stepsPerEpoch) / s.every);
    case "cosine": {
      const span = clock.epochs * clock.stepsPerEpoch - warmSteps;
      const p = span > 0 ? Math.min(1, Math.max(0, (step - warmSteps) / span)) : 1;
      return warm * (s.min + (lr - s.min) * 0.5 * (1 + Math.cos(Math.PI * p)));
    }
  }
}

/** Whether the schedule's rates depend on how many epochs the run trains (then resuming with other epochs changes them). */
export const scheduleDependsOnEpochs = (s: LrSchedule): boolean => s.kind === "cosine";

/** Whether every step takes the optimizer's own rate. */
export const isConstantRate = (s: LrSchedule): boolean => s.kind === "constant" && s.warmup === 0;
