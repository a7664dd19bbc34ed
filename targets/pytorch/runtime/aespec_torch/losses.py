"""The loss terms of the language (src/ir/losses.ts) with the tfjs target's
definitions (train/losses): each returns the term at its full weight; `factor`
gives the schedule's weight in the objective (the KL warm-up)."""
import math

import torch

BERNOULLI_CLIP = 1e-7
HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)
MMD_SCALES = (0.1, 0.2, 0.5, 1, 2, 5, 10)


def _per_feature(likelihood, x, r):
    if likelihood == "mse":
        return (x - r).square()
    if likelihood == "bernoulli":
        p = r.clamp(BERNOULLI_CLIP, 1 - BERNOULLI_CLIP)
        return -(x * torch.log(p) + (1 - x) * torch.log(1 - p))
    return 0.5 * (x - r).square() + HALF_LOG_TWO_PI


def reconstruction(term, out, noise):
    """Summed over an example's features (the hidden ones only with on: masked), mean over the batch."""
    x, r = out["input"], out["reconstruction"]
    per = _per_feature(term["likelihood"], x, r)
    if term["on"] == "masked" and out["hidden"] is not None:
        per = per * out["hidden"]
    return per.reshape(x.shape[0], -1).sum(1).mean()


def gaussian_kl(mean, logvar):
    """KL(q || N(0, I)) of each example and unit, [batch, units]."""
    mu = mean.reshape(mean.shape[0], -1)
    lv = logvar.reshape(logvar.shape[0], -1)
    return 0.5 * (((mu.square() + lv.exp()) - 1) - lv)


def kl(term, out, noise):
    """beta * sum_j max(free_bits, mean over the batch of KL_j)."""
    per_unit = gaussian_kl(*out["gaussian"]).mean(0)
    if term["freeBits"] > 0:
        per_unit = per_unit.clamp(min=term["freeBits"])
    return per_unit.sum() * term["beta"]


def kl_factor(term, progress):
    w = term["warmup"]
    return 1.0 if w <= 0 else min(1.0, max(0.0, progress) / w)


def _mean_squared_distance(a, b):
    return (a - b).square().sum(-1).mean()


def commitment(term, out, noise):
    """beta |z_e - sg(e)|^2, plus |sg(z_e) - e|^2 when the codebook learns by gradient (no ema)."""
    encoded, codes, _ = out["vq"]
    value = _mean_squared_distance(encoded, codes.detach()) * term["beta"]
    if term["learnCodebook"]:
        value = value + _mean_squared_distance(encoded.detach(), codes)
    return value


def _kernel_matrix(a, b, kernel):
    dz = a.shape[1]
    d2 = torch.relu((a.square().sum(1, keepdim=True) + b.square().sum(1).reshape(1, -1)) - (a @ b.t()) * 2)
    parts = [(2 * dz * s) / ((2 * dz * s) + d2) if kernel == "imq" else torch.exp(d2 / -(2 * dz * s)) for s in MMD_SCALES]
    return sum(parts[1:], parts[0])


def _off_diagonal_mean(k):
    n = k.shape[0]
    return (k.sum() - (k * torch.eye(n, device=k.device)).sum()) / (n * (n - 1))


def mmd(term, out, noise):
    """weight * the unbiased MMD^2 between the codes and as many draws of N(0, I)."""
    z = out["latent"]
    n = z.shape[0]
    if n < 2:
        return z.sum() * 0
    codes = z.reshape(n, -1)
    prior = noise.normal((n, codes.shape[1]))
    within = _off_diagonal_mean(_kernel_matrix(codes, codes, term["kernel"])) + _off_diagonal_mean(_kernel_matrix(prior, prior, term["kernel"]))
    cross = _kernel_matrix(codes, prior, term["kernel"]).mean()
    return (within - cross * 2) * term["weight"]


def contractive(term, out, noise):
    """weight * the mean over the batch of |J|_F^2 (the pass computed it: Autoencoder.code_jacobian_norms)."""
    return out["jacobian_norms"].mean() * term["weight"]


TERMS = {"reconstruction": reconstruction, "kl": kl, "commitment": commitment, "mmd": mmd, "contractive": contractive}
SCHEDULES = {"kl": kl_factor}


def term_values(losses, out, noise):
    """Each term at its full weight, in the spec's order."""
    return [TERMS[t["kind"]](t, out, noise) for t in losses]


def factors(losses, progress):
    """Each term's schedule factor after `progress` fractional epochs (1 without a schedule)."""
    return [SCHEDULES[t["kind"]](t, progress) if t["kind"] in SCHEDULES else 1.0 for t in losses]
