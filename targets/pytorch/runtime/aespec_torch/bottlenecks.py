"""One module per IR bottleneck kind (src/ir/bottleneck.ts), as the tfjs target
defines them (model/bottlenecks.ts, model/vq.ts). Each returns a dict: the
latent the decoder reads, and `gaussian` (mean, log-variance) or `vq`
(encoded, codes, indices) for the loss terms and statistics."""
import math

import torch
from torch import nn

from .layers import Dense, uniform_

VQ_SMOOTHING_EPSILON = 1e-5
VQ_USAGE_DECAY = 0.99
VQ_DEAD_FRACTION = 0.01


class Deterministic(nn.Module):
    """A linear map of the last axis: its tensors are bottleneck.kernel and bottleneck.bias."""

    def __init__(self, in_features, units, limits):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(in_features, units))
        self.bias = nn.Parameter(torch.empty(units))
        self.limits = limits

    init = Dense.init

    def forward(self, h, run):
        return {"latent": torch.nn.functional.linear(h, self.kernel.t(), self.bias)}


class Gaussian(nn.Module):
    """Two heads; z = mean + exp(logvar / 2) * eps when sampling, the mean otherwise."""

    def __init__(self, in_features, units, limits):
        super().__init__()
        self.mean = Dense(in_features, units, *limits)
        self.logvar = Dense(in_features, units, *limits)

    def init(self, generator):
        self.mean.init(generator)
        self.logvar.init(generator)

    def forward(self, h, run):
        mean = self.mean(h, run)
        logvar = self.logvar(h, run)
        latent = mean + torch.exp(logvar * 0.5) * run.noise.normal(mean.shape) if run.samples_latent else mean
        return {"latent": latent, "gaussian": (mean, logvar)}


class VectorQuantizer(nn.Module):
    """Projection to dim, nearest of `codes` codes (argmin of |z|^2 - 2 z.e + |e|^2, ties to the
    lowest index), straight-through gradient. With ema the codebook follows moving averages with
    Laplace smoothing after each step; with restart, codes below 1% of the mean usage are re-seeded
    from the batch's encoder outputs."""

    def __init__(self, in_features, codes, dim, ema, restart, projection_limits, codebook_limit):
        super().__init__()
        self.projection = Dense(in_features, dim, *projection_limits)
        self.codes, self.dim, self.ema, self.restart = codes, dim, ema, restart
        self.codebook_limit = codebook_limit
        if ema is None:
            self.codebook = nn.Parameter(torch.empty(codes, dim))
        else:
            self.register_buffer("codebook", torch.empty(codes, dim))
            self.register_buffer("ema_count", torch.ones(codes))
            self.register_buffer("ema_sum", torch.empty(codes, dim))
        if ema is None and restart:
            self.register_buffer("usage", torch.ones(codes))
        self.pending = None

    def init(self, generator):
        self.projection.init(generator)
        uniform_(self.codebook, self.codebook_limit, generator)
        with torch.no_grad():
            if self.ema is not None:
                self.ema_count.fill_(1)
                self.ema_sum.copy_(self.codebook)
            if self.ema is None and self.restart:
                self.usage.fill_(1)

    def forward(self, h, run):
        encoded = self.projection(h, run)
        flat = encoded.reshape(-1, self.dim)
        with torch.no_grad():
            e = self.codebook
            distances = (flat.square().sum(1, keepdim=True) - (flat @ e.t()) * 2) + e.square().sum(1)
            indices = distances.argmin(1)
        chosen = self.codebook[indices].reshape(encoded.shape)
        # The codes' values exactly, the gradient straight through to the encoder.
        quantized = chosen.detach() + (encoded - encoded.detach())
        if run.training and (self.ema is not None or self.restart):
            self.pending = (flat.detach(), indices, math.prod(encoded.shape[1:-1]))
        return {"latent": quantized, "vq": (encoded, chosen, indices.reshape(encoded.shape[:-1]))}

    @torch.no_grad()
    def after_step(self, noise, distributed=None):
        if self.pending is None:
            return
        flat, indices, per = self.pending
        self.pending = None
        if distributed is not None:
            # The whole global batch's encoder outputs, on every rank: the statistics and restarts of one process.
            flat, indices = distributed.gather_rows(flat, per), distributed.gather_rows(indices, per)
        one_hot = torch.nn.functional.one_hot(indices, self.codes).to(flat.dtype)
        counts = one_hot.sum(0)
        if self.ema is not None:
            sums = one_hot.t() @ flat
            d = self.ema
            n = self.ema_count * d + counts * (1 - d)
            m = self.ema_sum * d + sums * (1 - d)
            total = n.sum()
            smoothed = (n + VQ_SMOOTHING_EPSILON) / (total + self.codes * VQ_SMOOTHING_EPSILON) * total
            self.ema_count.copy_(n)
            self.ema_sum.copy_(m)
            self.codebook.copy_(m / smoothed.reshape(-1, 1))
        elif self.restart:
            self.usage.copy_(self.usage * VQ_USAGE_DECAY + counts * (1 - VQ_USAGE_DECAY))
        if self.restart:
            usage = self.ema_count if self.ema is not None else self.usage
            dead = usage < VQ_DEAD_FRACTION * usage.mean()
            rows = noise.restart_rows(flat.shape[0], dead)
            fresh = flat[rows]
            keep = ~dead.reshape(-1, 1)
            self.codebook.copy_(torch.where(keep, self.codebook, fresh))
            if self.ema is not None:
                self.ema_sum.copy_(torch.where(keep, self.ema_sum, fresh))
            usage.copy_(torch.where(dead, torch.ones_like(usage), usage))


BOTTLENECKS = {"deterministic": Deterministic, "gaussian": Gaussian, "vq": VectorQuantizer}
