"""The latent statistics of an epoch (the tfjs target's train/latent-stats.ts),
accumulated on the device in float64 and read once at the epoch's end: a
Gaussian's KL per unit and active units (variance over examples of the
posterior mean above 0.01), a VQ's code usage, perplexity and codes used."""
import math

import torch

from .losses import gaussian_kl

ACTIVE_UNIT_VARIANCE = 0.01


class GaussianStats:
    def __init__(self):
        self.n = 0
        self.sums = None

    def add(self, out):
        mean, logvar = out["gaussian"]
        with torch.no_grad():
            mu = mean.reshape(mean.shape[0], -1).double()
            kl = gaussian_kl(mean, logvar).double()
            part = torch.stack([mu.sum(0), mu.square().sum(0), kl.sum(0)])
            self.sums = part if self.sums is None else self.sums + part
            self.n += mu.shape[0]

    def result(self, sum_across=None):
        if self.sums is None:
            return {}
        sums, n = self.sums, self.n
        if sum_across is not None:
            sums, n = sum_across(sums, n)
        s, sq, kl = sums.cpu().tolist()
        kl_per_unit = [k / n for k in kl]
        active = sum(1 for a, b in zip(s, sq) if b / n - (a / n) ** 2 > ACTIVE_UNIT_VARIANCE)
        return {"gaussian": {"klPerUnit": kl_per_unit, "kl": sum(kl_per_unit), "activeUnits": active, "units": len(s)}}


class CodebookStats:
    def __init__(self, codes):
        self.counts = None
        self.codes = codes

    def add(self, out):
        with torch.no_grad():
            idx = out["vq"][2].reshape(-1)
            c = torch.bincount(idx, minlength=self.codes).double()
            self.counts = c if self.counts is None else self.counts + c

    def result(self, sum_across=None):
        if self.counts is None:
            return {}
        counts = self.counts
        if sum_across is not None:
            counts, _ = sum_across(counts, 0)
        counts = counts.cpu().tolist()
        total = sum(counts)
        if total == 0:
            return {}
        entropy = -sum((c / total) * math.log(c / total) for c in counts if c > 0)
        used = sum(1 for c in counts if c > 0)
        return {"codebook": {"perplexity": math.exp(entropy), "codesUsed": used, "codes": len(counts)}}


class NoStats:
    def add(self, out):
        pass

    def result(self, sum_across=None):
        return {}


def latent_stats(bottleneck):
    kind = bottleneck["kind"]
    if kind == "gaussian":
        return GaussianStats()
    if kind == "vq":
        return CodebookStats(bottleneck["codes"])
    return NoStats()
