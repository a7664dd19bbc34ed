"""Corruptions of the encoder's input, in training only (src/ir/losses.ts, the tfjs
target's model/corruptions.ts): each returns the encoder's input and, for mask,
the hidden features (1 where hidden, shaped like the input)."""
import torch


def gaussian_noise(x, c, input_range, noise):
    return x + noise.normal(x.shape) * c["sigma"], None


def dropout_noise(x, c, input_range, noise):
    return x * noise.keep_mask(x.shape, c["rate"], 1.0), None


def saltpepper(x, c, input_range, noise):
    keep, pepper = noise.salt_pepper(x.shape, c["rate"])
    low, high = (input_range[0], input_range[1]) if input_range is not None else (x.min(), x.max())
    salt = (~keep) & (~pepper)
    kept = x * keep.to(x.dtype)
    return kept + salt.to(x.dtype) * high + pepper.to(x.dtype) * low, None


def mask(x, c, input_range, noise):
    batch, h, w, _ = x.shape
    patch = c["patch"]
    across = w // patch
    chosen = noise.hidden_patches(batch, c["patches"], c["hidden"])
    grid = torch.zeros(batch, c["patches"], device=x.device, dtype=x.dtype)
    grid.scatter_(1, chosen, 1.0)
    # [batch, patches] -> [batch, h, w, 1]: each patch a patch x patch square.
    squares = grid.reshape(batch, h // patch, 1, across, 1).expand(batch, h // patch, patch, across, patch)
    hidden = squares.reshape(batch, h, w, 1).expand_as(x)
    return x * (1 - hidden), hidden


CORRUPTIONS = {"gaussian_noise": gaussian_noise, "dropout_noise": dropout_noise, "saltpepper": saltpepper, "mask": mask}
