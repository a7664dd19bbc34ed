"""The optimizers of the IR with tf.train's arithmetic (what the tfjs target runs),
so a hyperparameter means the same on both targets, and their state as the
checkpoint format's named slots (m, v; momentum; rms, momentum), so a run
resumes exactly. Also the learning rate of every step (src/run/lr-schedule.ts)."""
import math

import torch


class Optimizer:
    """kind, hyperparameters of the IR's optimizer; params: [(name, parameter)] in the table's order."""

    SLOTS = {"adam": ("m", "v"), "sgd": (), "rmsprop": ("rms", "momentum")}

    def __init__(self, config, params):
        self.kind = config["kind"]
        self.config = config
        self.params = params
        self.lr = config["lr"]
        self.iterations = 0
        names = self.SLOTS[self.kind]
        if self.kind == "sgd" and config["momentum"] > 0:
            names = ("momentum",)
        self.slot_names = names
        self.slots = {s: [torch.zeros_like(p) for _, p in params] for s in names}
        if self.kind == "adam":
            dev = params[0][1].device if params else "cpu"
            self.acc_beta1 = torch.tensor(config["beta1"], dtype=torch.float32, device=dev)
            self.acc_beta2 = torch.tensor(config["beta2"], dtype=torch.float32, device=dev)

    @torch.no_grad()
    def step(self):
        c = self.config
        lr = self.lr
        if self.kind == "adam":
            b1, b2, eps = c["beta1"], c["beta2"], c["epsilon"]
            one_minus_1 = 1 - self.acc_beta1
            one_minus_2 = 1 - self.acc_beta2
            for (_, p), m, v in zip(self.params, self.slots["m"], self.slots["v"]):
                g = p.grad
                if g is None:
                    continue
                # In place where tf.train's formula allows (two temporaries a tensor): m/(1-b1^t) / (sqrt(v/(1-b2^t)) + eps).
                m.mul_(b1).add_(g, alpha=1 - b1)
                v.mul_(b2).addcmul_(g, g, value=1 - b2)
                denominator = v.div(one_minus_2).sqrt_().add_(eps)
                p.add_(m.div(one_minus_1).div_(denominator), alpha=-lr)
            self.acc_beta1.mul_(b1)
            self.acc_beta2.mul_(b2)
        elif self.kind == "sgd":
            mom = c["momentum"]
            for i, (_, p) in enumerate(self.params):
                g = p.grad
                if g is None:
                    continue
                if mom > 0:
                    acc = self.slots["momentum"][i]
                    acc.mul_(mom).add_(g)
                    p.add_(acc, alpha=-lr)
                else:
                    p.add_(g, alpha=-lr)
        else:
            decay, mom, eps = c["decay"], c["momentum"], c["epsilon"]
            for (_, p), ms, acc in zip(self.params, self.slots["rms"], self.slots["momentum"]):
                g = p.grad
                if g is None:
                    continue
                ms.mul_(decay).addcmul_(g, g, value=1 - decay)
                acc.mul_(mom).addcdiv_(g, ms.add(eps).sqrt_(), value=lr)
                p.sub_(acc)
        self.iterations += 1

    def zero_grad(self):
        for _, p in self.params:
            p.grad = None

    def state(self):
        """(iterations, [(variable, slot, tensor)] in tf.train's order: every variable's first slot, then the second's, extras)."""
        slots = [(name, s, t) for s in self.slot_names for (name, _), t in zip(self.params, self.slots[s])]
        extras = {"accBeta1": float(self.acc_beta1), "accBeta2": float(self.acc_beta2)} if self.kind == "adam" else {}
        return self.iterations, slots, extras

    def load(self, iterations, slots, extras):
        by = {(v, s): t for v, s, t in slots}
        for s in self.slot_names:
            for (name, _), t in zip(self.params, self.slots[s]):
                saved = by.get((name, s))
                if saved is None:
                    raise ValueError(f"the checkpoint's optimizer has no slot {s} of {name}")
                t.copy_(saved.reshape(t.shape))
        self.iterations = iterations
        if self.kind == "adam" and "accBeta1" in extras:
            self.acc_beta1.fill_(extras["accBeta1"])
            self.acc_beta2.fill_(extras["accBeta2"])


def learning_rate_at(schedule, lr, step, steps_per_epoch, epochs):
    """The rate of global step `step` (0-based), as src/run/lr-schedule.ts."""
    warm_steps = schedule["warmup"] * steps_per_epoch
    warm = min(1, (step + 1) / warm_steps) if warm_steps > 0 else 1
    kind = schedule["kind"]
    if kind == "constant":
        return lr * warm
    if kind == "step":
        return lr * warm * schedule["factor"] ** math.floor(math.floor(step / steps_per_epoch) / schedule["every"])
    span = epochs * steps_per_epoch - warm_steps
    p = min(1, max(0, (step - warm_steps) / span)) if span > 0 else 1
    return warm * (schedule["min"] + (lr - schedule["min"]) * 0.5 * (1 + math.cos(math.pi * p)))
